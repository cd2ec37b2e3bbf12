import type { DataSource } from 'typeorm';
import { lazyObject, type Clock, type Principal } from '@anju/kit';
import { LawyerVisitService } from './lawyer-visit.service';
import { LegalAdviserService } from './legal-adviser.service';
import { MediationService } from './mediation.service';
import { RuleOfLawIndicatorService } from './rule-of-law-indicator.service';

/** 法治, one service per sub-domain: advisers, lawyer visits with bookings, mediation, the indicator. */
export interface RuleOfLaw {
  advisers: LegalAdviserService;
  visits: LawyerVisitService;
  mediation: MediationService;
  indicator: RuleOfLawIndicatorService;
}

/** The 法治 services of one request; each is built on first use. */
export function ruleOfLaw(db: DataSource, p: Principal, clock: Clock): RuleOfLaw {
  return lazyObject<RuleOfLaw>({
    advisers: () => new LegalAdviserService(db, p, clock),
    visits: () => new LawyerVisitService(db, p, clock),
    mediation: () => new MediationService(db, p, clock),
    indicator: () => new RuleOfLawIndicatorService(db, p, clock),
  });
}
