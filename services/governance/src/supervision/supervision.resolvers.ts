import type { GovernanceContext } from '../context';
import type { FindingAction, FindingRow, FindingTarget, MemberRow } from './supervision.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
type Ctx = GovernanceContext;

export const supervisionResolvers = {
  FindingTarget: { LIST_ITEM: 'list_item', NOTICE: 'notice', POINTS_ENTRY: 'points_entry' },
  FindingAction: { FLAG: 'flag', REOPEN: 'reopen' },
  FindingStatus: { OPEN: 'open', ANSWERED: 'answered' },
  Query: {
    supervisoryMembers: (_: unknown, a: { siteId: string; includeEnded?: boolean }, ctx: Ctx) =>
      ctx.supervision.members(a.siteId, a.includeEnded),
    supervisionFindings: (
      _: unknown,
      a: { siteId?: string; status?: 'open' | 'answered'; first?: number; after?: string },
      ctx: Ctx,
    ) => ctx.supervision.list(a),
  },
  Mutation: {
    appointSupervisoryMember: (_: unknown, a: { siteId: string; residentId: string }, ctx: Ctx) =>
      ctx.supervision.appoint(a.siteId, a.residentId),
    endSupervisoryMembership: (_: unknown, a: { siteId: string; residentId: string; reason: string }, ctx: Ctx) =>
      ctx.supervision.endTerm(a.siteId, a.residentId, a.reason),
    recordSupervisionFinding: (
      _: unknown,
      a: { input: { targetKind: FindingTarget; targetId: string; action: FindingAction; description: string } },
      ctx: Ctx,
    ) => ctx.supervision.record(a.input),
    answerSupervisionFinding: (_: unknown, a: { id: string; response: string }, ctx: Ctx) =>
      ctx.supervision.answer(a.id, a.response),
  },
  // The flag on the records a finding can be about: other features' types, extended in supervision.graphql.
  ListItem: {
    openFindings: (l: { id: string }, _: unknown, ctx: Ctx) => ctx.loaders.openFindingsOfListItem.load(l.id),
  },
  Notice: {
    openFindings: (n: { id: string }, _: unknown, ctx: Ctx) => ctx.loaders.openFindingsOfNotice.load(n.id),
  },
  SupervisoryMember: {
    site: (m: MemberRow, _: unknown, ctx: Ctx) => ctx.loaders.site.load(m.siteId),
    // Null where the caller may not see the resident (a resident sees only themselves).
    resident: (m: MemberRow, _: unknown, ctx: Ctx) => ctx.loaders.resident.load(m.residentId),
  },
  SupervisionFinding: {
    site: (f: FindingRow, _: unknown, ctx: Ctx) => ctx.loaders.site.load(f.siteId),
    recordedAt: (f: FindingRow) => iso(f.recordedAt),
    answeredAt: (f: FindingRow) => iso(f.answeredAt),
    listItem: (f: FindingRow, _: unknown, ctx: Ctx) =>
      f.targetKind === 'list_item' ? ctx.loaders.listItem.load(f.targetId) : null,
    notice: (f: FindingRow, _: unknown, ctx: Ctx) =>
      f.targetKind === 'notice' ? ctx.loaders.notice.load(f.targetId) : null,
  },
};
