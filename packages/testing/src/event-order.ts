import { randomUUID } from 'node:crypto';
import {
  EVENTS,
  indexHandlers,
  type EventEnvelope,
  type EventHandler,
  type EventName,
  type EventPayload,
  type ServiceName,
} from '@anju/contracts';
import {
  bootRuntime,
  createLogger,
  seededRandom,
  type Clock,
  type DataSourceOptions,
  type PlatformConfig,
  type ServiceRuntime,
} from '@anju/kit';
import { createTestDatabase, type TestDatabase } from './database';
import { migratedTemplate } from './system';

type DataSource = ServiceRuntime['db'];
type EntityManager = DataSource['manager'];

/**
 * One service's runtime (its data source, migrated) on a database of its own, for tests that call
 * its handlers or rules directly; `stop()` closes it and drops the database.
 */
export async function serviceRuntimeForTest(opts: {
  service: ServiceName;
  label: string;
  data: Omit<DataSourceOptions, 'applicationName'>;
  loadConfig: (env: Record<string, string>) => PlatformConfig;
}): Promise<{ rt: ServiceRuntime; db: TestDatabase; stop(): Promise<void> }> {
  const db = await createTestDatabase(opts.label, await migratedTemplate([opts.service]));
  const rt = await bootRuntime({
    name: opts.service,
    process: 'worker',
    applicationName: `${opts.label}-test`,
    ...opts.data,
    config: opts.loadConfig({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: '2', LOG_LEVEL: 'warn', NODE_ENV: 'test' }),
  });
  return {
    rt,
    db,
    stop: async () => {
      await rt.lifecycle.stop('test finished');
      await db.drop();
    },
  };
}

/** The seeded PRNG of property tests (the kit's mulberry32): a failing case reproduces from its seed. */
export const prng = seededRandom;

/** The seed of a property test: PROPERTY_SEED to reproduce a failure, else a new one each run. */
export function propertySeed(): number {
  const given = Number(process.env.PROPERTY_SEED);
  return Number.isInteger(given) && given > 0 ? given : 1 + Math.floor(Math.random() * 2 ** 31);
}

/** An event as its producer's relay sends it, occurring at `occurredAt`. */
export function envelopeOf<N extends EventName>(name: N, payload: EventPayload<N>, occurredAt: Date): EventEnvelope<N> {
  return {
    id: randomUUID(),
    name,
    version: EVENTS[name].version,
    occurredAt: occurredAt.toISOString(),
    producer: EVENTS[name].producer,
    payload,
  };
}

/**
 * How a broker may deliver an in-order stream: in a random order, some events twice (the same id:
 * a redelivery, which the inbox drops) and some published again (a new id, the same facts and
 * time, which the handlers must absorb).
 */
export function scramble(stream: EventEnvelope[], rand: () => number): EventEnvelope[] {
  const out = [...stream];
  for (const e of stream) {
    if (rand() < 0.15) out.push(e);
    if (rand() < 0.15) out.push({ ...e, id: randomUUID() });
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Applies `deliveries` to `service` as its consumer does, then reads the state with `read`, all in
 * one transaction that is rolled back (each delivery starts from the same state): consecutive
 * deliveries grouped into jobs of 1–`maxJob` events, a job's events not yet in the inbox (here a
 * set of ids) applied in runs of one name by the handler's `handleBatch`.
 */
export async function deliverAndRead<T>(opts: {
  db: DataSource;
  service: ServiceName;
  handlers: EventHandler[];
  clock: Clock;
  deliveries: EventEnvelope[];
  rand: () => number;
  maxJob?: number;
  read: (m: EntityManager) => Promise<T>;
}): Promise<T> {
  const handlers = indexHandlers(opts.service, opts.handlers);
  const logger = createLogger({ service: `${opts.service}-event-order`, level: 'warn' });
  const qr = opts.db.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  try {
    const manager = qr.manager;
    const inbox = new Set<string>();
    for (let i = 0; i < opts.deliveries.length;) {
      const size = 1 + Math.floor(opts.rand() * (opts.maxJob ?? 4));
      const job = opts.deliveries.slice(i, i + size).filter((e) => !inbox.has(e.id) && (inbox.add(e.id), true));
      i += size;
      for (let a = 0; a < job.length;) {
        let b = a + 1;
        while (b < job.length && job[b].name === job[a].name) b++;
        const items = job.slice(a, b).map((e) => ({ payload: EVENTS[e.name].payload.parse(e.payload), envelope: e }));
        await handlers.get(job[a].name)!.handleBatch(items as never, { manager, logger, clock: opts.clock });
        a = b;
      }
    }
    return await opts.read(manager);
  } finally {
    await qr.rollbackTransaction();
    await qr.release();
  }
}

/**
 * One household's gaps as employment's monitoring publishes
 * them: detected, later perhaps closed, then perhaps a new gap.
 */
export function gapStream(
  rand: () => number,
  opts: { households: number; siteIds: string[]; regionCode: string; start: Date },
): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  const rules = ['TRAINING_AND_SKILL', 'PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER', 'STABLE_INCOME'] as const;
  let t = opts.start.getTime();
  const next = (days: number) => new Date((t += days * 86_400_000 + 1_000));
  for (let h = 0; h < opts.households; h++) {
    const householdId = randomUUID();
    const siteId = opts.siteIds[h % opts.siteIds.length];
    for (let g = 0, gaps = 1 + Math.floor(rand() * 3); g < gaps; g++) {
      const gapId = randomUUID();
      const failed = rules.filter(() => rand() < 0.5);
      const at = next(1);
      const detectedOn = at.toISOString().slice(0, 10);
      out.push(
        envelopeOf(
          'household.gap.detected',
          {
            gapId,
            householdId,
            siteId,
            regionCode: opts.regionCode,
            rules: failed.length ? failed : ['EMPLOYED_MEMBER'],
            needsJobHelp:
              failed.length === 0 || failed.includes('EMPLOYED_MEMBER') || failed.includes('PUBLIC_WELFARE_POST'),
            detectedOn,
          },
          at,
        ),
      );
      if (g < gaps - 1 || rand() < 0.6) {
        const closedAt = next(1 + Math.floor(rand() * 20));
        out.push(
          envelopeOf(
            'household.gap.closed',
            {
              gapId,
              householdId,
              siteId,
              regionCode: opts.regionCode,
              closedOn: closedAt.toISOString().slice(0, 10),
            },
            closedAt,
          ),
        );
      }
    }
  }
  return out.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

/**
 * Residents as governance publishes them: registered, updated a few times (capacity, work wishes,
 * household, grid), perhaps moved out; the households of a pair share a site.
 */
export function residentStream(
  rand: () => number,
  opts: { residents: number; siteIds: string[]; regionCode: string; start: Date },
): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  const capacities = ['full', 'weak', 'none'] as const;
  let t = opts.start.getTime();
  const next = () => new Date((t += 1 + Math.floor(rand() * 3_600_000)));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  for (let r = 0; r < opts.residents; r++) {
    const residentId = randomUUID();
    const siteId = opts.siteIds[r % opts.siteIds.length];
    const households = [randomUUID(), randomUUID()];
    const grids = [randomUUID(), null];
    const facts = () => ({
      residentId,
      householdId: pick(households),
      siteId,
      regionCode: opts.regionCode,
      labourCapacity: pick(capacities),
      canWorkAway: rand() < 0.5,
      wantsWork: rand() < 0.5,
      birthYear: 1950 + Math.floor(rand() * 60),
      gridId: pick(grids),
    });
    let last = facts();
    out.push(envelopeOf('resident.registered', last, next()));
    for (let u = 0, updates = Math.floor(rand() * 4); u < updates; u++) {
      last = facts();
      out.push(envelopeOf('resident.updated', { ...last, changed: ['labourCapacity', 'householdId'] }, next()));
    }
    if (rand() < 0.4) {
      const at = next();
      out.push(
        envelopeOf(
          'resident.moved_out',
          {
            residentId,
            householdId: last.householdId,
            siteId,
            regionCode: opts.regionCode,
            movedOutOn: at.toISOString().slice(0, 10),
            reason: '投亲',
          },
          at,
        ),
      );
    }
  }
  return out.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

/**
 * The property: `stream` delivered in order (one event per job) and in `orders` scrambled orders
 * (see `scramble`) ends in the same state. Throws with the seed (PROPERTY_SEED=<seed> reproduces
 * it) and the failing order. Returns the in-order state.
 */
export async function expectConvergence<T>(opts: {
  stream: EventEnvelope[];
  orders: number;
  seed: number;
  deliver: (deliveries: EventEnvelope[], rand: () => number) => Promise<T>;
}): Promise<T> {
  const rand = prng(opts.seed);
  const expected = await opts.deliver(opts.stream, () => 0);
  for (let i = 0; i < opts.orders; i++) {
    const order = scramble(opts.stream, rand);
    const got = await opts.deliver(order, rand);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      throw new Error(
        `order ${i} of seed ${opts.seed} (PROPERTY_SEED=${opts.seed} reproduces it) does not converge:\n` +
          `${order.map((e) => `  ${e.occurredAt} ${e.name} ${JSON.stringify(e.payload)}`).join('\n')}\n` +
          `got      ${JSON.stringify(got)}\nexpected ${JSON.stringify(expected)}`,
      );
    }
  }
  return expected;
}
