/**
 * The four income-stability rules of DESIGN.md (employment), as pure functions of one household's
 * facts. The nightly SQL (monitoring.sql.ts) computes the same verdicts for the whole population;
 * a property test holds the two to agreement.
 *
 * Definitions (decided here, shown to officers in the schema):
 * - A *member* is a resident of the household who has not moved out.
 * - A member *with labour capacity* (有劳动能力) has capacity FULL or WEAK.
 * - A job is *ongoing* on day D when it started on or before D and has not ended (no end date, or
 *   an end date after D).
 * - Rule 1 TRAINING_AND_SKILL: every member with labour capacity has ≥1 completed training and ≥1
 *   skill. A household with no such member passes.
 * - Rule 2 PUBLIC_WELFARE_POST: applies to a household that has members with labour capacity but
 *   none of them able to work away from home (无外出务工条件); it then holds ≥1 ongoing
 *   public-welfare post (公益性岗位). A household with no labour capacity at all is not asked to hold a
 *   post (no one could take it); its income is watched by rule 4.
 * - Rule 3 EMPLOYED_MEMBER: a household in which any member wants work has ≥1 member with an ongoing
 *   job of any kind (零就业家庭动态清零).
 * - Rule 4 STABLE_INCOME — a *stable income source* is any of: an ongoing job with monthly income
 *   > 0 (a public-welfare post is a job); a land asset leased out or pooled as cooperative shares
 *   with annual income > 0; an industry-project link (利益联结) paying an annual dividend > 0 or wages
 *   > 0 (working in the project's workshop or base is income from it, as its dividend is). The
 *   household has ≥1.
 */
export const RULES = ['TRAINING_AND_SKILL', 'PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER', 'STABLE_INCOME'] as const;
export type Rule = (typeof RULES)[number];
/** Rules whose gap is a job: matching raises a job-help demand for them. */
export const JOB_RULES: readonly Rule[] = ['PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER'];

export type EmploymentKind = 'workshop' | 'public_welfare_post' | 'migrant_work' | 'self_employed' | 'flexible';
export type LandState = 'idle' | 'leased' | 'pooled';

export interface JobFact {
  kind: EmploymentKind;
  startedOn: string; // YYYY-MM-DD
  endedOn: string | null;
  monthlyIncome: number;
}

export interface MemberFacts {
  labourCapacity: 'full' | 'weak' | 'none';
  canWorkAway: boolean;
  wantsWork: boolean;
  movedOut: boolean;
  completedTrainings: number;
  skills: number;
  jobs: JobFact[];
}

export interface HouseholdFacts {
  members: MemberFacts[];
  land: { state: LandState; annualIncome: number }[];
  /** Its industry-project links (利益联结): what each pays a year as dividend and as wages. */
  projects: { annualDividend: number; annualWageIncome: number }[];
}

/** Figures the verdict rests on; stored per household so reasons can be shown without recomputing. */
export interface HouseholdFigures {
  members: number;
  able: number;
  untrained: number;
  employed: number;
  welfarePosts: number;
  incomeSources: number;
}

export interface Verdict {
  failed: Rule[];
  figures: HouseholdFigures;
  /** Facts the rule-2 and rule-3 verdicts hinge on. */
  anyAbleCanWorkAway: boolean;
  anyWantsWork: boolean;
}

export const isOngoing = (j: JobFact, asOf: string) => j.startedOn <= asOf && (j.endedOn === null || j.endedOn > asOf);

export function evaluateHousehold(h: HouseholdFacts, asOf: string): Verdict {
  const members = h.members.filter((m) => !m.movedOut);
  const able = members.filter((m) => m.labourCapacity !== 'none');
  const untrained = able.filter((m) => m.completedTrainings < 1 || m.skills < 1).length;
  const ongoing = members.map((m) => m.jobs.filter((j) => isOngoing(j, asOf)));
  const employed = ongoing.filter((jobs) => jobs.length > 0).length;
  const welfarePosts = ongoing.flat().filter((j) => j.kind === 'public_welfare_post').length;
  const paidJobs = ongoing.flat().filter((j) => j.monthlyIncome > 0).length;
  const land = h.land.filter((l) => (l.state === 'leased' || l.state === 'pooled') && l.annualIncome > 0).length;
  const projects = h.projects.filter((p) => p.annualDividend > 0 || p.annualWageIncome > 0).length;
  const incomeSources = paidJobs + land + projects;
  const anyAbleCanWorkAway = able.some((m) => m.canWorkAway);
  const anyWantsWork = members.some((m) => m.wantsWork);

  const failed: Rule[] = [];
  if (untrained > 0) failed.push('TRAINING_AND_SKILL');
  if (able.length > 0 && !anyAbleCanWorkAway && welfarePosts === 0) failed.push('PUBLIC_WELFARE_POST');
  if (anyWantsWork && employed === 0) failed.push('EMPLOYED_MEMBER');
  if (incomeSources === 0) failed.push('STABLE_INCOME');
  return {
    failed,
    figures: { members: members.length, able: able.length, untrained, employed, welfarePosts, incomeSources },
    anyAbleCanWorkAway,
    anyWantsWork,
  };
}

/** Why a household fails each rule, in words an officer can act on (from the stored figures). */
export function reasonFor(rule: Rule, f: HouseholdFigures): string {
  switch (rule) {
    case 'TRAINING_AND_SKILL':
      return `${f.untrained} of ${f.able} members with labour capacity lack a completed training or a skill (技能培训).`;
    case 'PUBLIC_WELFARE_POST':
      return (
        'Nobody with labour capacity can work away from home, and the household holds no ' +
        'public-welfare post (公益性岗位).'
      );
    case 'EMPLOYED_MEMBER':
      return 'Someone in the household wants work but no member has a job (零就业家庭).';
    case 'STABLE_INCOME':
      return (
        'No stable income source: no paid job, no land leased out or pooled with income, ' +
        'no dividend or wages from an industry project.'
      );
  }
}

/** Rules in their canonical order (as numbered in DESIGN.md). */
export const sortRules = (rules: Iterable<Rule>): Rule[] => RULES.filter((r) => [...rules].includes(r));
