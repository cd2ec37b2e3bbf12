import { provinceDate } from '@anju/kit';
import { gradePeriod, periodRange, type PeriodGrade } from './grade';
import type { AssessmentRow, AssignmentRow, FeedbackRow, SocialWorkerRow } from './social-worker.service';

/** Each assessed period's grade, the ratings counted being those given within the period (province dates). */
export function workerGrades(assessments: AssessmentRow[], feedback: FeedbackRow[]): PeriodGrade[] {
  const given = feedback.map((f) => ({ day: provinceDate(new Date(f.givenAt)), rating: f.rating }));
  return assessments.map((a) => {
    const { from, to } = periodRange(a.period);
    return gradePeriod(
      a.period,
      a.score,
      given.filter((g) => g.day >= from && g.day < to).map((g) => g.rating),
    );
  });
}

/** The four stages of a social worker's life with an organization: 进 entry, 管 management, 考 assessment, 出 exit. */
export type TimelineStage = 'ENTRY' | 'MANAGEMENT' | 'ASSESSMENT' | 'EXIT';

export interface TimelineEntry {
  stage: TimelineStage;
  /** Province date (YYYY-MM-DD) the entry belongs to. */
  on: string;
  summary: string;
  siteIds: string[] | null;
  grade: PeriodGrade | null;
  /** The instant, where one is known: orders entries of one day. */
  at?: string;
}

/** On one day: joining first, leaving last, the rest by the instant they were recorded. */
const DAY_RANK: Record<TimelineStage, number> = { ENTRY: 0, MANAGEMENT: 1, ASSESSMENT: 1, EXIT: 2 };

/**
 * 进管考出 as one timeline, by date (and stage on the same day): joining, every change of sites
 * (workers written before assignments were kept show their current sites from the day they joined; leaving
 * ends them, which the EXIT says),
 * each assessment with its period's grade, and leaving.
 */
export function workerTimeline(
  w: SocialWorkerRow,
  assessments: AssessmentRow[],
  feedback: FeedbackRow[],
  assignments: AssignmentRow[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { stage: 'ENTRY', on: w.joinedOn, summary: `入职（${w.qualification}）`, siteIds: null, grade: null },
  ];
  const moves =
    assignments.length || !w.siteIds.length
      ? assignments
      : [{ id: '', workerId: w.id, siteIds: w.siteIds, assignedAt: `${w.joinedOn}T00:00:00+08:00` }];
  for (const a of moves) {
    entries.push({
      stage: 'MANAGEMENT',
      on: provinceDate(new Date(a.assignedAt)),
      summary: a.siteIds.length ? `服务 ${a.siteIds.length} 个安置点` : '不再驻点',
      siteIds: a.siteIds,
      grade: null,
      at: a.assignedAt,
    });
  }
  const grades = workerGrades(assessments, feedback);
  assessments.forEach((a, i) => {
    entries.push({
      stage: 'ASSESSMENT',
      on: provinceDate(new Date(a.assessedAt)),
      summary: `${a.period} 考核 ${a.score} 分`,
      siteIds: null,
      grade: grades[i],
      at: a.assessedAt,
    });
  });
  if (w.exitedOn)
    entries.push({ stage: 'EXIT', on: w.exitedOn, summary: `离职：${w.exitReason ?? ''}`, siteIds: null, grade: null });
  return entries.sort(
    (x, y) =>
      x.on.localeCompare(y.on) || DAY_RANK[x.stage] - DAY_RANK[y.stage] || (x.at ?? '').localeCompare(y.at ?? ''),
  );
}
