import { byGroupLoader, byIdLoader, byKeyLoader } from '@anju/kit';
import type { ProposalService } from './proposal.service';

/** Per-request loaders of deliberation: a page of proposals costs one query per nested field, not per proposal. */
export function proposalLoaders(proposals: ProposalService) {
  return {
    proposal: byIdLoader((ids) => proposals.byIds(ids)),
    proposalComments: byGroupLoader(
      (ids) => proposals.comments(ids),
      (c) => c.proposalId,
    ),
    councilMeeting: byKeyLoader(
      (ids) => proposals.meetings(ids),
      (m) => m.proposalId,
    ),
    proposalTally: byKeyLoader(
      (ids) => proposals.tallies(ids),
      (t) => t.proposalId,
    ),
    myHouseholdVote: byKeyLoader(
      (ids) => proposals.myHouseholdVotes(ids),
      (v) => v.proposalId,
    ),
  };
}
