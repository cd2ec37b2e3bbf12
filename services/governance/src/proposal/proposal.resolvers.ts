import type { GovernanceContext } from '../context';
import type { ListKind } from '../list-item/list-item.types';
import type {
  CouncilMeetingRow,
  ProposalCommentRow,
  ProposalRow,
  ProposalStatus,
  RaiseProposalInput,
  RecordCouncilMeetingInput,
  VoteChoice,
} from './proposal.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
type Ctx = GovernanceContext;

export const proposalResolvers = {
  ProposalStatus: { OPEN: 'open', VOTING: 'voting', ADOPTED: 'adopted', REJECTED: 'rejected', DECLINED: 'declined' },
  VoteChoice: { FOR: 'for', AGAINST: 'against', ABSTAIN: 'abstain' },
  CouncilDecision: { PUT_TO_VOTE: 'put_to_vote', DECLINE: 'decline' },
  Query: {
    proposal: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.proposal.load(a.id),
    proposals: (
      _: unknown,
      a: { siteId?: string; status?: ProposalStatus; first?: number; after?: string },
      ctx: Ctx,
    ) => ctx.proposals.list(a),
  },
  Mutation: {
    raiseProposal: (_: unknown, a: { input: RaiseProposalInput }, ctx: Ctx) => ctx.proposals.raise(a.input),
    commentOnProposal: (_: unknown, a: { proposalId: string; body: string }, ctx: Ctx) =>
      ctx.proposals.comment(a.proposalId, a.body),
    recordCouncilMeeting: (_: unknown, a: { input: RecordCouncilMeetingInput }, ctx: Ctx) =>
      ctx.proposals.recordMeeting(a.input),
    castProposalVote: (_: unknown, a: { proposalId: string; choice: VoteChoice }, ctx: Ctx) =>
      ctx.proposals.castVote(a.proposalId, a.choice),
    closeProposalVote: (_: unknown, a: { proposalId: string }, ctx: Ctx) => ctx.proposals.closeVote(a.proposalId),
  },
  Proposal: {
    site: (p: ProposalRow, _: unknown, ctx: Ctx) => ctx.loaders.site.load(p.siteId),
    building: (p: ProposalRow, _: unknown, ctx: Ctx) => (p.buildingId ? ctx.loaders.building.load(p.buildingId) : null),
    raisedByMe: (p: ProposalRow, _: unknown, ctx: Ctx) => p.raisedBy === ctx.principal.subject,
    raisedAt: (p: ProposalRow) => iso(p.raisedAt),
    decidedAt: (p: ProposalRow) => iso(p.decidedAt),
    comments: (p: ProposalRow, _: unknown, ctx: Ctx) => ctx.loaders.proposalComments.load(p.id),
    councilMeeting: (p: ProposalRow, _: unknown, ctx: Ctx) => ctx.loaders.councilMeeting.load(p.id),
    voting: (p: ProposalRow) => (p.votingClosesAt ? p : null),
    outcomeNotice: (p: ProposalRow, _: unknown, ctx: Ctx) =>
      p.outcomeNoticeId ? ctx.loaders.notice.load(p.outcomeNoticeId) : null,
    listItem: (p: ProposalRow, _: unknown, ctx: Ctx) => (p.listItemId ? ctx.loaders.listItem.load(p.listItemId) : null),
  },
  ProposalVoting: {
    opensAt: (p: ProposalRow) => iso(p.votingOpensAt),
    closesAt: (p: ProposalRow) => iso(p.votingClosesAt),
    closed: (p: ProposalRow, _: unknown, ctx: Ctx) =>
      p.status !== 'voting' || new Date(p.votingClosesAt!) <= ctx.clock.now(),
    // Decided: the counts stored at the close; while voting, the live count.
    votesFor: async (p: ProposalRow, _: unknown, ctx: Ctx) =>
      p.votesFor ?? (await ctx.loaders.proposalTally.load(p.id))?.for ?? 0,
    votesAgainst: async (p: ProposalRow, _: unknown, ctx: Ctx) =>
      p.votesAgainst ?? (await ctx.loaders.proposalTally.load(p.id))?.against ?? 0,
    votesAbstain: async (p: ProposalRow, _: unknown, ctx: Ctx) =>
      p.votesAbstain ?? (await ctx.loaders.proposalTally.load(p.id))?.abstain ?? 0,
    votedHouseholds: async (p: ProposalRow, _: unknown, ctx: Ctx) => {
      if (p.votesFor != null) return p.votesFor + (p.votesAgainst ?? 0) + (p.votesAbstain ?? 0);
      const t = await ctx.loaders.proposalTally.load(p.id);
      return t ? t.for + t.against + t.abstain : 0;
    },
    listKind: (p: ProposalRow) => p.listKind as ListKind,
    dueOn: (p: ProposalRow) => p.itemDueOn,
    myHouseholdVote: async (p: ProposalRow, _: unknown, ctx: Ctx) =>
      (await ctx.loaders.myHouseholdVote.load(p.id))?.choice ?? null,
  },
  ProposalComment: {
    mine: (c: ProposalCommentRow, _: unknown, ctx: Ctx) => c.author === ctx.principal.subject,
    at: (c: ProposalCommentRow) => iso(c.at),
  },
  CouncilMeeting: {
    attendeeCount: (m: CouncilMeetingRow) => m.attendeeResidentIds.length,
    // Only the attendees the caller may see (a resident: themselves).
    attendees: async (m: CouncilMeetingRow, _: unknown, ctx: Ctx) =>
      (await ctx.loaders.resident.loadMany(m.attendeeResidentIds)).filter((r) => r && !(r instanceof Error)),
  },
};
