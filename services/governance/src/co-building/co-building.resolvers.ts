import type { GovernanceContext } from '../context';
import {
  nextMeetingDueOn,
  type CoBuildingCouncilRow,
  type CoBuildingMeetingRow,
  type CoBuildingService,
} from './co-building.service';

type Input<K extends keyof CoBuildingService> = CoBuildingService[K] extends (a: infer A) => unknown ? A : never;
const upper = <T extends string>(values: T[]) => Object.fromEntries(values.map((v) => [v.toUpperCase(), v]));

export const coBuildingResolvers = {
  CoBuildingMemberRole: upper(['chair', 'vice_chair', 'member']),
  CoBuildingMeetingStatus: upper(['scheduled', 'held']),
  Query: {
    coBuildingCouncil: (_: unknown, a: { siteId: string }, ctx: GovernanceContext) =>
      ctx.coBuilding.councilOfSite(a.siteId),
  },
  Mutation: {
    setCoBuildingCouncil: (_: unknown, a: { input: Input<'setCouncil'> }, ctx: GovernanceContext) =>
      ctx.coBuilding.setCouncil(a.input),
    addCoBuildingMember: (_: unknown, a: { input: Input<'addMember'> }, ctx: GovernanceContext) =>
      ctx.coBuilding.addMember(a.input),
    scheduleCoBuildingMeeting: (_: unknown, a: { input: Input<'scheduleMeeting'> }, ctx: GovernanceContext) =>
      ctx.coBuilding.scheduleMeeting(a.input),
    recordCoBuildingMeeting: (_: unknown, a: { input: Input<'recordMeeting'> }, ctx: GovernanceContext) =>
      ctx.coBuilding.recordMeeting(a.input),
  },
  CoBuildingCouncil: {
    site: (c: CoBuildingCouncilRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(c.siteId),
    nextMeetingDueOn: (c: CoBuildingCouncilRow) => nextMeetingDueOn(c),
    members: (c: CoBuildingCouncilRow, _: unknown, ctx: GovernanceContext) => ctx.coBuilding.members([c.id]),
    meetings: (c: CoBuildingCouncilRow, _: unknown, ctx: GovernanceContext) => ctx.coBuilding.meetings([c.id]),
  },
  CoBuildingMeeting: {
    startsAt: (m: CoBuildingMeetingRow) => new Date(m.startsAt).toISOString(),
    remindedAt: (m: CoBuildingMeetingRow) => (m.remindedAt ? new Date(m.remindedAt).toISOString() : null),
    resolutions: (m: CoBuildingMeetingRow, _: unknown, ctx: GovernanceContext) =>
      ctx.loaders.resolutionsOfCoBuildingMeeting.load(m.id),
  },
};
