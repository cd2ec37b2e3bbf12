import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

export const partyResolvers: Resolvers = {
  Query: {
    partyOrganization: (_, a, ctx) => ctx.party.organizationOfSite(a.siteId),
    jointMeetings: (_, a, ctx) => ctx.party.meetings(a.siteId, a.first, a.after),
  },
  Mutation: {
    setPartyOrganization: (_, a, ctx) => ctx.party.setOrganization(a.input),
    addPartyMember: (_, a, ctx) => ctx.party.addMember(a.input),
    recordJointMeeting: (_, a, ctx) => ctx.party.recordMeeting(a.input),
  },
  PartyOrganization: {
    site: (o, _, ctx) => required(ctx.loaders.site.load(o.siteId), 'siteId'),
    members: (o, _, ctx) => ctx.party.members([o.id]),
  },
  JointMeeting: {
    site: (j, _, ctx) => required(ctx.loaders.site.load(j.siteId), 'siteId'),
    resolutions: (j, _, ctx) => ctx.loaders.resolutionsOfMeeting.load(j.id),
  },
};
