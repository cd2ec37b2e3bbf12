import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { purgeEventTables, type Sql } from '@anju/contracts';
import { createDataSource, loadConfig, platformSettings } from '@anju/kit';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';
import { ERASED_NAME, eraseMovedOutResidents } from '../src/resident/resident-retention.task';

/**
 * Retention (PIPL minimisation): moved-out residents' personal data, settled outbox rows, old inbox
 * ids and resolved dead letters are purged by age — the cut-offs counted from the instant each run is
 * given, as the nightly tasks count from their clock — while the audit log keeps every row.
 */
describe('retention', () => {
  let sys: TestSystem;
  let place: Place;
  let officer: string;
  let db: Client;
  /** Governance's data source, as its worker's nightly task holds it. */
  let governance: ReturnType<typeof createDataSource>;
  const sql: Sql = { query: async (text, params) => (await db.query(text, params)).rows };
  const DEFAULTS = loadConfig(platformSettings, {});

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'retention', apis: ['governance'], workers: [] });
    place = await seedPlace(sys, 1);
    officer = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    db = new Client({ connectionString: sys.db.url, options: '-c search_path=governance' });
    await db.connect();
    governance = createDataSource(loadConfig(platformSettings, sys.env), {
      schema: 'governance',
      migrations: [],
      applicationName: 'retention-test',
    });
    await governance.initialize();
  });
  afterAll(async () => {
    await governance?.destroy();
    await db?.end();
    await sys?.stop();
  });

  async function resident(seq: number, movedOutOn?: string): Promise<string> {
    const input = residentInput(place.householdIds[0], seq);
    const id = dataOf(await sys.query(REGISTER_RESIDENT, { i: input }, officer)).registerResident.id as string;
    if (movedOutOn) {
      dataOf(
        await sys.query(
          `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
          { id, i: { movedOutOn, reason: '随子女迁往昆明' } },
          officer,
        ),
      );
    }
    return id;
  }
  const row = async (id: string) =>
    (
      await sql.query(
        `SELECT name, national_id_sealed IS NULL AS "sealedGone", national_id_hash IS NULL AS "hashGone",
            national_id_masked AS masked, phone_sealed IS NULL AS "phoneGone", phone_masked AS "phoneMasked",
            to_char(birth_date, 'YYYY-MM-DD') AS birth,
            moved_out_reason AS reason, personal_data_erased_at IS NOT NULL AS erased
       FROM resident WHERE id = $1`,
        [id],
      )
    )[0];

  it("erases moved-out residents' personal data after RETENTION_MOVED_OUT_DAYS, audited, nobody else's", async () => {
    const longGone = await resident(1, '2024-01-10');
    const recentlyGone = await resident(2, '2026-10-01');
    const stays = await resident(3);
    const oldAudit = (await sql.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n;

    // 730 days (the default) before 2026-12-01 in Yunnan is 2024-12-01: only the first is due.
    expect(await eraseMovedOutResidents(governance, 730, new Date('2026-12-01T09:00:00+08:00'))).toBe(1);
    expect(await row(longGone)).toEqual({
      name: ERASED_NAME,
      sealedGone: true,
      hashGone: true,
      masked: '530102************',
      phoneGone: true,
      phoneMasked: null,
      birth: '1985-01-01',
      reason: null,
      erased: true,
    });
    for (const id of [recentlyGone, stays]) {
      expect(await row(id)).toMatchObject({ name: expect.stringMatching(/^居民/), sealedGone: false, erased: false });
    }
    const audited = await sql.query(
      `SELECT actor_subject, action, entity_id FROM audit_log WHERE action = 'resident.erase_personal_data'`,
    );
    expect(audited).toEqual([
      { actor_subject: 'system:retention', action: 'resident.erase_personal_data', entity_id: longGone },
    ]);
    // Announced in the same transaction, so that the other services erase their copies.
    const announced = await sql.query(`SELECT payload FROM outbox WHERE event = 'resident.personal_data_erased'`);
    expect(announced).toEqual([
      { payload: expect.objectContaining({ residentId: longGone, siteId: place.siteIds[0], erasedOn: '2026-12-01' }) },
    ]);

    // Nothing to reveal any more: a typed error, not a decryption failure.
    const reveal = await sys.query(
      `mutation($id: ID!, $r: String!) { revealResidentContact(id: $id, reason: $r) { nationalId } }`,
      { id: longGone, r: '核对身份' },
      officer,
    );
    expect(reveal.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ERASED' });

    // A second run at the same instant finds nothing; two years on, the second resident is due too.
    expect(await eraseMovedOutResidents(governance, 730, new Date('2026-12-01T09:00:00+08:00'))).toBe(0);
    expect(await eraseMovedOutResidents(governance, 730, new Date('2028-10-02T09:00:00+08:00'))).toBe(1);
    expect(await row(recentlyGone)).toMatchObject({ name: ERASED_NAME, erased: true });
    expect(await row(stays)).toMatchObject({ erased: false, sealedGone: false });
    expect((await sql.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n).toBe(oldAudit + 2);
  });

  it('purges settled outbox rows, old inbox ids, resolved dead letters by age; keeps what is not applied', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const names = [
      'settledOld',
      'settledNew',
      'unsettledOld',
      'inboxOld',
      'inboxNew',
      'dlResolvedOld',
      'dlResolvedNew',
      'dlOpenOld',
    ];
    const ids = Object.fromEntries(names.map((k) => [k, randomUUID()]));
    const outbox = `INSERT INTO outbox (id, event, version, payload, occurred_at, sent_at, settled_at)
      VALUES ($1, 'resident.registered', 1, '{}', $2, $2, $3)`;
    await sql.query(outbox, [ids.settledOld, daysAgo(9), daysAgo(8)]);
    await sql.query(outbox, [ids.settledNew, daysAgo(2), daysAgo(1)]);
    await sql.query(outbox, [ids.unsettledOld, daysAgo(40), null]);
    const inbox = `INSERT INTO inbox (event_id, event, processed_at) VALUES ($1, 'training.completed', $2)`;
    await sql.query(inbox, [ids.inboxOld, daysAgo(31)]);
    await sql.query(inbox, [ids.inboxNew, daysAgo(29)]);
    const dead = `INSERT INTO dead_letter (event_id, event, envelope, error, attempts, failed_at, resolved_at)
      VALUES ($1, 'training.completed', '{}', 'x', 8, $2, $3)`;
    await sql.query(dead, [ids.dlResolvedOld, daysAgo(200), daysAgo(91)]);
    await sql.query(dead, [ids.dlResolvedNew, daysAgo(200), daysAgo(89)]);
    await sql.query(dead, [ids.dlOpenOld, daysAgo(400), null]);
    // An audit row older than 180 days (written as the owner could, back-dated): retention never touches the audit log.
    await sql.query(
      `INSERT INTO audit_log (at, actor_subject, actor_role, action, entity_type, entity_id)
      VALUES ($1, 's', 'province', 'x', 'X', '1')`,
      [daysAgo(400)],
    );

    const deleted = await purgeEventTables(sql, DEFAULTS, now);
    expect(deleted).toEqual({ outbox: expect.any(Number), inbox: expect.any(Number), dead_letter: 1 });
    const left = async (table: string, col: string) =>
      (await sql.query(`SELECT ${col} AS id FROM ${table} WHERE ${col} = ANY($1::uuid[])`, [Object.values(ids)]))
        .map((r) => r.id)
        .sort();
    expect(await left('outbox', 'id')).toEqual([ids.settledNew, ids.unsettledOld].sort());
    expect(await left('inbox', 'event_id')).toEqual([ids.inboxNew]);
    expect(await left('dead_letter', 'event_id')).toEqual([ids.dlResolvedNew, ids.dlOpenOld].sort());
    expect((await sql.query(`SELECT count(*)::int AS n FROM audit_log WHERE at < $1`, [daysAgo(180)]))[0].n).toBe(1);
  });
});
