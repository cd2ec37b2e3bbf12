import DataLoader from 'dataloader';
import { byGroupLoader, byIdLoader } from '@anju/kit';
import type { RuleOfLaw } from './rule-of-law.service';
import type { AdviserRow } from './legal-adviser.service';

export type Party = { caseId: string; name: string; residentId: string | null; role: string };
export type Session = { caseId: string; heldAt: Date; place: string; notes: string };
export type Booking = { visitId: string; residentId: string; topic: string; bookedAt: Date };

export function ruleOfLawLoaders(rol: RuleOfLaw) {
  return {
    legalAdviser: byIdLoader((ids) => rol.advisers.advisersByIds(ids)),
    mediationCase: byIdLoader((ids) => rol.mediation.casesByIds(ids)),
    mediationParties: byGroupLoader<Party>(
      (ids) => rol.mediation.parties(ids),
      (p) => p.caseId,
    ),
    mediationSessions: byGroupLoader<Session>(
      (ids) => rol.mediation.sessions(ids),
      (s) => s.caseId,
    ),
    visitBookings: new DataLoader<string, Booking[] | null>((ids) => rol.visits.bookings(ids)),
    advisersOfSite: byGroupLoader<AdviserRow & { servedSiteId: string }>(
      (siteIds) => rol.advisers.advisersOfSites(siteIds),
      (a) => a.servedSiteId,
    ),
  };
}
