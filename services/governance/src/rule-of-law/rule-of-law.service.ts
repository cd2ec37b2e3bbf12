import type { DataSource } from 'typeorm';
import type { Clock, Principal } from '@anju/kit';
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
  const built: Partial<RuleOfLaw> = {};
  const make = {
    advisers: LegalAdviserService,
    visits: LawyerVisitService,
    mediation: MediationService,
    indicator: RuleOfLawIndicatorService,
  };
  const get = <K extends keyof RuleOfLaw>(k: K): RuleOfLaw[K] =>
    (built[k] ??= new make[k](db, p, clock) as RuleOfLaw[K]);
  return {
    get advisers() {
      return get('advisers');
    },
    get visits() {
      return get('visits');
    },
    get mediation() {
      return get('mediation');
    },
    get indicator() {
      return get('indicator');
    },
  };
}
