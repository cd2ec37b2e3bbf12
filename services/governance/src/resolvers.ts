import { enumResolvers } from './enums';
import { regionResolvers } from './region/region.resolvers';
import { siteResolvers } from './site/site.resolvers';
import { householdResolvers } from './household/household.resolvers';
import { residentResolvers } from './resident/resident.resolvers';
import { pointsEnumResolvers, pointsResolvers } from './points/points.resolvers';
import { gridResolvers } from './grid/grid.resolvers';
import { buildingResolvers } from './building/building.resolvers';
import { auditResolvers } from './audit/audit.resolvers';
import { gridTaskResolvers } from './grid-task/grid-task.resolvers';
import { microIssueResolvers } from './micro-issue/micro-issue.resolvers';
import { listItemResolvers } from './list-item/list-item.resolvers';
import { partyResolvers } from './party/party.resolvers';
import { noticeResolvers } from './notice/notice.resolvers';
import { ruleOfLawResolvers } from './rule-of-law/rule-of-law.resolvers';
import { modelResidentResolvers } from './model-resident/model-resident.resolvers';
import { importResolvers } from './import/import.resolvers';
import { proposalResolvers } from './proposal/proposal.resolvers';
import { surveyResolvers } from './survey/survey.resolvers';
import { supervisionResolvers } from './supervision/supervision.resolvers';
import { notificationResolvers } from './notification/notification.resolvers';
import { householdVisitResolvers } from './household-visit/household-visit.resolvers';
import { coBuildingResolvers } from './co-building/co-building.resolvers';

const features = [
  regionResolvers,
  siteResolvers,
  householdResolvers,
  residentResolvers,
  gridResolvers,
  buildingResolvers,
  auditResolvers,
  gridTaskResolvers,
  microIssueResolvers,
  listItemResolvers,
  partyResolvers,
  noticeResolvers,
  ruleOfLawResolvers,
  modelResidentResolvers,
  pointsResolvers,
  importResolvers,
  proposalResolvers,
  surveyResolvers,
  supervisionResolvers,
  notificationResolvers,
  householdVisitResolvers,
  coBuildingResolvers,
];

export const resolvers = {
  ...enumResolvers,
  ...pointsEnumResolvers,
  Query: Object.assign({}, ...features.map((f) => f.Query)),
  Mutation: Object.assign({}, ...features.map((f) => f.Mutation)),
  ImportJob: importResolvers.ImportJob,
  Region: regionResolvers.Region,
  Site: siteResolvers.Site,
  Household: householdResolvers.Household,
  Resident: residentResolvers.Resident,
  Grid: gridResolvers.Grid,
  Building: buildingResolvers.Building,
  GridTask: gridTaskResolvers.GridTask,
  GridTaskStatus: gridTaskResolvers.GridTaskStatus,
  HouseholdVisit: householdVisitResolvers.HouseholdVisit,
  CoBuildingMemberRole: coBuildingResolvers.CoBuildingMemberRole,
  CoBuildingMeetingStatus: coBuildingResolvers.CoBuildingMeetingStatus,
  CoBuildingCouncil: coBuildingResolvers.CoBuildingCouncil,
  CoBuildingMeeting: coBuildingResolvers.CoBuildingMeeting,
  MicroIssue: microIssueResolvers.MicroIssue,
  MicroIssueStep: microIssueResolvers.MicroIssueStep,
  MicroIssueKind: microIssueResolvers.MicroIssueKind,
  MicroIssueLevel: microIssueResolvers.MicroIssueLevel,
  MicroIssueStatus: microIssueResolvers.MicroIssueStatus,
  MicroIssueOutcome: microIssueResolvers.MicroIssueOutcome,
  ListKind: listItemResolvers.ListKind,
  ListItemStatus: listItemResolvers.ListItemStatus,
  ListItem: { ...listItemResolvers.ListItem, openFindings: supervisionResolvers.openFindings.ListItem },
  PartyOrganization: partyResolvers.PartyOrganization,
  JointMeeting: partyResolvers.JointMeeting,
  NoticeCategory: noticeResolvers.NoticeCategory,
  NoticeStatus: noticeResolvers.NoticeStatus,
  Notice: { ...noticeResolvers.Notice, openFindings: supervisionResolvers.openFindings.Notice },
  NoticeReadRate: noticeResolvers.NoticeReadRate,
  LegalAdviserKind: ruleOfLawResolvers.LegalAdviserKind,
  MediationOutcome: ruleOfLawResolvers.MediationOutcome,
  MediationCaseStatus: ruleOfLawResolvers.MediationCaseStatus,
  MediationPartyRole: ruleOfLawResolvers.MediationPartyRole,
  LegalAdviser: ruleOfLawResolvers.LegalAdviser,
  LawyerVisit: ruleOfLawResolvers.LawyerVisit,
  LawyerVisitBooking: ruleOfLawResolvers.LawyerVisitBooking,
  MediationCase: ruleOfLawResolvers.MediationCase,
  MediationSession: ruleOfLawResolvers.MediationSession,
  ModelResidentStatus: modelResidentResolvers.ModelResidentStatus,
  ModelResident: modelResidentResolvers.ModelResident,
  PointsRule: pointsResolvers.PointsRule,
  PointsAccount: pointsResolvers.PointsAccount,
  PointsEntry: pointsResolvers.PointsEntry,
  PointsStatement: pointsResolvers.PointsStatement,
  PointsRank: pointsResolvers.PointsRank,
  PointsMonthlyTotal: pointsResolvers.PointsMonthlyTotal,
  Reward: pointsResolvers.Reward,
  Redemption: pointsResolvers.Redemption,
  ProposalStatus: proposalResolvers.ProposalStatus,
  VoteChoice: proposalResolvers.VoteChoice,
  CouncilDecision: proposalResolvers.CouncilDecision,
  Proposal: proposalResolvers.Proposal,
  ProposalVoting: proposalResolvers.ProposalVoting,
  ProposalComment: proposalResolvers.ProposalComment,
  CouncilMeeting: proposalResolvers.CouncilMeeting,
  SurveyKind: surveyResolvers.SurveyKind,
  SurveyQuestionKind: surveyResolvers.SurveyQuestionKind,
  SurveyStatus: surveyResolvers.SurveyStatus,
  SurveyNeed: surveyResolvers.SurveyNeed,
  Survey: surveyResolvers.Survey,
  SurveyQuestion: surveyResolvers.SurveyQuestion,
  SurveyGroupResult: surveyResolvers.SurveyGroupResult,
  SurveyResults: surveyResolvers.SurveyResults,
  SurveyQuestionResult: surveyResolvers.SurveyQuestionResult,
  FindingTarget: supervisionResolvers.FindingTarget,
  FindingAction: supervisionResolvers.FindingAction,
  FindingStatus: supervisionResolvers.FindingStatus,
  SupervisoryMember: supervisionResolvers.SupervisoryMember,
  SupervisionFinding: supervisionResolvers.SupervisionFinding,
  NotificationKind: notificationResolvers.NotificationKind,
  PushChannel: notificationResolvers.PushChannel,
  DeliveryStatus: notificationResolvers.DeliveryStatus,
  Notification: notificationResolvers.Notification,
  NotificationDelivery: notificationResolvers.NotificationDelivery,
  NotificationPreferences: notificationResolvers.NotificationPreferences,
};
