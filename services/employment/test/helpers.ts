import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';

export interface MonitoringWorld {
  sys: TestSystem;
  place: Place;
  province: string;
  /** Site officers of site A and of site B. */
  officerA: string;
  officerB: string;
  /** Household A, at site A: r1 (full capacity, cannot work away, wants work) and r2 (no labour capacity). */
  hhA: string;
  r1: string;
  r2: string;
  /** Household B, at site B: r3 (full capacity) and r4 (weak), both able to work away and wanting work. */
  r3: string;
  r4: string;
}

/**
 * A system running governance and employment with their workers, and two sites of 五华区 (530102), one household
 * each, whose residents are registered through the gateway and known to employment (the events drained).
 */
export async function startMonitoringWorld(label: string): Promise<MonitoringWorld> {
  const sys = await TestSystem.start({ label, workers: ['governance', 'employment'] });
  const place = await seedPlace(sys, 2);
  const province = place.provinceToken;
  const reg = async (hh: string, seq: number, o: Record<string, unknown>) =>
    dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(hh, seq, o) }, province)).registerResident
      .id as string;
  const hhA = place.householdIds[0];
  const world: MonitoringWorld = {
    sys,
    place,
    province,
    officerA: await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] }),
    officerB: await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]] }),
    hhA,
    r1: await reg(hhA, 1, { labourCapacity: 'FULL', canWorkAway: false, wantsWork: true }),
    r2: await reg(hhA, 2, { labourCapacity: 'NONE', canWorkAway: false, wantsWork: false }),
    r3: await reg(place.householdIds[1], 3, { labourCapacity: 'FULL', canWorkAway: true, wantsWork: true }),
    r4: await reg(place.householdIds[1], 4, { labourCapacity: 'WEAK', canWorkAway: true, wantsWork: true }),
  };
  await sys.waitForIdle();
  return world;
}
