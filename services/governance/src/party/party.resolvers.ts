import type { GovernanceContext } from '../context';
import type { JointMeetingRow, PartyOrganizationRow, PartyService, RecordJointMeetingInput } from './party.service';

export const partyResolvers = {
  Query: {
    partyOrganization: (_: unknown, a: { siteId: string }, ctx: GovernanceContext) =>
      ctx.party.organizationOfSite(a.siteId),
    jointMeetings: (_: unknown, a: { siteId: string; first?: number; after?: string }, ctx: GovernanceContext) =>
      ctx.party.meetings(a.siteId, a.first, a.after),
  },
  Mutation: {
    setPartyOrganization: (
      _: unknown,
      a: { input: { siteId: string; name: string; secretaryName?: string } },
      ctx: GovernanceContext,
    ) => ctx.party.setOrganization(a.input),
    addPartyMember: (_: unknown, a: { input: Parameters<PartyService['addMember']>[0] }, ctx: GovernanceContext) =>
      ctx.party.addMember(a.input),
    recordJointMeeting: (_: unknown, a: { input: RecordJointMeetingInput }, ctx: GovernanceContext) =>
      ctx.party.recordMeeting(a.input),
  },
  PartyOrganization: {
    site: (o: PartyOrganizationRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(o.siteId),
    members: (o: PartyOrganizationRow, _: unknown, ctx: GovernanceContext) => ctx.party.members([o.id]),
  },
  JointMeeting: {
    site: (j: JointMeetingRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(j.siteId),
    resolutions: (j: JointMeetingRow, _: unknown, ctx: GovernanceContext) =>
      ctx.loaders.resolutionsOfMeeting.load(j.id),
  },
};
