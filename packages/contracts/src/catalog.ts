import { z } from 'zod';

/**
 * THE event contract. Every event that crosses a service boundary is declared here, once: its
 * name, version, producer, consuming services and payload schema. Producers and consumers import
 * these types; nothing else names an event or a queue.
 *
 * PUBLISHED NAMES NEVER CHANGE. An event name, a queue name and a version outlive the deploy that
 * wrote them: queued jobs and outbox rows still carry them. To change a payload incompatibly, add
 * a new version (and keep consuming the old one until no producer sends it), never rename.
 *
 * Payloads carry ids and non-identifying facts only: never ID numbers, phones or names (PIPL) —
 * a consumer that needs more asks the owner through the graph.
 */
export const SERVICES = ['governance', 'employment', 'social-orgs', 'matching'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Each consuming service has one inbox queue; the relay fans an event out to every consumer's. */
export function inboxQueueName(service: ServiceName): string {
  return `${service}.events`;
}

interface EventDefinition<P extends z.ZodType> {
  version: number;
  producer: ServiceName;
  consumers: readonly ServiceName[];
  description: string;
  payload: P;
}
const defineEvent = <P extends z.ZodType>(def: EventDefinition<P>) => def;

const id = z.uuid();
const regionCode = z.string().regex(/^\d{6}$/);
export const LabourCapacity = z.enum(['full', 'weak', 'none']);

export const EVENTS = {
  'site.registered': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['employment', 'matching'],
    description: 'A resettlement site (安置点) was registered; consumers keep a local directory of sites for scoping, roll-ups and distances.',
    payload: z.object({
      siteId: id,
      regionCode,
      name: z.string(),
      latitude: z.number(),
      longitude: z.number(),
      plannedHouseholds: z.number().int().min(0),
    }),
  }),
  'resident.registered': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['employment'],
    description: 'A resident (居民) was registered in a household of a resettlement site.',
    payload: z.object({
      residentId: id,
      householdId: id,
      siteId: id,
      /** County-level GB/T 2260 code of the site, for scoping in the consumer. */
      regionCode,
      labourCapacity: LabourCapacity,
      canWorkAway: z.boolean(),
      wantsWork: z.boolean(),
      birthYear: z.number().int().min(1900).max(2100),
    }),
  }),
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<N extends EventName> = z.infer<(typeof EVENTS)[N]['payload']>;

/** What travels in a job: the event, who caused it, and when. The job id is the event id. */
export interface EventEnvelope<N extends EventName = EventName> {
  id: string;
  name: N;
  version: number;
  occurredAt: string;
  requestId?: string;
  producer: ServiceName;
  payload: EventPayload<N>;
}

export function eventsConsumedBy(service: ServiceName): EventName[] {
  return (Object.keys(EVENTS) as EventName[]).filter((n) => EVENTS[n].consumers.includes(service));
}
