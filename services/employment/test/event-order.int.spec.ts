import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SetClock, type ServiceRuntime } from '@anju/kit';
import {
  deliverAndRead,
  expectConvergence,
  prng,
  propertySeed,
  residentStream,
  testClockStart,
  serviceRuntimeForTest,
} from '@anju/testing';
import type { EventEnvelope } from '@anju/contracts';
import { loadEmploymentConfig } from '../src/config';
import { employmentData } from '../src/data-source';
import { handlers } from '../src/handlers';

const ORDERS = 40;
const SITES = [randomUUID(), randomUUID()];

/**
 * Resident events delivered out of order converge: whatever the order, redeliveries and events
 * published again, labour profiles and households' places end as in-order delivery leaves them
 * (the facts of the event that occurred last; a move-out wherever it came). Seeded; the seed is
 * printed on failure (PROPERTY_SEED=<seed> reproduces it).
 */
describe('labour profiles from resident events delivered in any order', () => {
  let rt: ServiceRuntime;
  let stop: () => Promise<void>;
  const clock = new SetClock(testClockStart());

  beforeAll(async () => {
    ({ rt, stop } = await serviceRuntimeForTest({
      service: 'employment',
      label: 'emp_order',
      data: employmentData,
      loadConfig: loadEmploymentConfig,
    }));
  }, 120_000);
  afterAll(() => stop?.(), 60_000);

  const state = async (m: EntityManager) => ({
    profiles: await m.query(
      `SELECT resident_id, household_id, site_id, region_code, labour_capacity, can_work_away, wants_work, birth_year,
              to_char(moved_out_on, 'YYYY-MM-DD') AS moved_out_on FROM labour_profile ORDER BY resident_id`,
    ),
    places: await m.query(
      `SELECT household_id, site_id, region_code, grid_id FROM household_place ORDER BY household_id`,
    ),
    waitingMoveOuts: (await m.query(`SELECT count(*)::int AS n FROM moved_out_resident`))[0].n,
  });
  const deliver = (deliveries: EventEnvelope[], rand: () => number) =>
    deliverAndRead({ db: rt.db, service: 'employment', handlers, clock, deliveries, rand, read: state });

  it('a move-out before the registration, and an older update after a newer one, end as in order', async () => {
    const stream = residentStream(prng(3), { residents: 40, siteIds: SITES, regionCode: '530102', start: clock.now() });
    const residentOf = (e: EventEnvelope) => (e.payload as { residentId?: string }).residentId;
    const movedOut = stream.find(
      (e) => e.name === 'resident.moved_out' && stream.filter((x) => residentOf(x) === residentOf(e)).length > 2,
    )!;
    const own = stream.filter((e) => residentOf(e) === residentOf(movedOut));
    const inOrder = await deliver(own, () => 0);
    expect(inOrder.profiles).toEqual([expect.objectContaining({ moved_out_on: expect.any(String) })]);
    expect(await deliver([...own].reverse(), () => 0)).toEqual(inOrder);
  });

  it(`streams of residents delivered in ${ORDERS} random orders, with duplicates, end as in order`, async () => {
    const seed = propertySeed();
    const stream = residentStream(prng(seed), {
      residents: 25,
      siteIds: SITES,
      regionCode: '530102',
      start: clock.now(),
    });
    const expected = await expectConvergence({ stream, orders: ORDERS, seed, deliver });
    expect(expected.profiles).toHaveLength(25);
    expect(expected.waitingMoveOuts).toBe(0);
  });
});
