import { isUuid, provinceDate, PROVINCE_ZONE_SQL } from '@anju/kit';
import type { EntityManager } from 'typeorm';
import { notifyPointsCredited } from '../notification/points-notifications';

/**
 * The ledger's one write path. Every change to a balance is an appended `points_entry` row and the
 * matching update of `points_account`, in the same transaction, under the account's row lock
 * (SELECT … FOR UPDATE): two writers for one resident queue on that lock, so a balance is always
 * its ledger sum, never negative, and caps are checked against a total no one else is changing.
 *
 * Lock order, everywhere: redemption row → resident accounts (by id) → reward row. No path takes
 * them in another order, so they cannot deadlock.
 */

export type EntryKind = 'credit' | 'grant' | 'deduct' | 'expire' | 'redeem' | 'refund';
export type PointsEventName = 'activity.attended' | 'service.verified' | 'training.completed' | 'micro_issue.resolved';

/** Kinds that count in the participation score (rankings): taking part, not spending. */
export const SCORED_KINDS: readonly EntryKind[] = ['credit', 'grant', 'deduct'];

export interface LockedAccount {
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  balance: number;
}

export interface EntryRow {
  id: string;
  residentId: string;
  siteId: string;
  kind: EntryKind;
  points: number;
  balanceAfter: number;
  ruleId: string | null;
  sourceEventId: string | null;
  sourceEvent: PointsEventName | null;
  redemptionId: string | null;
  reason: string | null;
  actor: string | null;
  capped: boolean;
  occurredAt: Date;
  expiresAt: Date | null;
  recordedAt: Date;
}

export const ENTRY_COLUMNS = `e.id::text AS id, e.resident_id AS "residentId", e.site_id AS "siteId", e.kind, e.points,
    e.balance_after AS "balanceAfter",
  e.rule_id AS "ruleId", e.source_event_id AS "sourceEventId", e.source_event AS "sourceEvent",
    e.redemption_id AS "redemptionId",
  e.reason, e.actor, e.capped, e.occurred_at AS "occurredAt", e.expires_at AS "expiresAt",
    e.recorded_at AS "recordedAt"`;

/**
 * Locks the resident's balance row for the rest of the transaction, opening the account on first
 * use. Null if governance has no such resident.
 */
export async function lockAccount(m: EntityManager, residentId: string): Promise<LockedAccount | null> {
  if (!isUuid(residentId)) return null;
  const select = () =>
    m.query(
      `SELECT a.resident_id AS "residentId", r.household_id AS "householdId", r.site_id AS "siteId",
         r.region_code AS "regionCode", a.balance
       FROM points_account a JOIN resident r ON r.id = a.resident_id WHERE a.resident_id = $1 FOR UPDATE OF a`,
      [residentId],
    ) as Promise<LockedAccount[]>;
  let rows = await select();
  if (!rows.length) {
    await m.query(
      `INSERT INTO points_account (resident_id) SELECT id FROM resident WHERE id = $1 ON CONFLICT DO NOTHING`,
      [residentId],
    );
    rows = await select();
  }
  return rows[0] ?? null;
}

export interface NewEntry {
  kind: EntryKind;
  points: number;
  ruleId?: string | null;
  sourceEventId?: string | null;
  sourceEvent?: PointsEventName | null;
  redemptionId?: string | null;
  reason?: string | null;
  actor?: string | null;
  capped?: boolean;
  /**
   * The process clock's reading: statements cut periods on it, and it is the entry's time unless `occurredAt` says
   * otherwise.
   */
  recordedAt: Date;
  occurredAt?: Date | string;
  expiresAt?: Date | string | null;
}

/**
 * Appends one entry to a locked account and moves its balance by the same amount, in one
 * statement. Null when a unique rule of the ledger refused the entry (the event already credited,
 * the redemption already refunded): then nothing changed.
 */
export async function tryAppendEntry(m: EntityManager, account: LockedAccount, e: NewEntry): Promise<EntryRow | null> {
  const balanceAfter = account.balance + e.points;
  if (balanceAfter < 0) throw new Error(`ledger invariant: an entry of ${e.points} would make a balance negative`);
  const scored = SCORED_KINDS.includes(e.kind) ? e.points : 0;
  const rows: EntryRow[] = await m.query(
    `WITH e AS (
       INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, rule_id,
         source_event_id, source_event,
           redemption_id, reason, actor, capped, occurred_at, expires_at, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14::timestamptz, $17), $15, $17)
       ON CONFLICT DO NOTHING
       RETURNING *),
     moved AS (
       UPDATE points_account a SET balance = a.balance + e.points, score = a.score + $16, updated_at = now() FROM e
       WHERE a.resident_id = e.resident_id RETURNING 1)
     SELECT ${ENTRY_COLUMNS} FROM e`,
    [
      account.residentId,
      account.siteId,
      account.regionCode,
      e.kind,
      e.points,
      balanceAfter,
      e.ruleId ?? null,
      e.sourceEventId ?? null,
      e.sourceEvent ?? null,
      e.redemptionId ?? null,
      e.reason ?? null,
      e.actor ?? null,
      e.capped ?? false,
      e.occurredAt ?? null,
      e.expiresAt ?? null,
      scored,
      e.recordedAt,
    ],
  );
  if (!rows.length) return null;
  account.balance = balanceAfter;
  return rows[0];
}

/** As tryAppendEntry, for entries that no unique rule can refuse (a refusal is a bug). */
export async function appendEntry(m: EntityManager, account: LockedAccount, e: NewEntry): Promise<EntryRow> {
  const row = await tryAppendEntry(m, account, e);
  if (!row) throw new Error(`ledger invariant: a ${e.kind} entry was refused as a duplicate`);
  return row;
}

export interface RuleRow {
  id: string;
  siteId: string | null;
  regionCode: string;
  action: string;
  event: PointsEventName | null;
  points: number;
  dailyCap: number | null;
  monthlyCap: number | null;
  expiresAfterDays: number | null;
  active: boolean;
  createdAt: Date;
}

export const RULE_COLUMNS = `pr.id, pr.site_id AS "siteId", pr.region_code AS "regionCode", pr.action, pr.event,
    pr.points, pr.daily_cap AS "dailyCap",
  pr.monthly_cap AS "monthlyCap", pr.expires_after_days AS "expiresAfterDays", pr.active, pr.created_at AS "createdAt"`;

/** The rule that prices an event for a resident: their site's own, else their county's. */
export async function ruleFor(
  m: EntityManager,
  event: PointsEventName,
  siteId: string,
  regionCode: string,
): Promise<RuleRow | null> {
  const rows: RuleRow[] = await m.query(
    `SELECT ${RULE_COLUMNS} FROM points_rule pr
      WHERE pr.active AND pr.event = $1 AND pr.region_code = $3 AND (pr.site_id = $2 OR pr.site_id IS NULL)
      ORDER BY pr.site_id IS NULL LIMIT 1`,
    [event, siteId, regionCode],
  );
  return rows[0] ?? null;
}

/** Pure: how much of `amount` the caps still allow, given what the rule already credited this day and month. */
export function allowedUnderCaps(
  amount: number,
  rule: Pick<RuleRow, 'dailyCap' | 'monthlyCap'>,
  usedToday: number,
  usedThisMonth: number,
): number {
  let allowed = amount;
  if (rule.dailyCap != null) allowed = Math.min(allowed, rule.dailyCap - usedToday);
  if (rule.monthlyCap != null) allowed = Math.min(allowed, rule.monthlyCap - usedThisMonth);
  return Math.max(0, allowed);
}

export interface EventCredit {
  eventId: string;
  event: PointsEventName;
  residentId: string;
  /** When the proven fact happened (attendance, verification…): caps count by its day and month, China time. */
  occurredAt: string;
  /** Multiplies the rule's points (verified hours); 1 otherwise. */
  quantity?: number;
  /** The process clock's reading as the credit is recorded. */
  recordedAt: Date;
  /** The site where the fact happened, when it is a site's (an activity): only that site's residents earn. */
  atSite?: string;
}

export type CreditOutcome =
  { outcome: 'credited'; entry: EntryRow } | { outcome: 'duplicate' | 'no-rule' | 'other-site' };

/**
 * Credits a resident for an event under the co-governance list. At most once per event id (the
 * ledger's unique source_event_id, checked under the account lock), within the rule's caps; an
 * event that the caps absorb entirely is still recorded, with 0 points and `capped`.
 */
export async function creditFromEvent(m: EntityManager, c: EventCredit): Promise<CreditOutcome> {
  const account = await lockAccount(m, c.residentId);
  // Unknown resident: fail, so the event is retried and then dead-lettered for an operator, not lost.
  if (!account) throw new Error(`${c.event} ${c.eventId} names a resident governance does not know`);
  // A partner cannot mint points for residents elsewhere: the fact must have happened at their site.
  if (c.atSite !== undefined && account.siteId !== c.atSite) return { outcome: 'other-site' };
  const rule = await ruleFor(m, c.event, account.siteId, account.regionCode);
  if (!rule) return { outcome: 'no-rule' };
  const amount = Math.round(rule.points * (c.quantity ?? 1));
  let allowed = amount;
  if (rule.dailyCap != null || rule.monthlyCap != null) {
    const [used] = await m.query(
      `WITH t AS (SELECT $3::timestamptz AT TIME ZONE ${PROVINCE_ZONE_SQL} AS local)
       SELECT coalesce(sum(e.points) FILTER (WHERE e.occurred_at >= (date_trunc('day',
         t.local) AT TIME ZONE ${PROVINCE_ZONE_SQL})
                                               AND e.occurred_at < ((date_trunc('day',
                                                 t.local) + interval '1 day') AT TIME ZONE ${PROVINCE_ZONE_SQL})),
                                                   0)::int AS today,
              coalesce(sum(e.points), 0)::int AS month
         FROM t, points_entry e
        WHERE e.resident_id = $1 AND e.rule_id = $2 AND e.kind = 'credit'
          AND e.occurred_at >= (date_trunc('month', t.local) AT TIME ZONE ${PROVINCE_ZONE_SQL})
          AND e.occurred_at < ((date_trunc('month', t.local) + interval '1 month') AT TIME ZONE ${PROVINCE_ZONE_SQL})`,
      [account.residentId, rule.id, c.occurredAt],
    );
    allowed = allowedUnderCaps(amount, rule, used?.today ?? 0, used?.month ?? 0);
  }
  const expiresAt =
    rule.expiresAfterDays != null
      ? new Date(new Date(c.occurredAt).getTime() + rule.expiresAfterDays * 86_400_000)
      : null;
  // The unique source_event_id refuses a second credit for the same event (checked under the account lock).
  const entry = await tryAppendEntry(m, account, {
    kind: 'credit',
    points: allowed,
    ruleId: rule.id,
    sourceEventId: c.eventId,
    sourceEvent: c.event,
    capped: allowed < amount,
    occurredAt: c.occurredAt,
    expiresAt,
    recordedAt: c.recordedAt,
  });
  return entry ? { outcome: 'credited', entry } : { outcome: 'duplicate' };
}

/** The province's day and month of an instant (Asia/Shanghai: UTC+8, no daylight saving). */
function provinceDayOf(at: string): { day: string; month: string } {
  const day = provinceDate(new Date(at));
  return { day, month: day.slice(0, 7) };
}

/**
 * Credits many events at once, set-based, with the outcome of crediting them one by one in this order
 * (each at most once, within its rule's caps; an event the caps absorb is recorded with 0 points, `capped`): the
 * accounts of the batch are locked together (ids sorted, so concurrent batches and redemptions queue rather than
 * deadlock), caps are counted from the ledger under those locks
 * plus what this batch already credited, the entries are appended by one INSERT and the balances
 * moved by one UPDATE. Throws when a resident is unknown or an event was already credited: the
 * consumer then applies the batch's events one by one, so only that event fails.
 */
export async function creditFromEvents(
  m: EntityManager,
  credits: Omit<EventCredit, 'recordedAt'>[],
  recordedAt: Date,
): Promise<number> {
  if (!credits.length) return 0;
  const residents = [...new Set(credits.map((c) => c.residentId))].sort();
  if (residents.some((r) => !isUuid(r))) throw new Error('an event names a resident that is not a uuid');
  await m.query(
    `INSERT INTO points_account (resident_id) SELECT id FROM resident WHERE id = ANY($1::uuid[]) ORDER BY id ON CONFLICT
     DO NOTHING`,
    [residents],
  );
  const accounts: LockedAccount[] = await m.query(
    `SELECT a.resident_id AS "residentId", r.household_id AS "householdId", r.site_id AS "siteId",
         r.region_code AS "regionCode", a.balance
       FROM points_account a JOIN resident r ON r.id = a.resident_id WHERE a.resident_id = ANY($1::uuid[])
         ORDER BY a.resident_id FOR UPDATE OF a`,
    [residents],
  );
  const byResident = new Map(accounts.map((a) => [a.residentId, a]));
  const unknown = credits.find((c) => !byResident.has(c.residentId));
  if (unknown) throw new Error(`${unknown.event} ${unknown.eventId} names a resident governance does not know`);

  const rules: RuleRow[] = await m.query(
    `SELECT ${RULE_COLUMNS} FROM points_rule pr WHERE pr.active AND pr.event = ANY($1::text[])
       AND pr.region_code = ANY($2::text[])`,
    [[...new Set(credits.map((c) => c.event))], [...new Set(accounts.map((a) => a.regionCode))]],
  );
  // As ruleFor: the resident's site's own rule, else the county's.
  const ruleOf = (c: Omit<EventCredit, 'recordedAt'>, a: LockedAccount) =>
    rules.find((r) => r.event === c.event && r.regionCode === a.regionCode && r.siteId === a.siteId) ??
    rules.find((r) => r.event === c.event && r.regionCode === a.regionCode && r.siteId === null);

  // As creditFromEvent: an event that names a site credits only a resident of that site.
  const priced = credits
    .map((c) => ({ c, a: byResident.get(c.residentId)! }))
    .filter(({ c, a }) => c.atSite === undefined || a.siteId === c.atSite)
    .map(({ c, a }) => ({ c, a, rule: ruleOf(c, a) }))
    .filter((p): p is { c: Omit<EventCredit, 'recordedAt'>; a: LockedAccount; rule: RuleRow } => !!p.rule);
  // What the ledger already holds under capped rules, per resident, rule and province day (of the months concerned).
  const capped = priced.filter((p) => p.rule.dailyCap != null || p.rule.monthlyCap != null);
  const used = new Map<string, number>();
  if (capped.length) {
    const rows: { resident_id: string; rule_id: string; day: string; points: number }[] = await m.query(
      `SELECT e.resident_id, e.rule_id, to_char(e.occurred_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD') AS day,
           sum(e.points)::int AS points
         FROM points_entry e JOIN unnest($1::uuid[], $2::uuid[], $3::text[]) AS k(resident_id, rule_id, month)
           ON e.resident_id = k.resident_id AND e.rule_id = k.rule_id
          AND e.occurred_at >= (to_date(k.month, 'YYYY-MM')::timestamp AT TIME ZONE ${PROVINCE_ZONE_SQL})
          AND e.occurred_at < ((to_date(k.month,
            'YYYY-MM') + interval '1 month')::timestamp AT TIME ZONE ${PROVINCE_ZONE_SQL})
        WHERE e.kind = 'credit'
        GROUP BY 1, 2, 3`,
      (() => {
        const keys = [
          ...new Set(capped.map((p) => `${p.a.residentId}|${p.rule.id}|${provinceDayOf(p.c.occurredAt).month}`)),
        ].map((k) => k.split('|'));
        return [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])];
      })(),
    );
    for (const r of rows) {
      used.set(`${r.resident_id}|${r.rule_id}|${r.day}`, r.points);
      const monthKey = `${r.resident_id}|${r.rule_id}|${r.day.slice(0, 7)}`;
      used.set(monthKey, (used.get(monthKey) ?? 0) + r.points);
    }
  }

  const entries = priced.map(({ c, a, rule }) => {
    const amount = Math.round(rule.points * (c.quantity ?? 1));
    const { day, month } = provinceDayOf(c.occurredAt);
    const dayKey = `${a.residentId}|${rule.id}|${day}`;
    const monthKey = `${a.residentId}|${rule.id}|${month}`;
    const allowed = allowedUnderCaps(amount, rule, used.get(dayKey) ?? 0, used.get(monthKey) ?? 0);
    used.set(dayKey, (used.get(dayKey) ?? 0) + allowed);
    used.set(monthKey, (used.get(monthKey) ?? 0) + allowed);
    a.balance += allowed;
    const expiresAt =
      rule.expiresAfterDays != null
        ? new Date(new Date(c.occurredAt).getTime() + rule.expiresAfterDays * 86_400_000).toISOString()
        : null;
    return { c, a, rule, allowed, capped: allowed < amount, balanceAfter: a.balance, expiresAt };
  });
  if (!entries.length) return 0;
  const col = <T>(f: (e: (typeof entries)[number]) => T) => entries.map(f);
  const written: { n: number }[] = await m.query(
    `WITH e AS (
       INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, rule_id,
         source_event_id, source_event, capped, occurred_at, expires_at,
           recorded_at)
       SELECT r, s, g, 'credit', p, b, u, ev, en, cp, o, x, $12
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::uuid[], $7::uuid[], $8::text[],
           $9::bool[], $10::timestamptz[], $11::timestamptz[])
           WITH ORDINALITY AS t(r, s, g, p, b, u, ev, en, cp, o, x, i)
        ORDER BY i
       ON CONFLICT DO NOTHING
       RETURNING resident_id, points),
     moved AS (
       UPDATE points_account a SET balance = a.balance + d.points, score = a.score + d.points, updated_at = now()
         FROM (SELECT resident_id, sum(points)::int AS points FROM e GROUP BY resident_id) d
         WHERE a.resident_id = d.resident_id RETURNING 1)
     SELECT (SELECT count(*)::int FROM e) AS n`,
    [
      col((e) => e.a.residentId),
      col((e) => e.a.siteId),
      col((e) => e.a.regionCode),
      col((e) => e.allowed),
      col((e) => e.balanceAfter),
      col((e) => e.rule.id),
      col((e) => e.c.eventId),
      col((e) => e.c.event),
      col((e) => e.capped),
      col((e) => e.c.occurredAt),
      col((e) => e.expiresAt),
      recordedAt,
    ],
  );
  // An entry refused as a duplicate would leave later balance_after values wrong: undo, and let the consumer go one by
  // one.
  if (written[0].n !== entries.length)
    throw new Error(`ledger: ${entries.length - written[0].n} of these events were already credited`);
  // 积分到账: each resident is told, in the same transaction.
  await notifyPointsCredited(
    m,
    entries.map((e) => ({
      residentId: e.a.residentId,
      siteId: e.a.siteId,
      event: e.c.event,
      eventId: e.c.eventId,
      points: e.allowed,
      balanceAfter: e.balanceAfter,
    })),
    recordedAt,
  );
  return entries.length;
}
