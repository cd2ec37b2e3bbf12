import type { Resolvers } from '../generated/graphql';
import { loadPresent, isoInstant, required } from '@anju/kit';

export const noticeResolvers: Resolvers = {
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
    notice: (_, a, ctx) => ctx.loaders.notice.load(a.id),
    notices: (_, a, ctx) => ctx.notices.list(a),
  },
  Mutation: {
    createNotice: (_, a, ctx) => ctx.notices.create(a.input),
    withdrawNotice: (_, a, ctx) => ctx.notices.withdraw(a.id, a.reason),
    markNoticeRead: (_, a, ctx) => ctx.notices.markRead(a.id),
  },
  Notice: {
    publishAt: (n) => isoInstant(n.publishAt),
    expiresAt: (n) => isoInstant(n.expiresAt),
    publishedAt: (n) => isoInstant(n.publishedAt),
    // Only the audience sites the caller can see.
    sites: async (n, _, ctx) => loadPresent(ctx.loaders.site, n.siteIds),
    readByMe: (n, _, ctx) => ctx.loaders.noticeReadByMe.load(n.id),
    readRates: (n, _, ctx) => ctx.loaders.noticeReadStats.load(n.id),
  },
  NoticeReadRate: {
    site: (r, _, ctx) => required(ctx.loaders.site.load(r.siteId), 'siteId'),
  },
};
