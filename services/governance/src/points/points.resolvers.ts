import type { GovernanceContext } from '../context';
import type { EntryRow, RuleRow } from './ledger';
import type { AccountRow, AdjustPointsInput, StatementRow } from './points-account.service';
import type { DefinePointsRuleInput } from './points-rule.service';
import type { MonthlyTotalRow, RankRow } from './points-report.service';
import type { AddRewardInput, RewardRow } from './reward.service';
import type { RedemptionRow, RedemptionStatus } from './redemption.service';

type Ctx = GovernanceContext;
const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** GraphQL enum values ↔ stored values. */
export const pointsEnumResolvers = {
  PointsEvent: {
    ACTIVITY_ATTENDED: 'activity.attended',
    SERVICE_VERIFIED: 'service.verified',
    TRAINING_COMPLETED: 'training.completed',
    MICRO_ISSUE_RESOLVED: 'micro_issue.resolved',
  },
  PointsEntryKind: {
    CREDIT: 'credit',
    GRANT: 'grant',
    DEDUCT: 'deduct',
    EXPIRE: 'expire',
    REDEEM: 'redeem',
    REFUND: 'refund',
  },
  RewardKind: { GOODS: 'goods', SERVICE: 'service', PRIVILEGE: 'privilege' },
  RedemptionStatus: { PENDING: 'pending', FULFILLED: 'fulfilled', CANCELLED: 'cancelled' },
};

export const pointsResolvers = {
  Query: {
    pointsRules: (_: unknown, a: { siteId: string; includeRetired?: boolean }, ctx: Ctx) =>
      ctx.points.rules.forSite(a.siteId, a.includeRetired ?? false),
    pointsAccount: (_: unknown, a: { residentId: string }, ctx: Ctx) => ctx.points.accounts.account(a.residentId),
    pointsLedger: (_: unknown, a: { residentId: string; first?: number; after?: string }, ctx: Ctx) =>
      ctx.points.accounts.ledger(a.residentId, a.first, a.after),
    pointsStatement: (_: unknown, a: { residentId: string; from: string; to: string }, ctx: Ctx) =>
      ctx.points.accounts.statement(a.residentId, a.from, a.to),
    pointsLeaderboard: (
      _: unknown,
      a: { siteId: string; buildingId?: string; gridId?: string; month?: string; first?: number },
      ctx: Ctx,
    ) => ctx.points.reports.leaderboard(a),
    pointsMonthlyTotals: (
      _: unknown,
      a: { siteId?: string; regionCode?: string; fromMonth: string; toMonth: string },
      ctx: Ctx,
    ) => ctx.points.reports.monthlyTotals(a),
    rewards: (_: unknown, a: { siteId: string; includeInactive?: boolean }, ctx: Ctx) =>
      ctx.points.rewards.forSite(a.siteId, a.includeInactive ?? false),
    redemptions: (
      _: unknown,
      a: { siteId: string; residentId?: string; status?: RedemptionStatus; first?: number; after?: string },
      ctx: Ctx,
    ) => ctx.points.redemptions.list(a),
  },
  Mutation: {
    definePointsRule: (_: unknown, a: { input: DefinePointsRuleInput }, ctx: Ctx) => ctx.points.rules.define(a.input),
    retirePointsRule: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.points.rules.retire(a.id),
    adjustPoints: (_: unknown, a: { input: AdjustPointsInput }, ctx: Ctx) => ctx.points.accounts.adjust(a.input),
    addReward: (_: unknown, a: { input: AddRewardInput }, ctx: Ctx) => ctx.points.rewards.add(a.input),
    restockReward: (_: unknown, a: { id: string; quantity: number }, ctx: Ctx) =>
      ctx.points.rewards.restock(a.id, a.quantity),
    redeemReward: (_: unknown, a: { input: { rewardId: string; residentId?: string } }, ctx: Ctx) =>
      ctx.points.redemptions.redeem(a.input),
    fulfilRedemption: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.points.redemptions.fulfil(a.id),
    cancelRedemption: (_: unknown, a: { id: string; reason: string }, ctx: Ctx) =>
      ctx.points.redemptions.cancel(a.id, a.reason),
  },
  PointsRule: {
    site: (r: RuleRow, _: unknown, ctx: Ctx) => (r.siteId ? ctx.loaders.site.load(r.siteId) : null),
    createdAt: (r: RuleRow) => iso(r.createdAt),
  },
  PointsAccount: {
    resident: (a: AccountRow, _: unknown, ctx: Ctx) => ctx.loaders.resident.load(a.residentId),
    updatedAt: (a: AccountRow) => iso(a.updatedAt),
  },
  PointsEntry: {
    rule: (e: EntryRow, _: unknown, ctx: Ctx) => (e.ruleId ? ctx.points.ruleLoader.load(e.ruleId) : null),
    occurredAt: (e: EntryRow) => iso(e.occurredAt),
    expiresAt: (e: EntryRow) => iso(e.expiresAt),
    recordedAt: (e: EntryRow) => iso(e.recordedAt),
  },
  PointsStatement: {
    resident: (s: StatementRow, _: unknown, ctx: Ctx) => ctx.loaders.resident.load(s.residentId),
  },
  PointsRank: {
    resident: (r: RankRow, _: unknown, ctx: Ctx) => ctx.loaders.resident.load(r.residentId),
  },
  PointsMonthlyTotal: {
    site: (t: MonthlyTotalRow, _: unknown, ctx: Ctx) => ctx.loaders.site.load(t.siteId),
  },
  Reward: {
    site: (r: RewardRow, _: unknown, ctx: Ctx) => ctx.loaders.site.load(r.siteId),
    createdAt: (r: RewardRow) => iso(r.createdAt),
  },
  Redemption: {
    reward: (r: RedemptionRow, _: unknown, ctx: Ctx) => ctx.points.rewardLoader.load(r.rewardId),
    resident: (r: RedemptionRow, _: unknown, ctx: Ctx) => ctx.loaders.resident.load(r.residentId),
    requestedAt: (r: RedemptionRow) => iso(r.requestedAt),
    settledAt: (r: RedemptionRow) => iso(r.settledAt),
  },
};
