import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { currentRequestId, producerSpan } from '@anju/kit';
import { EVENTS, type EventName, type EventPayload } from './catalog';

/** What a publish span says (OpenTelemetry's messaging conventions). */
function outboxAttributes(name: EventName) {
  return {
    'messaging.system': 'anju.outbox',
    'messaging.operation.type': 'create',
    'messaging.destination.name': name,
  };
}

function assertInTransaction(manager: EntityManager, name: string): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`publish(${name}) must run inside the transaction of the change it announces`);
  }
}

/**
 * Publishes an event as part of the caller's transaction: the outbox row commits with the
 * domain change or not at all, and that one INSERT is all it costs the producer (no NOTIFY: a
 * notifying commit serializes with every other one cluster-wide). The relay polls for it. The
 * payload is checked against the contract here, so a producer cannot send a shape its consumers
 * would reject.
 */
export async function publish<N extends EventName>(
  manager: EntityManager,
  name: N,
  payload: EventPayload<N>,
): Promise<string> {
  assertInTransaction(manager, name);
  const def = EVENTS[name];
  const checked = def.payload.parse(payload);
  const id = randomUUID();
  const span = producerSpan('outbox', `${name} publish`, outboxAttributes(name));
  try {
    await manager.query(
      `INSERT INTO outbox (id, event, version, payload, request_id, traceparent) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, name, def.version, JSON.stringify(checked), currentRequestId() ?? null, span.traceparent],
    );
  } finally {
    span.end({ 'messaging.message.id': id });
  }
  return id;
}

/**
 * Rows of a set-based publish checked against the contract in
 * JS: enough to catch a wrong column type, cheap at 100,000.
 */
const SAMPLE = 200;

/**
 * Publishes one event per row of `select`, in one `INSERT … SELECT` inside the caller's
 * transaction (set-based producers such as the nightly monitoring). The payload is built from
 * the columns of `select` named as the contract's payload fields (a field the select lacks is
 * an SQL error; null columns are left out, as optional fields are), and a sample of the rows
 * written is parsed with the contract's schema: a mismatch throws and rolls the change back.
 * `select` may use `$1…$n` for `params`. Returns how many events were written.
 * The one way to publish many events at once: nothing writes the outbox by hand.
 */
export async function publishSelect<N extends EventName>(
  manager: EntityManager,
  name: N,
  select: string,
  params: unknown[] = [],
  /**
   * Common table expressions `select` reads, such as `closed AS (UPDATE
   * … RETURNING …)`: the change and its events in one statement.
   */
  opts: { with?: string } = {},
): Promise<number> {
  assertInTransaction(manager, name);
  const def = EVENTS[name];
  const shape = (def.payload as unknown as z.ZodObject).shape;
  const fields = Object.keys(shape);
  const json = `jsonb_strip_nulls(jsonb_build_object(${fields.map((f) => `'${f}', src."${f}"`).join(', ')}))`;
  const req = `$${params.length + 1}`;
  const tp = `$${params.length + 2}`;
  // One span for the whole set: every row keeps its traceparent (see the consumer for batches).
  const span = producerSpan('outbox', `${name} publish`, outboxAttributes(name));
  let n = 0;
  let sample: unknown[];
  try {
    [{ n, sample }] = await manager.query(
      `WITH ${opts.with ? `${opts.with},` : ''} written AS (
         INSERT INTO outbox (id, event, version, payload, request_id, traceparent)
         SELECT gen_random_uuid(), '${name}', ${def.version}, ${json}, ${req}::text, ${tp}::text FROM (${select}) src
         RETURNING payload)
       SELECT (SELECT count(*)::int FROM written) AS n, ARRAY(SELECT payload FROM written LIMIT ${SAMPLE}) AS sample`,
      [...params, currentRequestId() ?? null, span.traceparent],
    );
  } finally {
    span.end({ 'messaging.batch.message_count': n });
  }
  for (const payload of sample) {
    const parsed = def.payload.safeParse(payload);
    if (!parsed.success)
      throw new Error(`publishSelect(${name}): a row does not match the contract: ${parsed.error.message}`);
  }
  return n;
}
