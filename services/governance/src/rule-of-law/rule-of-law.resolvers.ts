import type { GovernanceContext } from '../context';
import type { AdviserRow, LegalAdviserService } from './legal-adviser.service';
import type { LawyerVisitService, VisitRow } from './lawyer-visit.service';
import type { CaseRow, MediationService } from './mediation.service';
import type { Booking, Session } from './rule-of-law.loaders';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const ruleOfLawResolvers = {
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
    legalAdvisers: (_: unknown, a: { siteId: string }, ctx: GovernanceContext) =>
      ctx.ruleOfLaw.advisers.advisersOfSite(a.siteId),
    lawyerVisits: (_: unknown, a: { siteId: string; upcomingOnly?: boolean }, ctx: GovernanceContext) =>
      ctx.ruleOfLaw.visits.visits(a.siteId, a.upcomingOnly ?? true),
    ruleOfLawIndicator: (
      _: unknown,
      a: { siteId: string; fromMonth: string; toMonth: string },
      ctx: GovernanceContext,
    ) => ctx.ruleOfLaw.indicator.indicator(a.siteId, a.fromMonth, a.toMonth),
    mediationCase: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.loaders.mediationCase.load(a.id),
    mediationCases: (_: unknown, a: { siteId?: string; status?: 'open' | 'closed' }, ctx: GovernanceContext) =>
      ctx.ruleOfLaw.mediation.cases(a.siteId, a.status),
  },
  Mutation: {
    registerLegalAdviser: (
      _: unknown,
      a: { input: Parameters<LegalAdviserService['registerAdviser']>[0] },
      ctx: GovernanceContext,
    ) => ctx.ruleOfLaw.advisers.registerAdviser(a.input),
    scheduleLawyerVisit: (
      _: unknown,
      a: { input: Parameters<LawyerVisitService['scheduleVisit']>[0] },
      ctx: GovernanceContext,
    ) => ctx.ruleOfLaw.visits.scheduleVisit(a.input),
    bookLawyerVisit: (_: unknown, a: { visitId: string; topic: string }, ctx: GovernanceContext) =>
      ctx.ruleOfLaw.visits.book(a.visitId, a.topic),
    cancelLawyerVisitBooking: (_: unknown, a: { visitId: string }, ctx: GovernanceContext) =>
      ctx.ruleOfLaw.visits.cancelBooking(a.visitId),
    openMediationCase: (
      _: unknown,
      a: { input: Parameters<MediationService['openCase']>[0] },
      ctx: GovernanceContext,
    ) => ctx.ruleOfLaw.mediation.openCase(a.input),
    recordMediationSession: (
      _: unknown,
      a: { caseId: string; input: { heldAt: string; place: string; notes: string } },
      ctx: GovernanceContext,
    ) => ctx.ruleOfLaw.mediation.recordSession(a.caseId, a.input),
    closeMediationCase: (
      _: unknown,
      a: { caseId: string; outcome: 'agreement' | 'no_agreement' | 'referred' | 'withdrawn'; note: string },
      ctx: GovernanceContext,
    ) => ctx.ruleOfLaw.mediation.closeCase(a.caseId, a.outcome, a.note),
  },
  LegalAdviser: {
    sites: async (a: AdviserRow, _: unknown, ctx: GovernanceContext) =>
      (await ctx.loaders.site.loadMany(a.siteIds)).filter((s) => s && !(s instanceof Error)),
  },
  LawyerVisit: {
    site: (v: VisitRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(v.siteId),
    adviser: (v: VisitRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.legalAdviser.load(v.adviserId),
    startsAt: (v: VisitRow) => iso(v.startsAt),
    endsAt: (v: VisitRow) => iso(v.endsAt),
    remaining: (v: VisitRow) => Math.max(0, v.capacity - v.booked),
    bookings: (v: VisitRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.visitBookings.load(v.id),
  },
  LawyerVisitBooking: {
    resident: (b: Booking, _: unknown, ctx: GovernanceContext) => ctx.loaders.resident.load(b.residentId),
    bookedAt: (b: Booking) => iso(b.bookedAt),
  },
  MediationCase: {
    site: (c: CaseRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(c.siteId),
    adviser: (c: CaseRow, _: unknown, ctx: GovernanceContext) =>
      c.adviserId ? ctx.loaders.legalAdviser.load(c.adviserId) : null,
    microIssue: (c: CaseRow, _: unknown, ctx: GovernanceContext) =>
      c.microIssueId ? ctx.loaders.microIssue.load(c.microIssueId) : null,
    openedAt: (c: CaseRow) => iso(c.openedAt),
    closedAt: (c: CaseRow) => iso(c.closedAt),
    parties: (c: CaseRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.mediationParties.load(c.id),
    sessions: (c: CaseRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.mediationSessions.load(c.id),
  },
  MediationSession: { heldAt: (s: Session) => iso(s.heldAt) },
};
