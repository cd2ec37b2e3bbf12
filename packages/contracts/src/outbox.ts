import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { currentRequestId } from '@anju/kit';
import { EVENTS, type EventName, type EventPayload } from './catalog';

/**
 * Publishes an event as part of the caller's transaction: the outbox row commits with the
 * domain change or not at all. The relay sends it to BullMQ after commit. The payload is checked
 * against the contract here, so a producer cannot send a shape its consumers would reject.
 */
export async function publish<N extends EventName>(manager: EntityManager, name: N, payload: EventPayload<N>): Promise<string> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`publish(${name}) must run inside the transaction of the change it announces`);
  }
  const def = EVENTS[name];
  const checked = def.payload.parse(payload);
  const id = randomUUID();
  await manager.query(`INSERT INTO outbox (id, event, version, payload, request_id) VALUES ($1, $2, $3, $4, $5)`, [
    id, name, def.version, JSON.stringify(checked), currentRequestId() ?? null,
  ]);
  // Wakes the relay at commit (NOTIFY is transactional), so delivery does not wait for a poll.
  await manager.query(`SELECT pg_notify('anju_outbox', current_schema())`);
  return id;
}
