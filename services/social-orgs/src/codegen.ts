/**
 * How `pnpm codegen` types this subgraph's resolvers (src/generated/graphql.ts): paths are relative
 * to that file; each mapper is the row a type's resolvers return and its field resolvers receive.
 */
export const codegen = {
  contextType: '../context#SocialOrgsContext',
  mappers: {
    Site: '@anju/kit#EntityRef',
    Resident: '@anju/kit#EntityRef',
    SocialOrganization: '../organization/organization.service#OrganizationRow',
    IncubationStep: '../incubation/incubation.service#IncubationStepRow',
    Activity: '../activity/activity.service#ActivityRow',
    ActivityRegistration: '../activity/activity.service#RegistrationRow',
    AidFund: '../aid-fund/aid-fund.service#AidFundRow',
    AidPayment: '../aid-fund/aid-fund.service#AidPaymentRow',
    SocialOrgsAuditEntry: '../audit-log/audit-log.service#AuditEntryRow',
    SocialCase: '../casework/casework.service#CaseRow',
    CaseSession: '../casework/casework.service#SessionRow',
    CaseMember: '../casework/casework.service#MemberRow as CaseMemberRow',
    Referral: '../casework/casework.service#ReferralRow',
    ProfessionalCommittee: '../committee/committee.service#CommitteeRow',
    CommitteeMember: '../committee/committee.service#MemberRow as CommitteeMemberRow',
    Consultation: '../committee/committee.service#ConsultationRow',
    ServiceContract: '../contract/contract.service#ContractRow',
    ContractMilestone: '../contract/contract.service#MilestoneRow',
    ContractPayment: '../contract/contract.service#PaymentRow',
    MicroService: '../micro-service/micro-service.service#MicroServiceRow',
    SocialWorker: '../social-worker/social-worker.service#SocialWorkerRow',
    WorkerAssessment: '../social-worker/social-worker.service#AssessmentRow',
    WorkerFeedback: '../social-worker/social-worker.service#FeedbackRow',
    WorkerPeriodGrade: '../social-worker/grade#PeriodGrade',
    WorkerTimelineEntry: '../social-worker/timeline#TimelineEntry',
    VentureCall: '../venture/venture.service#CallRow',
    VentureApplication: '../venture/venture.service#ApplicationRow',
  },
  loadResolvers: async () => (await import('./resolvers')).resolvers,
};
