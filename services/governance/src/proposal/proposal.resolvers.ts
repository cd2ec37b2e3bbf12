import type { Resolvers } from '../generated/graphql';
import { required, loadPresent, isoInstant } from '@anju/kit';
import { isPutToVote } from './proposal.service';

export const proposalResolvers: Resolvers = {
  ProposalStatus: { OPEN: 'open', VOTING: 'voting', ADOPTED: 'adopted', REJECTED: 'rejected', DECLINED: 'declined' },
  VoteChoice: { FOR: 'for', AGAINST: 'against', ABSTAIN: 'abstain' },
  CouncilDecision: { PUT_TO_VOTE: 'put_to_vote', DECLINE: 'decline' },
  Query: {
    proposal: (_, a, ctx) => ctx.loaders.proposal.load(a.id),
    proposals: (_, a, ctx) => ctx.proposals.list(a),
  },
  Mutation: {
    raiseProposal: (_, a, ctx) => ctx.proposals.raise(a.input),
    commentOnProposal: (_, a, ctx) => ctx.proposals.comment(a.proposalId, a.body),
    recordCouncilMeeting: (_, a, ctx) => ctx.proposals.recordMeeting(a.input),
    castProposalVote: (_, a, ctx) => ctx.proposals.castVote(a.proposalId, a.choice),
    closeProposalVote: (_, a, ctx) => ctx.proposals.closeVote(a.proposalId),
  },
  Proposal: {
    site: (p, _, ctx) => required(ctx.loaders.site.load(p.siteId), 'siteId'),
    building: (p, _, ctx) => (p.buildingId ? ctx.loaders.building.load(p.buildingId) : null),
    raisedByMe: (p, _, ctx) => p.raisedBy === ctx.principal.subject,
    raisedAt: (p) => isoInstant(p.raisedAt),
    decidedAt: (p) => isoInstant(p.decidedAt),
    comments: (p, _, ctx) => ctx.loaders.proposalComments.load(p.id),
    councilMeeting: (p, _, ctx) => ctx.loaders.councilMeeting.load(p.id),
    voting: (p) => (isPutToVote(p) ? p : null),
    outcomeNotice: (p, _, ctx) => (p.outcomeNoticeId ? ctx.loaders.notice.load(p.outcomeNoticeId) : null),
    listItem: (p, _, ctx) => (p.listItemId ? ctx.loaders.listItem.load(p.listItemId) : null),
  },
  ProposalVoting: {
    opensAt: (p) => isoInstant(p.votingOpensAt),
    closesAt: (p) => isoInstant(p.votingClosesAt),
    closed: (p, _, ctx) => p.status !== 'voting' || p.votingClosesAt <= ctx.clock.now(),
    // Decided: the counts stored at the close; while voting, the live count.
    votesFor: async (p, _, ctx) => p.votesFor ?? (await ctx.loaders.proposalTally.load(p.id))?.for ?? 0,
    votesAgainst: async (p, _, ctx) => p.votesAgainst ?? (await ctx.loaders.proposalTally.load(p.id))?.against ?? 0,
    votesAbstain: async (p, _, ctx) => p.votesAbstain ?? (await ctx.loaders.proposalTally.load(p.id))?.abstain ?? 0,
    votedHouseholds: async (p, _, ctx) => {
      if (p.votesFor != null) return p.votesFor + (p.votesAgainst ?? 0) + (p.votesAbstain ?? 0);
      const t = await ctx.loaders.proposalTally.load(p.id);
      return t ? t.for + t.against + t.abstain : 0;
    },
    dueOn: (p) => p.itemDueOn,
    myHouseholdVote: async (p, _, ctx) => (await ctx.loaders.myHouseholdVote.load(p.id))?.choice ?? null,
  },
  ProposalComment: {
    mine: (c, _, ctx) => c.author === ctx.principal.subject,
    at: (c) => isoInstant(c.at),
  },
  CouncilMeeting: {
    attendeeCount: (m) => m.attendeeResidentIds.length,
    // Only the attendees the caller may see (a resident: themselves).
    attendees: async (m, _, ctx) => loadPresent(ctx.loaders.resident, m.attendeeResidentIds),
  },
};
