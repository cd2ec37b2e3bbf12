import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { EVENTS, declareEvents, type ServiceDefinition, type ServiceName } from '@anju/contracts';
import type { PlatformConfig } from '@anju/kit';
import { REPO_ROOT, TestSystem, dataOf, tokenFor } from '@anju/testing';

/**
 * The toy service a newcomer writes, file by file, in a folder of its own: a catalog entry made with
 * the contract's `declareService`, settings, a migration, and two feature folders — `note/` (its part
 * of the schema, resolvers that publish an event) and `note-tally/` (its part of the schema, the
 * event's consumer) — the event's catalog entry, a scheduled task, and `defineService` in its index.
 * Nothing else in the repository is touched.
 */
const TOY: Record<string, string> = {
  'src/schema.graphql': `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"Notes left at a site: a toy service."
type Query

type Mutation
`,
  'src/note/note.graphql': `
extend type Query {
  "Notes of the sites in the caller's scope, oldest first."
  notes: [Note!]!
}

extend type Mutation {
  "Leaves a note at a site of the caller's scope. Publishes note.added."
  addNote(siteId: ID!, regionCode: String!, text: String!): Note!
}

type Note @key(fields: "id") {
  id: ID!
  siteId: ID!
  text: String!
}
`,
  'src/note/note.resolvers.ts': `
import { ForbiddenError, audit, coversPlace, requireRole, requireText, scopeFilter } from '@anju/kit';
import { publish, type EventName } from '@anju/contracts';
import type { ToyContext } from '../context';

const NOTE = 'n.id, n.site_id AS "siteId", n.text';

export const noteResolvers = {
  Query: {
    notes: (_: unknown, __: unknown, c: ToyContext) => {
      const scope = scopeFilter(c.principal, { place: { site: 'n.site_id', region: 'n.region_code' } });
      return c.db.query(\`SELECT \${NOTE} FROM note n WHERE \${scope.sql} ORDER BY n.seq\`, scope.params);
    },
  },
  Mutation: {
    addNote: (_: unknown, a: { siteId: string; regionCode: string; text: string }, c: ToyContext) => {
      requireRole(c.principal, 'province', 'county', 'site_officer');
      if (!coversPlace(c.principal, a)) throw new ForbiddenError('The site is outside your scope.');
      const text = requireText(a.text, 'text', c.noteMax);
      return c.db.transaction(async (m) => {
        const [note] = await m.query(
          \`INSERT INTO note AS n (site_id, region_code, text) VALUES ($1, $2, $3) RETURNING \${NOTE}\`,
          [a.siteId, a.regionCode, text],
        );
        await audit(m, c.principal, { action: 'note.add', entityType: 'note', entityId: note.id, siteId: a.siteId });
        // In the note's transaction, through the outbox: the event leaves when the note is committed.
        await publish(m, 'note.added' as EventName, { noteId: note.id, siteId: a.siteId } as never);
        return note;
      });
    },
  },
};
`,
  'src/note-tally/note-tally.graphql': `
extend type Query {
  "How many notes were left at a site, as the note.added events counted them."
  noteTally(siteId: ID!): Int!
}
`,
  'src/note-tally/note-tally.resolvers.ts': `
import { requireRole } from '@anju/kit';
import type { ToyContext } from '../context';

export const noteTallyResolvers = {
  Query: {
    noteTally: async (_: unknown, a: { siteId: string }, c: ToyContext) => {
      requireRole(c.principal, 'province', 'county', 'site_officer');
      const rows = await c.db.query('SELECT notes FROM note_tally WHERE site_id = $1', [a.siteId]);
      return rows[0]?.notes ?? 0;
    },
  },
};
`,
  'src/note-tally/note-added.handler.ts': `
import { defineHandler, type EventName } from '@anju/contracts';

/** Counts the note in its site's tally, in the inbox row's transaction (exactly once per event). */
export const noteAddedHandler = defineHandler('note.added' as EventName, async (payload, { manager }) => {
  const { siteId } = payload as unknown as { siteId: string };
  await manager.query(
    \`INSERT INTO note_tally (site_id, notes) VALUES ($1, 1)
     ON CONFLICT (site_id) DO UPDATE SET notes = note_tally.notes + 1\`,
    [siteId],
  );
});
`,
  'src/events.ts': `
import { z } from 'zod';
import { declareEvents, defineEvent, type ServiceName } from '@anju/contracts';

/** Its events' catalog entries; a real service adds them to packages/contracts/src/catalog.ts instead. */
declareEvents({
  'note.added': defineEvent({
    version: 1,
    producer: 'toy' as ServiceName,
    consumers: ['toy' as ServiceName],
    description: 'A note was left at a site; the note tally counts it.',
    payload: z.object({ noteId: z.uuid(), siteId: z.uuid() }),
  }),
});
`,
  'src/config.ts': `
import { loadConfig, platformSettings, setting, type ConfigOf } from '@anju/kit';

export const toySettings = {
  ...platformSettings,
  TOY_PORT: setting.port(4009, 'HTTP port of the toy subgraph'),
  TOY_WORKER_HEALTH_PORT: setting.port(4109, 'HTTP port of the toy worker’s /health and /ready'),
  TOY_NOTE_MAX: setting.int(140, 'Longest note, in characters', 1, 1000),
};
export type ToyConfig = ConfigOf<typeof toySettings>;
export const loadToyConfig = (env?: Record<string, string | undefined>) => loadConfig(toySettings, env);
`,
  'src/migrations.ts': `
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditLogMigration, runtimeRoleMigration } from '@anju/kit';
import { EventBatches1764400000000, EventTables1764201600000, EventTraces1764700000000 } from '@anju/contracts';

export class Notes1790000000000 implements MigrationInterface {
  name = 'Notes1790000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(\`CREATE TABLE note (seq bigserial UNIQUE, id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      site_id uuid NOT NULL, region_code varchar(6) NOT NULL, text text NOT NULL)\`);
    await q.query(\`COMMENT ON TABLE note IS 'A note left at a site.'\`);
    await q.query(\`CREATE TABLE note_tally (site_id uuid PRIMARY KEY, notes int NOT NULL)\`);
    await q.query(\`COMMENT ON TABLE note_tally IS 'Notes per site, counted from note.added.'\`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE note_tally, note');
  }
}

export const migrations = [EventTables1764201600000, Notes1790000000000, runtimeRoleMigration('toy', 1790000000001),
  EventBatches1764400000000, auditLogMigration('toy', 1790000000002), EventTraces1764700000000];
`,
  'src/context.ts': `
import type { DataSource } from 'typeorm';
import type { RequestBase } from '@anju/kit';

export interface ToyContext extends RequestBase { db: DataSource; noteMax: number }
`,
  'src/api.ts': `
import { startServiceApi, type RequestBase, type StartOptions } from '@anju/kit';
import type { ToyConfig } from './config';
import type { ToyContext } from './context';
import { toyData } from './data';
import { noteResolvers } from './note/note.resolvers';
import { noteTallyResolvers } from './note-tally/note-tally.resolvers';

const resolvers = {
  Query: { ...noteResolvers.Query, ...noteTallyResolvers.Query },
  Mutation: { ...noteResolvers.Mutation },
};

export function startToyApi(config: ToyConfig, opts: StartOptions = {}) {
  return startServiceApi({
    name: 'toy', config, port: config.TOY_PORT, schemaDir: __dirname,
    resolvers, data: toyData,
    context: (runtime) => (base: RequestBase): ToyContext =>
      ({ ...base, db: runtime.db, noteMax: config.TOY_NOTE_MAX }),
    logDestination: opts.logDestination, clock: opts.clock,
  });
}
`,
  'src/data.ts': `
import { migrations } from './migrations';

export const toyData = { schema: 'toy', migrations, runtimeRole: 'toy_app' };
`,
  'src/index.ts': `
import path from 'node:path';
import { SERVICE_DECLARATIONS, declareService, defineService } from '@anju/contracts';
import type { ServiceRuntime } from '@anju/kit';
import './events';
import { loadToyConfig, type ToyConfig } from './config';
import { toyData } from './data';
import { noteAddedHandler } from './note-tally/note-added.handler';

/** Its catalog entry; a real service adds this one line to packages/contracts/src/services.ts. */
export const declaration = declareService(
  'toy', 'toy', 'toy', 'TOY', { api: 4009, worker: 4109 }, undefined, path.join(__dirname, '..'),
);

export const service = defineService({
  declaration,
  loadConfig: loadToyConfig,
  data: toyData,
  startApi: async (config, opts) => (await import('./api')).startToyApi(config, opts),
  handlers: [noteAddedHandler],
  tasks: (runtime: ServiceRuntime<ToyConfig>) => [
    {
      name: 'toy.count-notes', cron: '0 * * * *',
      run: async () => (await runtime.db.query('SELECT count(*)::int AS n FROM note'))[0].n,
    },
  ],
}, [...SERVICE_DECLARATIONS, declaration]);
`,
};

/**
 * A new service from its definition alone (issue 21): the toy above, written to a temporary folder,
 * started by the same harness as the four real services, gets config, its own schema migrated, a
 * runtime login, the subgraph (its schema read from its feature folders) with scope and the audit guard, a
 * worker with its outbox relay, inbox consumer and scheduler, and health and metrics on both processes; an event
 * it declares itself goes from the note feature's mutation to the note-tally feature's handler.
 */
describe('a toy service defined in a folder of its own', () => {
  let dir: string;
  let sys: TestSystem;
  let toy: ServiceDefinition<PlatformConfig>;
  const name = 'toy' as ServiceName; // not in the contract's catalog: the harness is handed its definition
  const siteA = randomUUID();
  const siteB = randomUUID();
  const ADD = `mutation($s: ID!, $t: String!) {
    addNote(siteId: $s, regionCode: "530102", text: $t) { id siteId text } }`;
  /** A note left at a site of the test's own by its officer: each test that reads notes or events leaves its own. */
  const noteAt = async (siteId: string, text: string): Promise<{ id: string; officer: string }> => {
    const officer = await tokenFor({ role: 'site_officer', sites: [siteId] });
    return { id: dataOf(await sys.direct(name, ADD, { s: siteId, t: text }, officer)).addNote.id, officer };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-toy-'));
    for (const [file, text] of Object.entries(TOY)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text.trimStart());
    }
    // The packages a service depends on (kit, contracts, typeorm), as a service folder's node_modules has them.
    fs.symlinkSync(path.join(REPO_ROOT, 'services', 'matching', 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    toy = (require(path.join(dir, 'src')) as { service: ServiceDefinition<PlatformConfig> }).service;
    sys = await TestSystem.start({
      label: 'toy',
      apis: [],
      workers: [],
      gateway: false,
      services: [toy],
      env: { TOY_PORT: '0', TOY_WORKER_HEALTH_PORT: '0', TOY_NOTE_MAX: '20' },
    });
    await sys.startApi(name);
    await sys.startWorker(name);
  }, 120_000);
  afterAll(async () => {
    await sys?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads and checks its own settings, every bad one reported', () => {
    const config = toy.loadConfig({ ...sys.env, TOY_NOTE_MAX: '20' }) as PlatformConfig & { TOY_NOTE_MAX: number };
    expect(config.TOY_NOTE_MAX).toBe(20);
    expect(() => toy.loadConfig({ ...sys.env, TOY_NOTE_MAX: '0', TOY_PORT: 'x' })).toThrow(
      /TOY_NOTE_MAX[\s\S]*TOY_PORT|TOY_PORT[\s\S]*TOY_NOTE_MAX/,
    );
  });

  it('migrates its own schema: its table, event tables, audit log; its runtime login creates nothing', async () => {
    const tables = await sys.sql<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'toy' ORDER BY 1`,
    );
    expect(tables.map((r) => r.t)).toEqual(expect.arrayContaining(['audit_log', 'inbox', 'note', 'outbox']));
    const [{ comment }] = await sys.sql(`SELECT obj_description('toy.note'::regclass) AS comment`);
    expect(comment).toBe('A note left at a site.');
    const [{ canCreate }] = await sys.sql(`SELECT has_schema_privilege('toy_app', 'toy', 'CREATE') AS "canCreate"`);
    expect(canCreate).toBe(false);
  });

  it('serves its subgraph with scope, typed errors and the audit guard', async () => {
    const officerA = await tokenFor({ role: 'site_officer', sites: [siteA] });
    const officerB = await tokenFor({ role: 'site_officer', sites: [siteB] });
    const note = dataOf(await sys.direct(name, ADD, { s: siteA, t: ' 楼道灯坏了 ' }, officerA)).addNote;
    expect(note).toMatchObject({ siteId: siteA, text: '楼道灯坏了' });
    expect(await sys.audits(name, note.id)).toEqual([{ action: 'note.add', role: 'site_officer' }]);

    const tooLong = await sys.direct(name, ADD, { s: siteA, t: '长'.repeat(21) }, officerA);
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text', reason: 'LENGTH' });
    const elsewhere = await sys.direct(name, ADD, { s: siteA, t: '越权' }, officerB);
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await sys.sql(`SELECT text FROM toy.note WHERE site_id = $1`, [siteA])).toEqual([{ text: '楼道灯坏了' }]);

    const NOTES = `{ notes { id } }`;
    expect(dataOf(await sys.direct(name, NOTES, {}, officerA)).notes).toEqual([{ id: note.id }]);
    expect(dataOf(await sys.direct(name, NOTES, {}, officerB)).notes).toEqual([]);
    expect((await sys.direct(name, NOTES)).errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('publishes note.added with the note; the note-tally feature consumes it through the worker', async () => {
    const site = randomUUID();
    const note = await noteAt(site, '垃圾桶满了');
    await sys.waitForIdle();
    const published = await sys.sql(
      `SELECT id, event, payload->>'siteId' AS "siteId" FROM toy.outbox WHERE payload->>'noteId' = $1`,
      [note.id],
    );
    expect(published).toEqual([{ id: expect.any(String), event: 'note.added', siteId: site }]);
    expect(await sys.sql(`SELECT site_id AS "siteId", notes FROM toy.note_tally WHERE site_id = $1`, [site])).toEqual([
      { siteId: site, notes: 1 },
    ]);
    expect(await sys.sql(`SELECT event FROM toy.inbox WHERE event_id = $1`, [published[0].id])).toEqual([
      { event: 'note.added' },
    ]);
    const TALLY = `query($s: ID!) { noteTally(siteId: $s) }`;
    expect(dataOf(await sys.direct(name, TALLY, { s: site }, note.officer)).noteTally).toBe(1);
    // A name the catalog has already is refused: a published name never changes meaning.
    expect(() => declareEvents({ 'note.added': EVENTS['site.registered'] })).toThrow(/already in the catalog/);
  });

  it('runs a worker with its relay, inbox consumer and tasks; both processes answer health and metrics', async () => {
    const [{ n: before }] = await sys.sql(`SELECT count(*)::int AS n FROM toy.note`);
    const site = randomUUID();
    const { officer } = await noteAt(site, '路灯不亮');
    // A refusal of its own, under an operation name of its own, for the api's error counter.
    const refused = await sys.direct(
      name,
      `mutation NoteOutsideScope($s: ID!) { addNote(siteId: $s, regionCode: "530102", text: "越权") { id } }`,
      { s: siteA },
      officer,
    );
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    await sys.waitForIdle();
    expect(await sys.runTask(name, 'toy.count-notes')).toBe(before + 1);
    const ready = await fetch(sys.workerReady[name]!);
    expect(ready.status).toBe(200);
    const apiReady = await fetch(sys.urls[name]!.replace(/\/graphql$/, '/ready'));
    expect(apiReady.status).toBe(200);
    const workerMetrics = await (await fetch(sys.metricsUrls['toy-worker'])).text();
    expect(workerMetrics).toContain('toy.events');
    const apiMetrics = await (await fetch(sys.metricsUrls['toy-api'])).text();
    expect(apiMetrics).toContain(
      'anju_graphql_errors_total{operation="NoteOutsideScope",code="FORBIDDEN",service="toy",process="api"} 1',
    );
  });
});
