import { z } from 'zod';
import type { ServiceName } from './services';

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
export { SERVICES, type ServiceName } from './services';

/** Each consuming service has one inbox queue; the relay fans an event out to every consumer's. */
export function inboxQueueName(service: ServiceName): string {
  return `${service}.events`;
}

export interface EventDefinition<P extends z.ZodType> {
  version: number;
  producer: ServiceName;
  consumers: readonly ServiceName[];
  description: string;
  payload: P;
}
export const defineEvent = <P extends z.ZodType>(def: EventDefinition<P>) => def;

const id = z.uuid();
const regionCode = z.string().regex(/^\d{6}$/);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const isoDateTime = z.iso.datetime({ offset: true });
export const LabourCapacity = z.enum(['full', 'weak', 'none']);
/** 就业形式: workshop (扶贫车间), public-welfare post (公益性岗位), migrant work (外出务工), self-employed, flexible. */
export const EmploymentKind = z.enum(['workshop', 'public_welfare_post', 'migrant_work', 'self_employed', 'flexible']);
/** The four income-stability rules of DESIGN.md (employment). */
export const MonitoringRule = z.enum(['TRAINING_AND_SKILL', 'PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER', 'STABLE_INCOME']);

/** Needs a survey question can offer; the demand list's categories (matching's DemandCategory, lower-case). */
export const SurveyNeed = z.enum([
  'job_help',
  'training',
  'elderly_care',
  'child_care',
  'health',
  'legal_aid',
  'integration',
  'daily_life',
]);

/** A demand's category (需求类别): the survey needs and `other`, lower-case as matching stores them. */
export const DemandCategory = z.enum([...SurveyNeed.options, 'other']);
export type DemandCategory = z.infer<typeof DemandCategory>;

/** A demand category as residents and officers read it, in every service that writes it into a message. */
export const DEMAND_CATEGORY_NAMES: Record<DemandCategory, string> = {
  job_help: '就业帮扶',
  training: '技能培训',
  elderly_care: '养老助残',
  child_care: '儿童关爱',
  health: '健康服务',
  legal_aid: '法律援助',
  integration: '心理/社会融入',
  daily_life: '生活服务',
  other: '其他',
};

/** What an erased name reads (resident.personal_data_erased): the same in every service. */
export const ERASED_NAME = '（已删除）';

export const EVENTS = {
  'site.registered': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['employment', 'social-orgs', 'matching'],
    description:
      'A resettlement site (安置点) was registered; consumers keep a ' +
      'local directory of sites for scoping, roll-ups and distances.',
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
    consumers: ['employment', 'social-orgs', 'matching'],
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
      /** The grid (网格) of the household's building, when it has one: roll-ups by grid. Added later, so optional. */
      gridId: id.nullable().optional(),
      /** Languages the resident speaks (普通话, 彝语…). Added later, so optional. */
      languages: z.array(z.string().min(1).max(20)).max(8).optional(),
      /**
       * The keyed hash (HMAC-SHA256, hex) of the ID number, governance's natural key of a resident: services that
       * import counties' sheets (employment) find the resident of a row by it, never by the number. Opaque without
       * PII_HASH_KEY. Added later, so optional.
       */
      nationalIdHash: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    }),
  }),
  // ── Declared ahead of their consumers. A service that starts consuming one adds itself to
  //    `consumers` in the same commit as its handler (a worker refuses to start otherwise).

  'resident.updated': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['employment', 'matching'],
    description:
      'Facts about a resident that other services depend on ' +
      'changed (labour capacity, work wishes, household, languages).',
    payload: z.object({
      residentId: id,
      householdId: id,
      siteId: id,
      regionCode,
      labourCapacity: LabourCapacity,
      canWorkAway: z.boolean(),
      wantsWork: z.boolean(),
      birthYear: z.number().int().min(1900).max(2100),
      /** The grid (网格) of the household's building, when it has one. Added later, so optional. */
      gridId: id.nullable().optional(),
      /** Languages the resident speaks. Added later, so optional. */
      languages: z.array(z.string().min(1).max(20)).max(8).optional(),
      /** Names of the fields that changed, e.g. ["labourCapacity"]. */
      changed: z.array(z.string()),
    }),
  }),
  'resident.moved_out': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['employment', 'social-orgs', 'matching'],
    description:
      'A resident moved out of the site (迁出); they no longer count in ' +
      'its roll-ups, and a household with nobody left has no open demands.',
    payload: z.object({
      residentId: id,
      householdId: id,
      siteId: id,
      regionCode,
      movedOutOn: isoDate,
      reason: z.string(),
    }),
  }),
  'resident.personal_data_erased': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['employment', 'social-orgs', 'matching'],
    description:
      "A moved-out resident's personal data was erased after RETENTION_MOVED_OUT_DAYS " +
      '(PIPL minimisation): each service erases the copies it holds (names, contacts, ' +
      'free text about the person); ids and counted facts stay.',
    payload: z.object({ residentId: id, householdId: id, siteId: id, regionCode, erasedOn: isoDate }),
  }),
  'household.registered': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: [],
    description: 'A household (户) was registered at a site.',
    payload: z.object({ householdId: id, siteId: id, regionCode }),
  }),
  'building.grid_changed': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['employment', 'governance'],
    description:
      'A building (楼栋) was put in another grid (网格), or in none: its ' +
      "households' roll-ups by grid and their open grid tasks follow.",
    payload: z.object({
      buildingId: id,
      siteId: id,
      regionCode,
      /** The grid the building is in now; null when it is in none. */
      gridId: id.nullable(),
      previousGridId: id.nullable(),
      /** The households living in the building when it moved. */
      householdIds: z.array(id).max(2000),
      changedAt: isoDateTime,
    }),
  }),
  'micro_issue.resolved': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['governance'],
    description:
      'A micro-issue or micro-dispute (微难题/微矛盾) was resolved; the resident who reported it may earn points.',
    payload: z.object({
      microIssueId: id,
      siteId: id,
      regionCode,
      /** The resident who reported it, if a resident did. */
      reportedByResidentId: id.nullable(),
      resolvedAt: isoDateTime,
      outcome: z.string(),
    }),
  }),
  'training.completed': defineEvent({
    version: 1,
    producer: 'employment',
    consumers: ['governance'],
    description: 'A resident completed a skills training course (技能培训).',
    payload: z.object({
      enrollmentId: id,
      courseId: id,
      residentId: id,
      householdId: id,
      siteId: id,
      completedOn: isoDate,
      skill: z.string(),
    }),
  }),
  'employment.started': defineEvent({
    version: 1,
    producer: 'employment',
    consumers: [],
    description: 'A resident started a job (workshop, public-welfare post, migrant work, self-employed, flexible).',
    payload: z.object({
      employmentId: id,
      residentId: id,
      householdId: id,
      siteId: id,
      kind: EmploymentKind,
      startedOn: isoDate,
      monthlyIncome: z.number().min(0),
    }),
  }),
  'employment.ended': defineEvent({
    version: 1,
    producer: 'employment',
    consumers: [],
    description: 'A resident’s job ended.',
    payload: z.object({
      employmentId: id,
      residentId: id,
      householdId: id,
      siteId: id,
      kind: EmploymentKind,
      endedOn: isoDate,
      reason: z.string(),
    }),
  }),
  'household.gap.detected': defineEvent({
    version: 1,
    producer: 'employment',
    consumers: ['governance', 'matching'],
    description:
      'Income-stability monitoring found a household newly failing one or more rules: ' +
      'a grid-worker task (governance) and, for a job gap, a job-help demand (matching).',
    payload: z.object({
      gapId: id,
      householdId: id,
      siteId: id,
      regionCode,
      /** Rules failed: TRAINING_AND_SKILL, PUBLIC_WELFARE_POST, EMPLOYED_MEMBER, STABLE_INCOME. */
      rules: z.array(MonitoringRule).min(1),
      /** True when the gap is a job (rule 2 or 3): matching raises a job-help demand. */
      needsJobHelp: z.boolean(),
      detectedOn: isoDate,
    }),
  }),
  'household.gap.closed': defineEvent({
    version: 1,
    producer: 'employment',
    consumers: ['governance', 'matching'],
    description: 'A household that had a gap now passes every rule: its task and demand close.',
    payload: z.object({ gapId: id, householdId: id, siteId: id, regionCode, closedOn: isoDate }),
  }),
  'activity.attended': defineEvent({
    version: 1,
    producer: 'social-orgs',
    consumers: ['governance'],
    description: 'A resident attended a community activity (checked in); attendance earns points.',
    payload: z.object({
      attendanceId: id,
      activityId: id,
      organizationId: id,
      residentId: id,
      siteId: id,
      attendedAt: isoDateTime,
      activityKind: z.string(),
      /**
       * A legal-study activity's topic (法治宣传: CIVIL_CODE, LEGAL_AID…):
       * governance's 法治 indicator counts it. Added later, so optional.
       */
      legalTopic: z.string().max(40).nullable().optional(),
    }),
  }),
  'activity.registration.confirmed': defineEvent({
    version: 1,
    producer: 'social-orgs',
    consumers: ['governance'],
    description:
      'A resident has a place at a community activity: registered with a place free, or promoted ' +
      'from the waiting list (候补转正). Governance notifies them and reminds them the day before.',
    payload: z.object({
      registrationId: id,
      activityId: id,
      organizationId: id,
      residentId: id,
      siteId: id,
      /** The activity's title and organizer's name: public facts, shown in the notification. */
      title: z.string().min(1).max(200),
      organizationName: z.string().min(1).max(200),
      startsAt: isoDateTime,
      endsAt: isoDateTime,
      promotedFromWaitlist: z.boolean(),
    }),
  }),
  'activity.registration.cancelled': defineEvent({
    version: 1,
    producer: 'social-orgs',
    consumers: ['governance'],
    description: 'A resident’s place or waiting-list entry at an activity was cancelled: no reminder goes out for it.',
    payload: z.object({ registrationId: id, activityId: id, residentId: id, cancelledAt: isoDateTime }),
  }),
  'service.verified': defineEvent({
    version: 1,
    producer: 'matching',
    consumers: ['governance'],
    description:
      'A volunteer’s service record was verified by the unit or officer; ' +
      'verified hours earn points when the volunteer is a resident.',
    payload: z.object({
      serviceRecordId: id,
      volunteerId: id,
      volunteerResidentId: id.nullable(),
      demandId: id.nullable(),
      siteId: id,
      hours: z.number().positive(),
      verifiedAt: isoDateTime,
    }),
  }),
  'demand.fulfilled': defineEvent({
    version: 1,
    producer: 'matching',
    consumers: ['governance'],
    description:
      "A demand (需求) was fulfilled by the unit or volunteers that took it: a grid worker's task to follow up its " +
      'overdue claim closes.',
    payload: z.object({
      demandId: id,
      siteId: id,
      householdId: id.nullable(),
      unitId: id.nullable(),
      fulfilledAt: isoDateTime,
    }),
  }),
  'referral.overdue': defineEvent({
    version: 1,
    producer: 'social-orgs',
    consumers: ['governance'],
    description:
      'A referral (转介) passed its due date without an outcome (the hourly ' +
      "check): the grid worker of the case's household gets a follow-up task.",
    payload: z.object({
      referralId: id,
      caseId: id,
      organizationId: id,
      siteId: id,
      regionCode,
      /**
       * The case's household, when the case has one: its grid worker follows up. Absent when none (nulls are left out).
       */
      householdId: id.nullable().optional(),
      /** CIVIL_AFFAIRS, JUSTICE, TRADE_UNION, YOUTH_LEAGUE or WOMENS_FEDERATION. */
      agency: z.string().min(1).max(40),
      dueOn: isoDate,
      overdueSince: isoDateTime,
    }),
  }),
  'referral.resolved': defineEvent({
    version: 1,
    producer: 'social-orgs',
    consumers: ['governance'],
    description:
      "A referral flagged overdue got its outcome from the agency: the grid worker's follow-up task closes. Only " +
      'referrals once flagged overdue publish it (no task was ever opened for the others).',
    payload: z.object({ referralId: id, caseId: id, organizationId: id, resolvedAt: isoDateTime }),
  }),
  'demand.claim_overdue': defineEvent({
    version: 1,
    producer: 'matching',
    consumers: ['governance'],
    description:
      'A demand claimed by a unit (认领) passed its promised date unfulfilled (the ' +
      'hourly check): the grid worker of its household, or the site, follows up.',
    payload: z.object({
      /** Absent when the demand has no household, or no unit (nulls are left out of a set-based publish). */
      demandId: id,
      siteId: id,
      regionCode,
      householdId: id.nullable().optional(),
      unitId: id.nullable().optional(),
      category: DemandCategory,
      promisedOn: isoDate,
      overdueSince: isoDateTime,
    }),
  }),
  'demand.claimed': defineEvent({
    version: 1,
    producer: 'matching',
    consumers: ['governance'],
    description:
      'A demand (需求) was taken up: claimed by a unit with a promised date (认领), ' +
      'or a volunteer accepted its assignment (接单). Governance tells the household.',
    payload: z.object({
      demandId: id,
      siteId: id,
      /** The household it is for; null for a site-wide demand (e.g. raised from a survey), which tells nobody. */
      householdId: id.nullable(),
      category: DemandCategory,
      claimedBy: z.enum(['unit', 'volunteer']),
      /** The claiming unit and its name (an organization's public name); null when a volunteer accepted. */
      unitId: id.nullable(),
      unitName: z.string().min(1).max(200).nullable(),
      /** The date the unit promised it done by; null when a volunteer accepted. */
      promisedOn: isoDate.nullable(),
      claimedAt: isoDateTime,
    }),
  }),
  'assignment.proposed': defineEvent({
    version: 1,
    producer: 'matching',
    consumers: ['governance'],
    description:
      'Matching proposed a volunteer for a demand (志愿服务派单), at once or in the nightly ' +
      'batch: governance tells the volunteer, who accepts or declines in the portal.',
    payload: z.object({
      assignmentId: id,
      demandId: id,
      volunteerId: id,
      siteId: id,
      category: DemandCategory,
      hours: z.number().positive(),
      /** The demand's window (YYYY-MM-DD), when it has one. */
      windowStart: isoDate.nullable().optional(),
      windowEnd: isoDate.nullable().optional(),
      proposedAt: isoDateTime,
    }),
  }),
  'survey.needs_reported': defineEvent({
    version: 1,
    producer: 'governance',
    consumers: ['matching'],
    description:
      'A closed survey counted residents naming a need (养老、就业…): matching ' +
      'raises one demand per survey and need. Counts only — never who named it.',
    payload: z.object({
      surveyId: id,
      siteId: id,
      regionCode,
      need: SurveyNeed,
      /** How many residents named it. */
      residents: z.number().int().min(1),
      closedOn: isoDate,
    }),
  }),
} as const;

export type EventName = keyof typeof EVENTS;

/**
 * Adds events declared outside this file to this process's catalog: for a service that is not in the repository,
 * as tests/toy-service.spec.ts writes one to a temporary folder (its service entry made with `declareService`
 * too). Every service of the repository declares its events above, where producers and consumers read them
 * typed. A name the catalog has already is refused: a published name never changes meaning.
 */
export function declareEvents(events: Record<string, EventDefinition<z.ZodType>>): void {
  const taken = Object.keys(events).filter((name) => name in EVENTS);
  if (taken.length) throw new Error(`events already in the catalog: ${taken.join(', ')}`);
  Object.assign(EVENTS, events);
}
export type EventPayload<N extends EventName> = z.infer<(typeof EVENTS)[N]['payload']>;

/** What travels in a job: the event, who caused it, and when. The job id is the event id. */
export interface EventEnvelope<N extends EventName = EventName> {
  id: string;
  name: N;
  version: number;
  occurredAt: string;
  requestId?: string;
  /** W3C traceparent of the publishing span (absent when tracing was off): the handler's span continues it. */
  traceparent?: string;
  producer: ServiceName;
  payload: EventPayload<N>;
}

export function eventsConsumedBy(service: ServiceName): EventName[] {
  return (Object.keys(EVENTS) as EventName[]).filter((n) => EVENTS[n].consumers.includes(service));
}
