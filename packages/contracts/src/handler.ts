import type { EntityManager } from 'typeorm';
import type { Clock, Logger } from '@anju/kit';
import type { EventEnvelope, EventName, EventPayload } from './catalog';

export interface HandlerContext<N extends EventName> {
  /** The transaction the inbox row commits in: do every effect through it. */
  manager: EntityManager;
  envelope: EventEnvelope<N>;
  logger: Logger;
  /** "Now" for the domain: the process's clock. */
  clock: Clock;
}

/** One file per consumed event exports one of these (`<event>.handler.ts`). */
export interface EventHandler<N extends EventName = EventName> {
  event: N;
  handle(payload: EventPayload<N>, ctx: HandlerContext<N>): Promise<void>;
}

export function defineHandler<N extends EventName>(event: N, handle: EventHandler<N>['handle']): EventHandler<N> {
  return { event, handle };
}
