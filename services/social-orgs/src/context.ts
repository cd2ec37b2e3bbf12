import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, type RequestBase } from '@anju/kit';
import { OrganizationService, type OrganizationRow } from './organization/organization.service';
import { ActivityService, type ActivityRow, type RegistrationRow } from './activity/activity.service';
import { IncubationService, type IncubationStepRow } from './incubation/incubation.service';
import { SocialWorkerService, type AssessmentRow, type FeedbackRow, type SocialWorkerRow } from './social-worker/social-worker.service';
import { CaseworkService, type CaseRow, type ReferralRow } from './casework/casework.service';
import { MicroServiceService, type MicroServiceRow } from './micro-service/micro-service.service';
import { ContractService, type ContractRow, type MilestoneRow, type PaymentRow } from './contract/contract.service';
import { VentureService, type ApplicationRow, type CallRow } from './venture/venture.service';
import { CommitteeService, type CommitteeRow, type ConsultationRow, type MemberRow } from './committee/committee.service';

/** A per-request loader of all rows belonging to each key (one query for a whole page of parents). */
function groupLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await fetch(keys);
    const by = new Map<string, T[]>();
    for (const r of rows) by.set(keyOf(r), [...(by.get(keyOf(r)) ?? []), r]);
    return keys.map((k) => by.get(k) ?? []);
  }, { maxBatchSize: 1_000 });
}

export interface SocialOrgsContext extends RequestBase {
  organizations: OrganizationService;
  activities: ActivityService;
  incubation: IncubationService;
  workers: SocialWorkerService;
  casework: CaseworkService;
  microServices: MicroServiceService;
  contracts: ContractService;
  venture: VentureService;
  committees: CommitteeService;
  loaders: {
    organization: DataLoader<string, OrganizationRow | null>;
    activity: DataLoader<string, ActivityRow | null>;
    registration: DataLoader<string, RegistrationRow | null>;
    registrationsByActivity: DataLoader<string, RegistrationRow[]>;
    registrationsByResident: DataLoader<string, RegistrationRow[]>;
    incubationSteps: DataLoader<string, IncubationStepRow[]>;
    worker: DataLoader<string, SocialWorkerRow | null>;
    assessments: DataLoader<string, AssessmentRow[]>;
    feedback: DataLoader<string, FeedbackRow[]>;
    socialCase: DataLoader<string, CaseRow | null>;
    referral: DataLoader<string, ReferralRow | null>;
    referralsByCase: DataLoader<string, ReferralRow[]>;
    microService: DataLoader<string, MicroServiceRow | null>;
    contract: DataLoader<string, ContractRow | null>;
    milestones: DataLoader<string, MilestoneRow[]>;
    payments: DataLoader<string, PaymentRow[]>;
    ventureCall: DataLoader<string, CallRow | null>;
    ventureApplication: DataLoader<string, ApplicationRow | null>;
    applicationsByCall: DataLoader<string, ApplicationRow[]>;
    committee: DataLoader<string, CommitteeRow | null>;
    committeeMembers: DataLoader<string, MemberRow[]>;
    consultation: DataLoader<string, ConsultationRow | null>;
    consultationsByCommittee: DataLoader<string, ConsultationRow[]>;
  };
}

export function buildContext(db: DataSource) {
  return (base: RequestBase): SocialOrgsContext => {
    const organizations = new OrganizationService(db, base.principal);
    const activities = new ActivityService(db, base.principal, base.clock);
    const incubation = new IncubationService(db, base.principal);
    const workers = new SocialWorkerService(db, base.principal);
    const casework = new CaseworkService(db, base.principal, base.clock);
    const microServices = new MicroServiceService(db, base.principal);
    const contracts = new ContractService(db, base.principal);
    const venture = new VentureService(db, base.principal, base.clock);
    const committees = new CommitteeService(db, base.principal);
    return {
      ...base,
      organizations,
      activities,
      incubation,
      workers,
      casework,
      microServices,
      contracts,
      venture,
      committees,
      loaders: {
        organization: byIdLoader((ids) => organizations.byIds(ids)),
        activity: byIdLoader((ids) => activities.byIds(ids)),
        registration: byIdLoader((ids) => activities.registrationsByIds(ids)),
        registrationsByActivity: groupLoader((ids) => activities.registrationsByActivities(ids), (r) => r.activityId),
        registrationsByResident: groupLoader((ids) => activities.registrationsByResidents(ids), (r) => r.residentId),
        incubationSteps: groupLoader((ids) => incubation.stepsByOrganizations(ids), (r) => r.organizationId),
        worker: byIdLoader((ids) => workers.byIds(ids)),
        assessments: groupLoader((ids) => workers.assessmentsByWorkers(ids), (r) => r.workerId),
        feedback: groupLoader((ids) => workers.feedbackByWorkers(ids), (r) => r.workerId),
        socialCase: byIdLoader((ids) => casework.casesByIds(ids)),
        referral: byIdLoader((ids) => casework.referralsByIds(ids)),
        referralsByCase: groupLoader((ids) => casework.referralsByCases(ids), (r) => r.caseId),
        microService: byIdLoader((ids) => microServices.byIds(ids)),
        contract: byIdLoader((ids) => contracts.byIds(ids)),
        milestones: groupLoader((ids) => contracts.milestonesByContracts(ids), (r) => r.contractId),
        payments: groupLoader((ids) => contracts.paymentsByContracts(ids), (r) => r.contractId),
        ventureCall: byIdLoader((ids) => venture.callsByIds(ids)),
        ventureApplication: byIdLoader((ids) => venture.applicationsByIds(ids)),
        applicationsByCall: groupLoader((ids) => venture.applicationsByCalls(ids), (r) => r.callId),
        committee: byIdLoader((ids) => committees.byIds(ids)),
        committeeMembers: groupLoader((ids) => committees.membersByCommittees(ids), (r) => r.committeeId),
        consultation: byIdLoader((ids) => committees.consultationsByIds(ids)),
        consultationsByCommittee: groupLoader((ids) => committees.consultationsByCommittees(ids), (r) => r.committeeId),
      },
    };
  };
}
