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
import { loadGovernanceConfig } from '../src/config';
import { governanceData } from '../src/data-source';
import { handlers } from '../src/handlers';

const ORDERS = 40;
const SITES = [randomUUID(), randomUUID()];

/**
 * Events delivered out of order converge: whatever the order, redeliveries and events published
 * again, governance's grid tasks end as in-order delivery leaves them. Seeded; the seed is printed
 * on failure (PROPERTY_SEED=<seed> reproduces it).
 */
describe('grid tasks from events delivered in any order', () => {
  let rt: ServiceRuntime;
  let stop: () => Promise<void>;
  const clock = new SetClock(testClockStart());

  beforeAll(async () => {
    ({ rt, stop } = await serviceRuntimeForTest({
      service: 'governance',
      label: 'gov_order',
      data: governanceData,
      loadConfig: loadGovernanceConfig,
    }));
  }, 120_000);
  afterAll(() => stop?.(), 60_000);

  /** What a grid worker and the portal see of each gap's task. */
  const tasks = (m: EntityManager) =>
    m.query(
      `SELECT source_key, kind, status, title, detail, to_char(due_on, 'YYYY-MM-DD') AS due_on, site_id,
        count(*)::int AS n
       FROM grid_task GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1`,
    );
  const deliver = (deliveries: EventEnvelope[], rand: () => number) =>
    deliverAndRead({ db: rt.db, service: 'governance', handlers, clock, deliveries, rand, read: tasks });

  it('household.gap.closed before household.gap.detected leaves no open task', async () => {
    const [detected, closed] = gapStream(prng(1), {
      households: 1,
      siteIds: SITES,
      regionCode: '530102',
      start: clock.now(),
    });
    expect([detected.name, closed.name]).toEqual(['household.gap.detected', 'household.gap.closed']);
    const rand = prng(2);
    const inOrder = await deliver([detected, closed], rand);
    const reversed = await deliver([closed, detected], rand);
    expect(reversed).toEqual(inOrder);
    expect(reversed).toEqual([expect.objectContaining({ status: 'closed', n: 1 })]);
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
