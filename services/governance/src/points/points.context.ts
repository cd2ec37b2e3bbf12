import type { DataSource } from 'typeorm';
import type DataLoader from 'dataloader';
import { byIdLoader, type Clock, type Principal } from '@anju/kit';
import type { RuleRow } from './ledger';
import { PointsRuleService } from './points-rule.service';
import { PointsAccountService } from './points-account.service';
import { RewardService, type RewardRow } from './reward.service';
import { RedemptionService } from './redemption.service';
import { PointsReportService } from './points-report.service';

/** Per-request points services (they carry the caller) and loaders. */
export interface PointsContext {
  rules: PointsRuleService;
  accounts: PointsAccountService;
  rewards: RewardService;
  redemptions: RedemptionService;
  reports: PointsReportService;
  ruleLoader: DataLoader<string, RuleRow | null>;
  rewardLoader: DataLoader<string, RewardRow | null>;
}

export function pointsContext(db: DataSource, principal: Principal, clock: Clock): PointsContext {
  const rules = new PointsRuleService(db, principal);
  const rewards = new RewardService(db, principal);
  return {
    rules,
    accounts: new PointsAccountService(db, principal, clock),
    rewards,
    redemptions: new RedemptionService(db, principal, clock),
    reports: new PointsReportService(db, principal),
    ruleLoader: byIdLoader((ids) => rules.byIds(ids)),
    rewardLoader: byIdLoader((ids) => rewards.byIds(ids)),
  };
}
