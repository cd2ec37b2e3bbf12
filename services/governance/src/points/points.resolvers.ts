import type { Resolvers } from '../generated/graphql';
import { required, isoInstant } from '@anju/kit';

/** GraphQL enum values ↔ stored values. */
export const pointsEnumResolvers: Resolvers = {
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

export const pointsResolvers: Resolvers = {
  Query: {
    pointsRules: (_, a, ctx) => ctx.points.rules.forSite(a.siteId, a.includeRetired ?? false),
    pointsAccount: (_, a, ctx) => ctx.points.accounts.account(a.residentId),
    pointsLedger: (_, a, ctx) => ctx.points.accounts.ledger(a.residentId, a.first, a.after),
    pointsStatement: (_, a, ctx) => ctx.points.accounts.statement(a.residentId, a.from, a.to),
    pointsLeaderboard: (_, a, ctx) => ctx.points.reports.leaderboard(a),
    pointsMonthlyTotals: (_, a, ctx) => ctx.points.reports.monthlyTotals(a),
    rewards: (_, a, ctx) => ctx.points.rewards.forSite(a.siteId, a.includeInactive ?? false),
    redemptions: (_, a, ctx) => ctx.points.redemptions.list(a),
  },
  Mutation: {
    definePointsRule: (_, a, ctx) => ctx.points.rules.define(a.input),
    retirePointsRule: (_, a, ctx) => ctx.points.rules.retire(a.id),
    adjustPoints: (_, a, ctx) => ctx.points.accounts.adjust(a.input),
    addReward: (_, a, ctx) => ctx.points.rewards.add(a.input),
    restockReward: (_, a, ctx) => ctx.points.rewards.restock(a.id, a.quantity),
    redeemReward: (_, a, ctx) => ctx.points.redemptions.redeem(a.input),
    fulfilRedemption: (_, a, ctx) => ctx.points.redemptions.fulfil(a.id),
    cancelRedemption: (_, a, ctx) => ctx.points.redemptions.cancel(a.id, a.reason),
  },
  PointsRule: {
    site: (r, _, ctx) => (r.siteId ? ctx.loaders.site.load(r.siteId) : null),
    createdAt: (r) => isoInstant(r.createdAt),
  },
  PointsAccount: {
    resident: (a, _, ctx) => required(ctx.loaders.resident.load(a.residentId), 'residentId'),
    updatedAt: (a) => isoInstant(a.updatedAt),
  },
  PointsEntry: {
    rule: (e, _, ctx) => (e.ruleId ? ctx.points.ruleLoader.load(e.ruleId) : null),
    occurredAt: (e) => isoInstant(e.occurredAt),
    expiresAt: (e) => isoInstant(e.expiresAt),
    recordedAt: (e) => isoInstant(e.recordedAt),
  },
  PointsStatement: {
    resident: (s, _, ctx) => required(ctx.loaders.resident.load(s.residentId), 'residentId'),
  },
  PointsRank: {
    resident: (r, _, ctx) => required(ctx.loaders.resident.load(r.residentId), 'residentId'),
  },
  PointsMonthlyTotal: {
    site: (t, _, ctx) => ctx.loaders.site.load(t.siteId),
  },
  Reward: {
    site: (r, _, ctx) => ctx.loaders.site.load(r.siteId),
    createdAt: (r) => isoInstant(r.createdAt),
  },
  Redemption: {
    reward: (r, _, ctx) => ctx.points.rewardLoader.load(r.rewardId),
    resident: (r, _, ctx) => ctx.loaders.resident.load(r.residentId),
    requestedAt: (r) => isoInstant(r.requestedAt),
    settledAt: (r) => isoInstant(r.settledAt),
  },
};
