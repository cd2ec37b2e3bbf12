import type { Resolvers } from '../generated/graphql';
import { required, upperEnum } from '@anju/kit';
import { nextMeetingDueOn } from './co-building.service';

export const coBuildingResolvers: Resolvers = {
  CoBuildingMemberRole: upperEnum('chair', 'vice_chair', 'member'),
  CoBuildingMeetingStatus: upperEnum('scheduled', 'held'),
  Query: {
    coBuildingCouncil: (_, a, ctx) => ctx.coBuilding.councilOfSite(a.siteId),
  },
  Mutation: {
    setCoBuildingCouncil: (_, a, ctx) => ctx.coBuilding.setCouncil(a.input),
    addCoBuildingMember: (_, a, ctx) => ctx.coBuilding.addMember(a.input),
    scheduleCoBuildingMeeting: (_, a, ctx) => ctx.coBuilding.scheduleMeeting(a.input),
    recordCoBuildingMeeting: (_, a, ctx) => ctx.coBuilding.recordMeeting(a.input),
  },
  CoBuildingCouncil: {
    site: (c, _, ctx) => required(ctx.loaders.site.load(c.siteId), 'siteId'),
    nextMeetingDueOn: (c) => nextMeetingDueOn(c),
    members: (c, _, ctx) => ctx.coBuilding.members([c.id]),
    meetings: (c, _, ctx) => ctx.coBuilding.meetings([c.id]),
  },
  CoBuildingMeeting: {
    startsAt: (m) => new Date(m.startsAt).toISOString(),
    remindedAt: (m) => (m.remindedAt ? new Date(m.remindedAt).toISOString() : null),
    resolutions: (m, _, ctx) => ctx.loaders.resolutionsOfCoBuildingMeeting.load(m.id),
  },
};
