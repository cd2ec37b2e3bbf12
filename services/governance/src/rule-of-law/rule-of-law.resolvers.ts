import type { Resolvers } from '../generated/graphql';
import { required, loadPresent, isoInstant } from '@anju/kit';

export const ruleOfLawResolvers: Resolvers = {
  LegalAdviserKind: { LEGAL_ADVISER: 'legal_adviser', PUBLIC_LAWYER: 'public_lawyer' },
  MediationOutcome: {
    AGREEMENT: 'agreement',
    NO_AGREEMENT: 'no_agreement',
    REFERRED: 'referred',
    WITHDRAWN: 'withdrawn',
  },
  MediationCaseStatus: { OPEN: 'open', CLOSED: 'closed' },
  MediationPartyRole: { APPLICANT: 'applicant', RESPONDENT: 'respondent', OTHER: 'other' },
  Query: {
    legalAdvisers: (_, a, ctx) => ctx.ruleOfLaw.advisers.advisersOfSite(a.siteId),
    lawyerVisits: (_, a, ctx) => ctx.ruleOfLaw.visits.visits(a.siteId, a.upcomingOnly ?? true),
    ruleOfLawIndicator: (_, a, ctx) => ctx.ruleOfLaw.indicator.indicator(a.siteId, a.fromMonth, a.toMonth),
    mediationCase: (_, a, ctx) => ctx.loaders.mediationCase.load(a.id),
    mediationCases: (_, a, ctx) => ctx.ruleOfLaw.mediation.cases(a.siteId, a.status),
  },
  Mutation: {
    registerLegalAdviser: (_, a, ctx) => ctx.ruleOfLaw.advisers.registerAdviser(a.input),
    scheduleLawyerVisit: (_, a, ctx) => ctx.ruleOfLaw.visits.scheduleVisit(a.input),
    bookLawyerVisit: (_, a, ctx) => ctx.ruleOfLaw.visits.book(a.visitId, a.topic),
    cancelLawyerVisitBooking: (_, a, ctx) => ctx.ruleOfLaw.visits.cancelBooking(a.visitId),
    openMediationCase: (_, a, ctx) => ctx.ruleOfLaw.mediation.openCase(a.input),
    recordMediationSession: (_, a, ctx) => ctx.ruleOfLaw.mediation.recordSession(a.caseId, a.input),
    closeMediationCase: (_, a, ctx) => ctx.ruleOfLaw.mediation.closeCase(a.caseId, a.outcome, a.note),
  },
  LegalAdviser: {
    sites: async (a, _, ctx) => loadPresent(ctx.loaders.site, a.siteIds),
  },
  LawyerVisit: {
    site: (v, _, ctx) => required(ctx.loaders.site.load(v.siteId), 'siteId'),
    adviser: (v, _, ctx) => required(ctx.loaders.legalAdviser.load(v.adviserId), 'adviserId'),
    startsAt: (v) => isoInstant(v.startsAt),
    endsAt: (v) => isoInstant(v.endsAt),
    remaining: (v) => Math.max(0, v.capacity - v.booked),
    bookings: (v, _, ctx) => ctx.loaders.visitBookings.load(v.id),
  },
  LawyerVisitBooking: {
    resident: (b, _, ctx) => ctx.loaders.resident.load(b.residentId),
    bookedAt: (b) => isoInstant(b.bookedAt),
  },
  MediationCase: {
    site: (c, _, ctx) => required(ctx.loaders.site.load(c.siteId), 'siteId'),
    adviser: (c, _, ctx) => (c.adviserId ? ctx.loaders.legalAdviser.load(c.adviserId) : null),
    microIssue: (c, _, ctx) => (c.microIssueId ? ctx.loaders.microIssue.load(c.microIssueId) : null),
    openedAt: (c) => isoInstant(c.openedAt),
    closedAt: (c) => isoInstant(c.closedAt),
    parties: (c, _, ctx) => ctx.loaders.mediationParties.load(c.id),
    sessions: (c, _, ctx) => ctx.loaders.mediationSessions.load(c.id),
  },
  MediationSession: { heldAt: (s) => isoInstant(s.heldAt) },
};
