import type { GovernanceContext } from '../context';
import type { NoticeCategory } from './notice.types';
import type { CreateNoticeInput, NoticeRow } from './notice.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const noticeResolvers = {
  NoticeCategory: {
    FINANCE: 'finance',
    SUBSIDY: 'subsidy',
    POINTS: 'points',
    RESOLUTION: 'resolution',
    AFFAIRS: 'affairs',
    PARTY_BUILDING: 'party_building',
    CULTURE: 'culture',
    OTHER: 'other',
  },
  NoticeStatus: { SCHEDULED: 'scheduled', PUBLISHED: 'published', WITHDRAWN: 'withdrawn' },
  Query: {
    notice: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.loaders.notice.load(a.id),
    notices: (
      _: unknown,
      a: { siteId?: string; category?: NoticeCategory; first?: number; after?: string },
      ctx: GovernanceContext,
    ) => ctx.notices.list(a),
  },
  Mutation: {
    createNotice: (_: unknown, a: { input: CreateNoticeInput }, ctx: GovernanceContext) => ctx.notices.create(a.input),
    withdrawNotice: (_: unknown, a: { id: string; reason: string }, ctx: GovernanceContext) =>
      ctx.notices.withdraw(a.id, a.reason),
    markNoticeRead: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.notices.markRead(a.id),
  },
  Notice: {
    publishAt: (n: NoticeRow) => iso(n.publishAt),
    expiresAt: (n: NoticeRow) => iso(n.expiresAt),
    publishedAt: (n: NoticeRow) => iso(n.publishedAt),
    // Only the audience sites the caller can see.
    sites: async (n: NoticeRow, _: unknown, ctx: GovernanceContext) =>
      (await ctx.loaders.site.loadMany(n.siteIds)).filter((s) => s && !(s instanceof Error)),
    readByMe: (n: NoticeRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.noticeReadByMe.load(n.id),
    readRates: (n: NoticeRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.noticeReadStats.load(n.id),
  },
  NoticeReadRate: {
    site: (r: { siteId: string }, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(r.siteId),
  },
};
