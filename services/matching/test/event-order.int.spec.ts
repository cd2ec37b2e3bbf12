import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SetClock, type ServiceRuntime } from '@anju/kit';
import {
  deliverAndRead,
  expectConvergence,
  gapStream,
  prng,
  propertySeed,
  testClockStart,
  serviceRuntimeForTest,
} from '@anju/testing';
import type { EventEnvelope } from '@anju/contracts';
import { loadMatchingConfig } from '../src/config';
import { matchingData } from '../src/data-source';
import { handlers } from '../src/handlers';

const ORDERS = 40;
const SITES = [randomUUID(), randomUUID()];

/**
 * Events delivered out of order converge: whatever the order, redeliveries and events published
 * again, matching's job-help demands end as in-order delivery leaves them. Seeded; the seed is printed
 * on failure (PROPERTY_SEED=<seed> reproduces it).
 */
describe('job-help demands from events delivered in any order', () => {
  let rt: ServiceRuntime;
  let stop: () => Promise<void>;
  const clock = new SetClock(testClockStart());

  beforeAll(async () => {
    ({ rt, stop } = await serviceRuntimeForTest({
      service: 'matching',
      label: 'match_order',
      data: matchingData,
      loadConfig: loadMatchingConfig,
    }));
    for (const site of SITES) {
      await rt.db.query(
        `INSERT INTO site_directory (site_id, region_code, name, latitude, longitude, planned_households) VALUES ($1,
          '530102', $2, 25, 102.7, 100)`,
        [site, `安置点 ${site}`],
      );
    }
  }, 120_000);
  afterAll(() => stop?.(), 60_000);

  /** Each gap's demand: its status, its transitions, and assignments still proposed or accepted. */
  const demands = (m: EntityManager) =>
    m.query(
      `SELECT d.gap_id, d.status, d.category, d.description, d.household_id, d.site_id,
            (SELECT array_agg(coalesce(t.from_status, '-') || '>' || t.to_status ORDER BY t.id)
              FROM demand_transition t WHERE t.demand_id = d.id) AS transitions,
            (SELECT count(*)::int FROM assignment a WHERE a.demand_id = d.id AND a.status IN ('proposed',
              'accepted')) AS active
       FROM demand d WHERE d.gap_id IS NOT NULL ORDER BY d.gap_id`,
    );
  const deliver = (deliveries: EventEnvelope[], rand: () => number) =>
    deliverAndRead({ db: rt.db, service: 'matching', handlers, clock, deliveries, rand, read: demands });

  it('household.gap.closed before household.gap.detected leaves no open demand', async () => {
    const [detected, closed] = gapStream(prng(1), {
      households: 1,
      siteIds: SITES,
      regionCode: '530102',
      start: clock.now(),
    }).map((e) => (e.name === 'household.gap.detected' ? { ...e, payload: { ...e.payload, needsJobHelp: true } } : e));
    expect([detected.name, closed.name]).toEqual(['household.gap.detected', 'household.gap.closed']);
    const rand = prng(2);
    const inOrder = await deliver([detected, closed], rand);
    const reversed = await deliver([closed, detected], rand);
    expect(reversed).toEqual(inOrder);
    expect(reversed).toEqual([expect.objectContaining({ status: 'closed', transitions: ['->open', 'open>closed'] })]);
    // The same gap published again after it closed opens nothing either.
    expect(await deliver([closed, detected, { ...detected, id: randomUUID() }], rand)).toEqual(inOrder);
  });

  it(`streams of gaps delivered in ${ORDERS} random orders, with duplicates, end as in order`, async () => {
    const seed = propertySeed();
    const stream = gapStream(prng(seed), { households: 12, siteIds: SITES, regionCode: '530102', start: clock.now() });
    const expected = await expectConvergence({ stream, orders: ORDERS, seed, deliver });
    expect(expected.map((x: { status: string }) => x.status)).toEqual(expect.arrayContaining(['open', 'closed']));
  });
});
