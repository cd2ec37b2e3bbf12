import type { MicroIssueLevel } from './micro-issue.types';

/** The route of a micro-issue (楼宇自治): each level, in order, and the days it has to act. */
export const LEVELS: readonly MicroIssueLevel[] = ['building_leader', 'grid_worker', 'mediation', 'legal_adviser'];
export const LEVEL_DAYS: Record<MicroIssueLevel, number> = {
  building_leader: 3,
  grid_worker: 5,
  mediation: 10,
  legal_adviser: 15,
};

export function nextLevel(level: MicroIssueLevel): MicroIssueLevel | null {
  const i = LEVELS.indexOf(level);
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}

export function dueAt(level: MicroIssueLevel, from: Date): Date {
  return new Date(from.getTime() + LEVEL_DAYS[level] * 86_400_000);
}

/** SQL CASE of the next level and of a level's days, from the same tables as above (for set-based escalation). */
export const NEXT_LEVEL_SQL = (col: string) =>
  `CASE ${col} ${LEVELS.slice(0, -1)
    .map((l, i) => `WHEN '${l}' THEN '${LEVELS[i + 1]}'`)
    .join(' ')} END`;
export const LEVEL_DAYS_SQL = (col: string) =>
  `CASE ${col} ${LEVELS.map((l) => `WHEN '${l}' THEN ${LEVEL_DAYS[l]}`).join(' ')} END`;
