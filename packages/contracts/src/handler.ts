import type { EntityManager } from 'typeorm';
import { inEventTrace, runWithRequestId, type Clock, type Logger } from '@anju/kit';
import type { EventEnvelope, EventName, EventPayload } from './catalog';

export interface HandlerContext<N extends EventName> {
  /** The transaction the inbox row commits in: do every effect through it. */
  manager: EntityManager;
  envelope: EventEnvelope<N>;
  logger: Logger;
  /** "Now" for the domain: the process's clock. */
  clock: Clock;
}

/** One event of a batch: its checked payload and its envelope. */
export interface BatchItem<N extends EventName> {
  payload: EventPayload<N>;
  envelope: EventEnvelope<N>;
}

export interface BatchContext {
  /** The batch's one transaction (its inbox rows commit in it): do every effect through it. */
  manager: EntityManager;
  logger: Logger;
  /** "Now" for the domain: the process's clock. */
  clock: Clock;
}

/**
 * One file per consumed event exports one of these (`<event>.handler.ts`). The consumer calls
 * `handleBatch` with the events of one name that are new to the inbox, in delivery order, inside
 * one transaction; a set-based handler applies them with a few statements. Events may arrive out
 * of order or twice (under new ids): a handler converges to the state in-order delivery gives.
 */
export interface EventHandler<N extends EventName = EventName> {
  event: N;
  handleBatch(items: BatchItem<N>[], ctx: BatchContext): Promise<void>;
}

/** A handler that applies one event at a time (fine for rare events); a batch runs it per event. */
export function defineHandler<N extends EventName>(
  event: N,
  handle: (payload: EventPayload<N>, ctx: HandlerContext<N>) => Promise<void>,
): EventHandler<N> {
  return {
    event,
    async handleBatch(items, { manager, logger, clock }) {
      for (const { payload, envelope } of items) {
        await runWithRequestId(envelope.requestId, () =>
          inEventTrace(envelope.traceparent, () => handle(payload, { manager, envelope, logger, clock })),
        );
      }
    },
  };
}

/** A handler that applies a whole batch of one event set-based (frequent events). */
export function defineBatchHandler<N extends EventName>(
  event: N,
  handleBatch: EventHandler<N>['handleBatch'],
): EventHandler<N> {
  return { event, handleBatch };
}
