import { assignBatch, buildCandidates } from './batch';
import { exactOptimum } from './exact';
import { generateInstance, rng } from './generate';
import { explain, overlapHours, speaksAll } from './score';
import type { BatchResult, DemandSpec, VolunteerSpec } from './types';

const H = 3_600_000;

/** Every hard constraint, checked from the raw data, not from the engine's own bookkeeping. */
function assertFeasible(demands: DemandSpec[], volunteers: VolunteerSpec[], result: BatchResult) {
  const byD = new Map(demands.map((d) => [d.id, d]));
  const byV = new Map(volunteers.map((v) => [v.id, v]));
  const used = new Map<string, number>();
  const seen = new Set<string>();
  for (const a of result.assignments) {
    const d = byD.get(a.demandId)!;
    const v = byV.get(a.volunteerId)!;
    expect(seen.has(d.id)).toBe(false);
    seen.add(d.id);
    expect(speaksAll(d, v)).toBe(true);
    expect(overlapHours(d.window, v.availability)).toBeGreaterThanOrEqual(d.hours - 1e-9);
    used.set(v.id, (used.get(v.id) ?? 0) + d.hours);
  }
  for (const [id, hours] of used) {
    const v = byV.get(id)!;
    expect(hours).toBeLessThanOrEqual(v.capacityHours - v.loadHours + 1e-9);
  }
  const total = result.assignments.reduce((s, a) => s + byD.get(a.demandId)!.priority * a.score, 0);
  expect(result.totalScore).toBeCloseTo(total, 9);
}

describe('batch assignment (unit cases)', () => {
  const day = Date.UTC(2026, 0, 5);
  const at = { lat: 25, lng: 102.7 };
  const d = (id: string, over: Partial<DemandSpec> = {}): DemandSpec => ({
    id,
    location: at,
    requiredSkills: [],
    languages: [],
    window: { start: day, end: day + 24 * H },
    hours: 2,
    priority: 1,
    ...over,
  });
  const v = (id: string, over: Partial<VolunteerSpec> = {}): VolunteerSpec => ({
    id,
    location: at,
    skills: [],
    languages: ['普通话'],
    availability: [{ start: day + 8 * H, end: day + 18 * H }],
    capacityHours: 4,
    loadHours: 0,
    completed: 0,
    failed: 0,
    ...over,
  });

  it('never gives a demand needing a language to someone without it, even if nobody else is free', () => {
    const r = assignBatch([d('yi', { languages: ['彝语'] })], [v('mandarin-only', { skills: ['everything'] })]);
    expect(r.assignments).toEqual([]);
    expect(r.unassigned).toEqual(['yi']);
  });

  it('lets two short demands replace one long one when that is worth more (mixed hours)', () => {
    const vs = [v('x', { capacityHours: 7 })];
    const ds = [d('long', { hours: 6, priority: 1.25 }), d('short1', { hours: 4 }), d('short2', { hours: 3 })];
    const r = assignBatch(ds, vs, { candidates: 'all' });
    expect(r.assignments.map((a) => a.demandId).sort()).toEqual(['short1', 'short2']);
    expect(r.totalScore).toBeCloseTo(exactOptimum(ds, vs).total, 9);
  });

  it('fills a volunteer up to capacity and no further', () => {
    const r = assignBatch([d('a'), d('b'), d('c')], [v('x', { capacityHours: 4 })]);
    expect(r.assignments).toHaveLength(2);
  });

  it('never pairs a volunteer with a demand they declined, and gives their hours to the others', () => {
    const ds = [d('declined'), d('b'), d('c')];
    for (const candidates of ['grid', 'all'] as const) {
      const r = assignBatch(ds, [v('x', { capacityHours: 2 })], { candidates, refused: new Set(['declined|x']) });
      expect(r.assignments.map((a) => `${a.demandId}->${a.volunteerId}`)).toEqual(['b->x']);
    }
  });

  it('moves an assigned demand to make room (an augmenting path), reaching the optimum', () => {
    // a can go to x or y; b only to x. Greedy giving x to a first would leave b out.
    const vs = [
      v('x', { capacityHours: 2, skills: ['s'] }),
      v('y', { capacityHours: 2, location: { lat: 25.2, lng: 102.7 } }),
    ];
    const ds = [d('a', { requiredSkills: ['s'], priority: 2 }), d('b', { languages: ['彝语'] })];
    vs[0] = { ...vs[0], languages: ['普通话', '彝语'] };
    const r = assignBatch(ds, vs, { candidates: 'all' });
    expect(r.assignments.map((a) => `${a.demandId}->${a.volunteerId}`).sort()).toEqual(['a->y', 'b->x']);
    expect(r.totalScore).toBeCloseTo(exactOptimum(ds, vs).total, 9);
  });

  it('scores arcs exactly as explain() does', () => {
    const { demands, volunteers } = generateInstance(7, { demands: 30, volunteers: 40, sites: 4 });
    const g = buildCandidates(demands, volunteers, { candidates: 'all', k: 1_000 });
    for (let i = 0; i < demands.length; i++) {
      for (let a = g.start[i]; a < g.start[i + 1]; a++) {
        const e = explain(demands[i], volunteers[g.volunteer[a]]);
        expect(e.eligible).toBe(true);
        expect(g.score[a]).toBeCloseTo(e.score, 12);
      }
    }
  });
});

describe('batch assignment (properties over random instances)', () => {
  const seeds = Array.from({ length: 150 }, (_, i) => 1_000 + i);

  it('respects every hard constraint and capacity (mixed hours, sparse candidates)', () => {
    for (const seed of seeds) {
      const r = rng(seed);
      const { demands, volunteers } = generateInstance(seed, {
        demands: 5 + Math.floor(r() * 60),
        volunteers: 3 + Math.floor(r() * 40),
        sites: 1 + Math.floor(r() * 5),
      });
      assertFeasible(demands, volunteers, assignBatch(demands, volunteers, { k: 1 + Math.floor(r() * 6) }));
    }
  });

  it('equals the exact optimum when every demand needs the same hours (min-cost flow is exact)', () => {
    for (const seed of seeds) {
      const { demands, volunteers } = generateInstance(seed, { demands: 7, volunteers: 5, sites: 2, unitHours: true });
      const engine = assignBatch(demands, volunteers, { candidates: 'all', k: 100 });
      assertFeasible(demands, volunteers, engine);
      expect(engine.totalScore).toBeCloseTo(exactOptimum(demands, volunteers).total, 9);
    }
  });

  it('stays within a few percent of the exact optimum with mixed hours, never above it', () => {
    const ratios: number[] = [];
    for (const seed of seeds) {
      const { demands, volunteers } = generateInstance(seed, { demands: 8, volunteers: 8, sites: 2 });
      const engine = assignBatch(demands, volunteers, { candidates: 'all', k: 100 });
      assertFeasible(demands, volunteers, engine);
      const opt = exactOptimum(demands, volunteers).total;
      expect(engine.totalScore).toBeLessThanOrEqual(opt + 1e-9);
      ratios.push(opt === 0 ? 1 : engine.totalScore / opt);
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(Math.min(...ratios)).toBeGreaterThan(0.9);
    expect(mean).toBeGreaterThan(0.995);
  });
});
