import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byGroupLoader, byIdLoader, lazyObject, type RequestBase } from '@anju/kit';
import { OrganizationService, type OrganizationRow } from './organization/organization.service';
import { ActivityService, type ActivityRow, type RegistrationRow } from './activity/activity.service';
import { IncubationService, type IncubationStepRow } from './incubation/incubation.service';
import {
  SocialWorkerService,
  type AssessmentRow,
  type AssignmentRow,
  type FeedbackRow,
  type SocialWorkerRow,
} from './social-worker/social-worker.service';
import {
  CaseworkService,
  type CaseRow,
  type MemberRow as CaseMemberRow,
  type ReferralRow,
  type SessionRow,
} from './casework/casework.service';
import { MicroServiceService, type MicroServiceRow } from './micro-service/micro-service.service';
import { ContractService, type ContractRow, type MilestoneRow, type PaymentRow } from './contract/contract.service';
import { VentureService, type ApplicationRow, type CallRow } from './venture/venture.service';
import { AuditLogService } from './audit-log/audit-log.service';
import { SitePictureService, type SitePicture } from './site-picture/site-picture.service';
import { AidFundService, type AidFundRow, type AidPaymentRow } from './aid-fund/aid-fund.service';
import {
  CommitteeService,
  type CommitteeRow,
  type ConsultationRow,
  type MemberRow,
} from './committee/committee.service';

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
  auditLog: AuditLogService;
  aidFunds: AidFundService;
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
    assignments: DataLoader<string, AssignmentRow[]>;
    socialCase: DataLoader<string, CaseRow | null>;
    referral: DataLoader<string, ReferralRow | null>;
    referralsByCase: DataLoader<string, ReferralRow[]>;
    sessionsByCase: DataLoader<string, SessionRow[]>;
    membersByCase: DataLoader<string, CaseMemberRow[]>;
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
    sitePicture: DataLoader<string, SitePicture>;
    aidFund: DataLoader<string, AidFundRow | null>;
    aidPaymentsByFund: DataLoader<string, AidPaymentRow[]>;
  };
}

/**
 * Services are per request because they carry the caller; loaders batch and cache per request.
 * Each is built on first use: a dashboard's partner organizations touch one service and no loader.
 */
export function buildContext(db: DataSource) {
  return (base: RequestBase): SocialOrgsContext => {
    const p = base.principal;
    return lazyObject<Omit<SocialOrgsContext, keyof RequestBase>, RequestBase>(
      {
        organizations: () => new OrganizationService(db, p),
        activities: () => new ActivityService(db, p, base.clock),
        incubation: () => new IncubationService(db, p),
        workers: () => new SocialWorkerService(db, p, base.clock),
        casework: () => new CaseworkService(db, p, base.clock),
        microServices: () => new MicroServiceService(db, p),
        contracts: () => new ContractService(db, p, base.clock),
        venture: () => new VentureService(db, p, base.clock),
        committees: () => new CommitteeService(db, p),
        auditLog: () => new AuditLogService(db, p),
        aidFunds: () => new AidFundService(db, p, base.clock),
        loaders: (c) =>
          lazyObject<SocialOrgsContext['loaders']>({
            organization: () => byIdLoader((ids) => c.organizations.byIds(ids)),
            activity: () => byIdLoader((ids) => c.activities.byIds(ids)),
            registration: () => byIdLoader((ids) => c.activities.registrationsByIds(ids)),
            registrationsByActivity: () =>
              byGroupLoader(
                (ids) => c.activities.registrationsByActivities(ids),
                (r) => r.activityId,
              ),
            registrationsByResident: () =>
              byGroupLoader(
                (ids) => c.activities.registrationsByResidents(ids),
                (r) => r.residentId,
              ),
            incubationSteps: () =>
              byGroupLoader(
                (ids) => c.incubation.stepsByOrganizations(ids),
                (r) => r.organizationId,
              ),
            worker: () => byIdLoader((ids) => c.workers.byIds(ids)),
            assessments: () =>
              byGroupLoader(
                (ids) => c.workers.assessmentsByWorkers(ids),
                (r) => r.workerId,
              ),
            feedback: () =>
              byGroupLoader(
                (ids) => c.workers.feedbackByWorkers(ids),
                (r) => r.workerId,
              ),
            assignments: () =>
              byGroupLoader(
                (ids) => c.workers.assignmentsByWorkers(ids),
                (r) => r.workerId,
              ),
            socialCase: () => byIdLoader((ids) => c.casework.casesByIds(ids)),
            referral: () => byIdLoader((ids) => c.casework.referralsByIds(ids)),
            referralsByCase: () =>
              byGroupLoader(
                (ids) => c.casework.referralsByCases(ids),
                (r) => r.caseId,
              ),
            sessionsByCase: () =>
              byGroupLoader(
                (ids) => c.casework.sessionsByCases(ids),
                (r) => r.caseId,
              ),
            membersByCase: () =>
              byGroupLoader(
                (ids) => c.casework.membersByCases(ids),
                (r) => r.caseId,
              ),
            microService: () => byIdLoader((ids) => c.microServices.byIds(ids)),
            contract: () => byIdLoader((ids) => c.contracts.byIds(ids)),
            milestones: () =>
              byGroupLoader(
                (ids) => c.contracts.milestonesByContracts(ids),
                (r) => r.contractId,
              ),
            payments: () =>
              byGroupLoader(
                (ids) => c.contracts.paymentsByContracts(ids),
                (r) => r.contractId,
              ),
            ventureCall: () => byIdLoader((ids) => c.venture.callsByIds(ids)),
            ventureApplication: () => byIdLoader((ids) => c.venture.applicationsByIds(ids)),
            applicationsByCall: () =>
              byGroupLoader(
                (ids) => c.venture.applicationsByCalls(ids),
                (r) => r.callId,
              ),
            committee: () => byIdLoader((ids) => c.committees.byIds(ids)),
            committeeMembers: () =>
              byGroupLoader(
                (ids) => c.committees.membersByCommittees(ids),
                (r) => r.committeeId,
              ),
            consultation: () => byIdLoader((ids) => c.committees.consultationsByIds(ids)),
            consultationsByCommittee: () =>
              byGroupLoader(
                (ids) => c.committees.consultationsByCommittees(ids),
                (r) => r.committeeId,
              ),
            sitePicture: () => new SitePictureService(db, p, base.clock).loader(),
            aidFund: () => byIdLoader((ids) => c.aidFunds.fundsByIds(ids)),
            aidPaymentsByFund: () =>
              byGroupLoader(
                (ids) => c.aidFunds.paymentsByFunds(ids),
                (r) => r.fundId,
              ),
          }),
      },
      base,
    );
  };
}
