import { mergeResolverMaps } from '@anju/kit';
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

/** Every feature's resolvers, merged type by type: a feature resolves fields of another's type by naming it. */
export const resolvers = mergeResolverMaps(enumResolvers, pointsEnumResolvers, ...features);
