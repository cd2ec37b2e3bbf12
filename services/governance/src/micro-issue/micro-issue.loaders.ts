import DataLoader from 'dataloader';
import type { MicroIssueLevel } from './micro-issue.types';
import type { MicroIssueService } from './micro-issue.service';

/** One step of a micro-issue up the ladder (楼栋长 → 网格员 → 调解 → 法律顾问), as the history shows it. */
export interface MicroIssueStepRow {
  microIssueId: string;
  level: MicroIssueLevel;
  enteredAt: Date;
  dueAt: Date;
  leftAt: Date | null;
  leftBecause: string | null;
  note: string | null;
}

export function microIssueStepsLoader(microIssues: MicroIssueService) {
  return new DataLoader<string, MicroIssueStepRow[]>(async (ids) => {
    const rows: MicroIssueStepRow[] = await microIssues.steps(ids);
    return ids.map((id) => rows.filter((r) => r.microIssueId === id));
  });
}
