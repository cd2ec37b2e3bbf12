import { distanceKm, explain, overlapHours, rankCandidates } from './score';
import type { DemandSpec, VolunteerSpec } from './types';

const H = 3_600_000;
const day = Date.UTC(2026, 0, 5);
const demand: DemandSpec = {
  id: 'd1',
  location: { lat: 25.04, lng: 102.71 },
  requiredSkills: ['elderly_care', 'cooking'],
  languages: ['彝语'],
  window: { start: day, end: day + 24 * H },
  hours: 2,
  priority: 1,
};
const volunteer = (over: Partial<VolunteerSpec> = {}): VolunteerSpec => ({
  id: 'v1',
  location: { lat: 25.04, lng: 102.71 },
  skills: ['elderly_care', 'cooking'],
  languages: ['普通话', '彝语'],
  availability: [{ start: day + 9 * H, end: day + 13 * H }],
  capacityHours: 10,
  loadHours: 0,
  completed: 8,
  failed: 0,
  ...over,
});

describe('score', () => {
  it('measures distance between sites on the sphere', () => {
    expect(distanceKm({ lat: 25, lng: 102 }, { lat: 25, lng: 102 })).toBe(0);
    // One degree of latitude is about 111 km.
    expect(distanceKm({ lat: 25, lng: 102 }, { lat: 26, lng: 102 })).toBeCloseTo(111.2, 0);
  });

  it('counts availability inside the window only', () => {
    expect(
      overlapHours({ start: 0, end: 10 * H }, [
        { start: 8 * H, end: 12 * H },
        { start: 2 * H, end: 3 * H },
      ]),
    ).toBe(3);
    expect(overlapHours({ start: 0, end: H }, [{ start: 2 * H, end: 3 * H }])).toBe(0);
  });

  it('explains a perfect match component by component', () => {
    const e = explain(demand, volunteer());
    expect(e.eligible).toBe(true);
    expect(e.violations).toEqual([]);
    const by = Object.fromEntries(e.components.map((c) => [c.name, c]));
    expect(by.skills.value).toBe(1);
    expect(by.skills.detail).toBe('2 of 2 required skills');
    expect(by.distance.value).toBe(1);
    expect(by.availability.value).toBe(1);
    expect(by.load.value).toBe(1);
    expect(by.reliability.value).toBeCloseTo(0.9);
    expect(e.score).toBeCloseTo(e.components.reduce((s, c) => s + c.weight * c.value, 0));
    expect(e.components.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1);
  });

  it('marks each hard constraint that fails', () => {
    expect(explain(demand, volunteer({ languages: ['普通话'] })).violations).toEqual(['LANGUAGE']);
    expect(
      explain(demand, volunteer({ availability: [{ start: day + 9 * H, end: day + 10 * H }] })).violations,
    ).toEqual(['AVAILABILITY']);
    expect(explain(demand, volunteer({ loadHours: 9 })).violations).toEqual(['CAPACITY']);
    // Service is in person: a home site over MAX_DISTANCE_KM (50 km) away is out.
    expect(explain(demand, volunteer({ location: { lat: 26, lng: 102.71 } })).violations).toEqual(['DISTANCE']);
    expect(explain(demand, volunteer({ languages: ['彝语'.normalize()] })).eligible).toBe(true);
  });

  it('scores fewer skills, more distance, more load and a worse record lower', () => {
    const base = explain(demand, volunteer()).score;
    expect(explain(demand, volunteer({ skills: ['cooking'] })).score).toBeLessThan(base);
    expect(explain(demand, volunteer({ location: { lat: 25.3, lng: 102.71 } })).score).toBeLessThan(base);
    expect(explain(demand, volunteer({ loadHours: 6 })).score).toBeLessThan(base);
    expect(explain(demand, volunteer({ failed: 8 })).score).toBeLessThan(base);
  });

  it('ranks eligible candidates best first and leaves out the ineligible', () => {
    const ranked = rankCandidates(demand, [
      volunteer({ id: 'far', location: { lat: 25.3, lng: 102.71 } }),
      volunteer({ id: 'too-far', location: { lat: 26, lng: 102.71 } }),
      volunteer({ id: 'near' }),
      volunteer({ id: 'no-yi', languages: ['普通话'] }),
    ]);
    expect(ranked.map((e) => e.volunteerId)).toEqual(['near', 'far']);
  });
});
