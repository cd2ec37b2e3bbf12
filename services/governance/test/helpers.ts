import { randomUUID } from 'node:crypto';
import { dataOf, seedPlace, tokenFor, withClient, type Place, type TestSystem } from '@anju/testing';

export interface Neighbourhood extends Place {
  siteId: string;
  officer: string;
  gridIds: string[];
  buildingIds: string[];
  /** One household per building. */
  householdIds: string[];
  workerTokens: string[];
}

/**
 * A site (the first of `seedPlace`) with two grids, one building in each and one household per
 * building, registered through the gateway by its site officer; one grid-worker token per grid.
 */
export async function seedNeighbourhood(sys: TestSystem): Promise<Neighbourhood> {
  const place = await seedPlace(sys, 2);
  const siteId = place.siteIds[0];
  const officer = await tokenFor({ role: 'site_officer', sites: [siteId], sub: 'officer-zhang' });
  const run = async (q: string, i: Record<string, unknown>) =>
    Object.values(dataOf(await sys.query<Record<string, { id: string }>>(q, { i }, officer)))[0].id;
  const gridIds: string[] = [];
  const buildingIds: string[] = [];
  const householdIds: string[] = [];
  for (const n of [1, 2]) {
    const gridId = await run(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, {
      siteId,
      name: `第${n}网格`,
      gridWorkerSubject: `gw-${n}`,
    });
    const buildingId = await run(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
      siteId,
      name: `${n}栋`,
      gridId,
    });
    householdIds.push(
      await run(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
        siteId,
        householdNumber: `${n}-101`,
        buildingId,
      }),
    );
    gridIds.push(gridId);
    buildingIds.push(buildingId);
  }
  const workerTokens = await Promise.all(
    gridIds.map((g, i) => tokenFor({ role: 'grid_worker', grids: [g], sub: `gw-${i + 1}` })),
  );
  return { ...place, siteId, officer, gridIds, buildingIds, householdIds: householdIds, workerTokens };
}

/** Delivers an event to governance's inbox queue as the relay of its producer would. */
export async function deliver(
  sys: TestSystem,
  name: string,
  payload: Record<string, unknown>,
  opts: { id?: string; producer?: string; jobId?: string } = {},
): Promise<string> {
  const id = opts.id ?? randomUUID();
  const queue = sys.queue('governance');
  await queue.add(
    name,
    {
      id,
      name,
      version: 1,
      producer: opts.producer ?? 'employment',
      occurredAt: sys.clock.now().toISOString(),
      payload,
    },
    { jobId: opts.jobId ?? id },
  );
  await queue.close();
  return id;
}

/**
 * A `query` over the test database with governance's search path, for calling scheduled tasks' run()
 * directly; `transaction` runs its work on one connection between BEGIN and COMMIT (ROLLBACK on a throw).
 */
export function governanceSql(sys: TestSystem) {
  const onClient = <T>(work: (c: { query: (t: string, p?: unknown[]) => Promise<any> }) => Promise<T>) =>
    withClient(sys.db.url, async (c) => {
      await c.query('SET search_path TO governance, public');
      return work({ query: async (text: string, params: unknown[] = []) => (await c.query(text, params)).rows });
    });
  return {
    query: (text: string, params: unknown[] = []) => onClient((c) => c.query(text, params)),
    transaction: <T>(work: (m: { query: (t: string, p?: unknown[]) => Promise<any> }) => Promise<T>) =>
      onClient(async (c) => {
        await c.query('BEGIN');
        try {
          const result = await work(c);
          await c.query('COMMIT');
          return result;
        } catch (err) {
          await c.query('ROLLBACK');
          throw err;
        }
      }),
  };
}

/** Registers residents through the gateway; returns their ids in order. */
export async function registerResidents(
  sys: TestSystem,
  token: string,
  people: { householdId: string; seq: number; overrides?: Record<string, unknown> }[],
): Promise<string[]> {
  const { REGISTER_RESIDENT, residentInput } = await import('@anju/testing');
  const ids: string[] = [];
  for (const p of people)
    ids.push(
      dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(p.householdId, p.seq, p.overrides) }, token))
        .registerResident.id,
    );
  return ids;
}
