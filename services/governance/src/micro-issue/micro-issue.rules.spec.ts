import { LEVELS, NEXT_LEVEL_SQL, dueAt, nextLevel } from './micro-issue.rules';

describe('micro-issue route', () => {
  it('goes building leader → grid worker → mediation → legal adviser, then nowhere', () => {
    expect(LEVELS.map(nextLevel)).toEqual(['grid_worker', 'mediation', 'legal_adviser', null]);
  });
  it('gives each level its days', () => {
    const t = new Date('2026-01-01T00:00:00Z');
    expect(dueAt('building_leader', t).toISOString()).toBe('2026-01-04T00:00:00.000Z');
    expect(dueAt('mediation', t).toISOString()).toBe('2026-01-11T00:00:00.000Z');
  });
  it('says the same in SQL', () => {
    expect(NEXT_LEVEL_SQL('m.level')).toBe(
      `CASE m.level WHEN 'building_leader' THEN 'grid_worker' WHEN 'grid_worker' THEN 'mediation' WHEN ` +
        `'mediation' THEN 'legal_adviser' END`,
    );
  });
});
