import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  audit,
  coversPlace,
  isIsoDate,
  provinceDate,
  requireRole,
  returning,
  type Clock,
  type Principal,
  isUuid,
  keysetPage,
  desc,
} from '@anju/kit';
import { siteForWrite } from '../grid/grid.service';
import { insertNotice, parseTime } from '../notice/notice.service';
import { checkListItem } from '../list-item/list-item.service';
import type { ListKind } from '../list-item/list-item.types';
import { siteCommunityScope } from '../scope';
import { closeDueVotes } from './proposal-close';

export type ProposalStatus = 'open' | 'voting' | 'adopted' | 'rejected' | 'declined';
export type VoteChoice = 'for' | 'against' | 'abstain';

export interface ProposalRow {
  id: string;
  siteId: string;
  regionCode: string;
  buildingId: string | null;
  title: string;
  body: string;
  raisedBy: string;
  raisedByRole: string;
  raisedAt: Date;
  status: ProposalStatus;
  votingOpensAt: Date | null;
  votingClosesAt: Date | null;
  eligibleHouseholds: number | null;
  quorumHouseholds: number | null;
  listKind: ListKind | null;
  ownerName: string | null;
  itemDueOn: string | null;
  votesFor: number | null;
  votesAgainst: number | null;
  votesAbstain: number | null;
  decidedAt: Date | null;
  outcomeNoticeId: string | null;
  listItemId: string | null;
}

/** A proposal put to the vote (`Proposal.voting`): opening the vote set each of these columns. */
export type VotingProposalRow = ProposalRow & {
  votingOpensAt: Date;
  votingClosesAt: Date;
  eligibleHouseholds: number;
  quorumHouseholds: number;
  listKind: ListKind;
  ownerName: string;
  itemDueOn: string;
};

export const isPutToVote = (p: ProposalRow): p is VotingProposalRow =>
  p.votingOpensAt !== null &&
  p.votingClosesAt !== null &&
  p.eligibleHouseholds !== null &&
  p.quorumHouseholds !== null &&
  p.listKind !== null &&
  p.ownerName !== null &&
  p.itemDueOn !== null;

export interface ProposalCommentRow {
  id: string;
  proposalId: string;
  author: string;
  authorRole: string;
  body: string;
  at: Date;
}
export interface CouncilMeetingRow {
  id: string;
  proposalId: string;
  heldOn: string;
  attendeeResidentIds: string[];
  decision: 'put_to_vote' | 'decline';
  note: string | null;
}

const COLUMNS = `p.id, p.site_id AS "siteId", p.region_code AS "regionCode", p.building_id AS "buildingId", p.title,
    p.body,
  p.raised_by AS "raisedBy", p.raised_by_role AS "raisedByRole", p.raised_at AS "raisedAt", p.status,
  p.voting_opens_at AS "votingOpensAt", p.voting_closes_at AS "votingClosesAt",
    p.eligible_households AS "eligibleHouseholds",
  p.quorum_households AS "quorumHouseholds", p.list_kind AS "listKind", p.owner_name AS "ownerName",
  to_char(p.item_due_on, 'YYYY-MM-DD') AS "itemDueOn", p.votes_for AS "votesFor", p.votes_against AS "votesAgainst",
  p.votes_abstain AS "votesAbstain", p.decided_at AS "decidedAt", p.outcome_notice_id AS "outcomeNoticeId",
  p.list_item_id AS "listItemId"`;

export interface RaiseProposalInput {
  siteId: string;
  buildingId?: string | null;
  title: string;
  body: string;
}
export interface RecordCouncilMeetingInput {
  proposalId: string;
  heldOn: string;
  attendeeResidentIds: string[];
  decision: 'put_to_vote' | 'decline';
  note?: string | null;
  vote?: {
    closesAt: string;
    quorumPercent: number;
    listKind: ListKind;
    ownerName: string;
    ownerSubject?: string | null;
    dueOn: string;
  } | null;
}

const OFFICERS = ['province', 'county', 'site_officer'] as const;
const isOfficer = (p: Principal) => (OFFICERS as readonly string[]).includes(p.role);

/** Households that can vote on a proposal: those with someone living there, of the site or of the one building. */
const ELIGIBLE_HOUSEHOLDS = `SELECT count(*)::int AS count FROM household h WHERE h.site_id = $1
    AND ($2::uuid IS NULL OR h.building_id = $2)
  AND EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id AND r.moved_out_on IS NULL)`;

function text(value: string | null | undefined, field: string, min: number, max: number, what: string): string {
  const t = (value ?? '').trim();
  if (t.length < min || t.length > max) throw new InputError(field, `${what} has ${min} to ${max} characters.`);
  return t;
}

/** 议事 — proposals, comments, council meetings and household votes, in the caller's scope. */
export class ProposalService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  private scope(n: number): { sql: string; params: unknown[] } {
    return siteCommunityScope(this.principal, 'p', n);
  }

  byIds(ids: readonly string[]): Promise<ProposalRow[]> {
    const scope = this.scope(2);
    return this.db.query(`SELECT ${COLUMNS} FROM proposal p WHERE p.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  /** Proposals newest first, optionally of one site and status. */
  async list(args: {
    siteId?: string | null;
    status?: ProposalStatus | null;
    first?: number | null;
    after?: string | null;
  }) {
    const scope = this.scope(3);
    const params: unknown[] = [args.siteId ?? null, args.status ?? null, ...scope.params];
    const where = `($1::text IS NULL OR p.site_id = as_uuid($1)) AND ($2::text IS NULL OR p.status = $2)
                     AND ${scope.sql}`;
    const list = { columns: COLUMNS, from: 'proposal p', where, params };
    const sort = desc<ProposalRow>(['p.raised_at', 'timestamp', 'raisedAt'], ['p.id', 'uuid', 'id']);
    return keysetPage(this.db, list, args, sort);
  }

  comments(proposalIds: readonly string[]): Promise<ProposalCommentRow[]> {
    return this.db.query(
      `SELECT c.id, c.proposal_id AS "proposalId", c.author, c.author_role AS "authorRole", c.body, c.at
         FROM proposal_comment c WHERE c.proposal_id = ANY(as_uuids($1)) ORDER BY c.at, c.no`,
      [proposalIds],
    );
  }

  meetings(proposalIds: readonly string[]): Promise<CouncilMeetingRow[]> {
    return this.db.query(
      `SELECT m.id, m.proposal_id AS "proposalId", to_char(m.held_on, 'YYYY-MM-DD') AS "heldOn",
              m.attendee_resident_ids::text[] AS "attendeeResidentIds", m.decision, m.note
         FROM council_meeting m WHERE m.proposal_id = ANY(as_uuids($1))`,
      [proposalIds],
    );
  }

  /** The caller's household's vote on each proposal (residents only). */
  async myHouseholdVotes(proposalIds: readonly string[]): Promise<{ proposalId: string; choice: VoteChoice }[]> {
    if (this.principal.role !== 'resident') return [];
    return this.db.query(
      `SELECT v.proposal_id AS "proposalId", v.choice FROM proposal_vote v
         JOIN resident r ON r.household_id = v.household_id AND r.id = $2::uuid
        WHERE v.proposal_id = ANY(as_uuids($1))`,
      [proposalIds, this.principal.residentId],
    );
  }

  /** Votes cast so far on each proposal: for, against, abstain and households that voted. */
  tallies(
    proposalIds: readonly string[],
  ): Promise<{ proposalId: string; for: number; against: number; abstain: number }[]> {
    return this.db.query(
      `SELECT v.proposal_id AS "proposalId", count(*) FILTER (WHERE v.choice = 'for')::int AS for,
              count(*) FILTER (WHERE v.choice = 'against')::int AS against,
                count(*) FILTER (WHERE v.choice = 'abstain')::int AS abstain
         FROM proposal_vote v WHERE v.proposal_id = ANY(as_uuids($1)) GROUP BY v.proposal_id`,
      [proposalIds],
    );
  }

  /** A resident raises a proposal for their own site (or a building of it); officers for a site of theirs. */
  async raise(input: RaiseProposalInput): Promise<ProposalRow> {
    const p = this.principal;
    const now = this.clock.now();
    let site: { id: string; regionCode: string };
    if (p.role === 'resident') {
      if (!isUuid(input.siteId)) throw new InputError('input.siteId', 'Not a site id.', 'FORMAT');
      const [home] = await this.db.query(
        `SELECT site_id AS id, region_code AS "regionCode" FROM resident WHERE id = $1::uuid AND moved_out_on IS NULL`,
        [p.residentId],
      );
      if (!home || home.id !== input.siteId)
        throw new ForbiddenError('Residents raise proposals for the site they live in.');
      site = home;
    } else {
      requireRole(p, 'county', 'site_officer');
      site = await siteForWrite(this.db, p, input.siteId, 'input.siteId');
    }
    const buildingId = await this.buildingOfSite(input.buildingId, site.id);
    const title = text(input.title, 'input.title', 2, 200, 'A title');
    const body = text(input.body, 'input.body', 2, 5000, 'The proposal');
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO proposal (site_id, region_code, building_id, title, body, raised_by, raised_by_role,
           raised_by_resident_id, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          site.id,
          site.regionCode,
          buildingId,
          title,
          body,
          p.subject,
          p.role,
          p.role === 'resident' ? p.residentId : null,
          now,
        ],
      );
      await audit(m, p, {
        action: 'proposal.raise',
        entityType: 'Proposal',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      const [row] = await m.query(`SELECT ${COLUMNS} FROM proposal p WHERE p.id = $1`, [id]);
      return row;
    });
  }

  private async buildingOfSite(buildingId: string | null | undefined, siteId: string): Promise<string | null> {
    if (!buildingId) return null;
    if (!isUuid(buildingId)) throw new InputError('input.buildingId', 'Not a building id.', 'FORMAT');
    const [b] = await this.db.query(`SELECT id FROM building WHERE id = $1 AND site_id = $2`, [buildingId, siteId]);
    if (!b) throw new NotFoundError('input.buildingId', 'No such building at this site.');
    return buildingId;
  }

  /** Residents of the site, officers and grid workers in scope comment while the proposal is open or being voted on. */
  async comment(proposalId: string, body: string): Promise<ProposalCommentRow> {
    const p = this.principal;
    if (!['resident', 'grid_worker', ...OFFICERS].includes(p.role)) throw new ForbiddenError();
    const row = await this.visible(proposalId, 'proposalId');
    if (row.status !== 'open' && row.status !== 'voting')
      throw new ConflictError('proposalId', 'The proposal is decided; comments are closed.', 'DECIDED');
    const t = text(body, 'body', 1, 2000, 'A comment');
    return this.db.transaction(async (m) => {
      const [c] = await m.query(
        `INSERT INTO proposal_comment (proposal_id, author, author_role, author_resident_id, body, at)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, proposal_id AS "proposalId", author, author_role AS "authorRole", body, at`,
        [row.id, p.subject, p.role, p.role === 'resident' ? p.residentId : null, t, this.clock.now()],
      );
      await audit(m, p, {
        action: 'proposal.comment',
        entityType: 'Proposal',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      return c;
    });
  }

  /**
   * The residents' council (居民议事会) heard the proposal: who attended (residents of the site), and
   * its decision — decline (published at once), or put it to a household vote with a deadline, a
   * quorum, and the list item it becomes if adopted.
   */
  async recordMeeting(input: RecordCouncilMeetingInput): Promise<ProposalRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    const now = this.clock.now();
    const today = provinceDate(now);
    const row = await this.visible(input.proposalId, 'input.proposalId');
    if (!coversPlace(p, { siteId: row.siteId, regionCode: row.regionCode }))
      throw new ForbiddenError('The proposal is outside your scope.');
    if (row.status !== 'open')
      throw new ConflictError('input.proposalId', 'The council has already heard this proposal.', 'BAD_TRANSITION');
    if (!isIsoDate(input.heldOn)) throw new InputError('input.heldOn', 'The meeting date is YYYY-MM-DD.', 'FORMAT');
    if (input.heldOn > today) throw new InputError('input.heldOn', 'A meeting is recorded after it is held.', 'FUTURE');
    const attendees = [...new Set(input.attendeeResidentIds)];
    if (!attendees.length) throw new InputError('input.attendeeResidentIds', 'Record who attended.', 'REQUIRED');
    if (attendees.some((a) => !isUuid(a)))
      throw new InputError('input.attendeeResidentIds', 'Not a resident id.', 'FORMAT');
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM resident WHERE id = ANY($1::uuid[]) AND site_id = $2`,
      [attendees, row.siteId],
    );
    if (n !== attendees.length)
      throw new InputError(
        'input.attendeeResidentIds',
        "Attendees are residents of the proposal's site.",
        'NOT_OF_SITE',
      );
    const note = input.note?.trim() || null;
    if (note && note.length > 5000) throw new InputError('input.note', 'The note has at most 5,000 characters.');
    const vote = input.decision === 'put_to_vote' ? this.checkVote(input, row.title, now) : null;
    if (input.decision === 'decline' && input.vote)
      throw new InputError('input.vote', 'A declined proposal has no vote.', 'UNEXPECTED');
    if (input.decision === 'decline' && !note)
      throw new InputError('input.note', 'Say why the council declined the proposal.', 'REQUIRED');
    return this.db.transaction(async (m) => {
      let moved: { id: string }[];
      if (vote) {
        const [{ count: eligible }] = await m.query(ELIGIBLE_HOUSEHOLDS, [row.siteId, row.buildingId]);
        const quorum = Math.max(1, Math.ceil((eligible * vote.quorumPercent) / 100));
        moved = returning(
          await m.query(
            `UPDATE proposal SET status = 'voting', voting_opens_at = $2, voting_closes_at = $3,
               eligible_households = $4, quorum_households = $5,
             list_kind = $6, owner_name = $7, owner_subject = $8, item_due_on = $9
           WHERE id = $1 AND status = 'open' RETURNING id`,
            [
              row.id,
              now,
              vote.closesAt,
              eligible,
              quorum,
              vote.item.kind,
              vote.item.ownerName,
              vote.item.ownerSubject,
              vote.item.dueOn,
            ],
          ),
        );
      } else {
        const noticeId = await insertNotice(m, {
          category: 'resolution',
          title: `议事结果：${row.title}`,
          body: `居民议事会于${input.heldOn}审议，决定不予采纳。理由：${note}`,
          publishAt: now,
          publishedAt: now,
          createdBy: p.subject,
          siteIds: [row.siteId],
        });
        moved = returning(
          await m.query(
            `UPDATE proposal SET status = 'declined', decided_at = $2, outcome_notice_id = $3 WHERE id = $1
               AND status = 'open' RETURNING id`,
            [row.id, now, noticeId],
          ),
        );
      }
      if (!moved.length)
        throw new ConflictError('input.proposalId', 'The proposal changed meanwhile.', 'BAD_TRANSITION');
      await m.query(
        `INSERT INTO council_meeting (proposal_id, held_on, attendee_resident_ids, decision, note, recorded_by,
           recorded_at)
         VALUES ($1, $2, $3::uuid[], $4, $5, $6, $7)`,
        [row.id, input.heldOn, attendees, input.decision, note, p.subject, now],
      );
      await audit(m, p, {
        action: 'proposal.council_meeting',
        entityType: 'Proposal',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: { decision: input.decision, attendees: attendees.length },
      });
      const [after] = await m.query(`SELECT ${COLUMNS} FROM proposal p WHERE p.id = $1`, [row.id]);
      return after;
    });
  }

  private checkVote(input: RecordCouncilMeetingInput, title: string, now: Date) {
    const v = input.vote;
    if (!v)
      throw new InputError('input.vote', 'Set the deadline, the quorum and the list item for the vote.', 'REQUIRED');
    const closesAt = parseTime(v.closesAt, 'input.vote.closesAt');
    if (closesAt <= now) throw new InputError('input.vote.closesAt', 'The vote closes in the future.', 'PAST');
    if (!Number.isInteger(v.quorumPercent) || v.quorumPercent < 1 || v.quorumPercent > 100) {
      throw new InputError(
        'input.vote.quorumPercent',
        'The quorum is a whole percentage of households, 1 to 100.',
        'RANGE',
      );
    }
    const item = checkListItem(
      { kind: v.listKind, title, ownerName: v.ownerName, ownerSubject: v.ownerSubject, dueOn: v.dueOn },
      'input.vote',
      provinceDate(closesAt),
    );
    return { closesAt, quorumPercent: v.quorumPercent, item };
  }

  /**
   * A resident votes for their household: one vote per household (the first to vote speaks for it;
   * a second is refused as ALREADY_VOTED, also when both arrive at once), before the deadline, on a
   * proposal of their site or building.
   */
  async castVote(proposalId: string, choice: VoteChoice): Promise<ProposalRow> {
    const p = this.principal;
    requireRole(p, 'resident');
    const row = await this.visible(proposalId, 'proposalId');
    const [home] = await this.db.query(
      `SELECT r.household_id AS "householdId", h.building_id AS "buildingId" FROM resident r JOIN household h
        ON h.id = r.household_id
        WHERE r.id = $1::uuid AND r.moved_out_on IS NULL`,
      [p.residentId],
    );
    if (!home) throw new ForbiddenError('Only residents living at the site vote.');
    if (row.buildingId && home.buildingId !== row.buildingId)
      throw new ForbiddenError('This proposal is voted on by the households of its building.');
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      // Shares the lock the closing takes: a vote either lands before the count or is refused after it.
      const [live] = await m.query(
        `SELECT status, voting_closes_at AS "closesAt" FROM proposal WHERE id = $1 FOR SHARE`,
        [row.id],
      );
      if (live.status !== 'voting')
        throw new ConflictError('proposalId', 'The proposal is not open for voting.', 'NOT_VOTING');
      if (new Date(live.closesAt) <= now)
        throw new ConflictError('proposalId', 'The vote has closed.', 'DEADLINE_PASSED');
      const cast = returning(
        await m.query(
          `INSERT INTO proposal_vote (proposal_id, household_id, voter_resident_id, choice, cast_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (proposal_id, household_id) DO NOTHING RETURNING proposal_id`,
          [row.id, home.householdId, p.residentId, choice, now],
        ),
      );
      if (!cast.length)
        throw new ConflictError('proposalId', 'Your household has already voted on this proposal.', 'ALREADY_VOTED');
      await audit(m, p, {
        action: 'proposal.vote',
        entityType: 'Proposal',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      const [after] = await m.query(`SELECT ${COLUMNS} FROM proposal p WHERE p.id = $1`, [row.id]);
      return after;
    });
  }

  /** Officers close a vote whose deadline has passed without waiting for the scheduled close. */
  async closeVote(proposalId: string): Promise<ProposalRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    const row = await this.visible(proposalId, 'proposalId');
    if (!coversPlace(p, { siteId: row.siteId, regionCode: row.regionCode }))
      throw new ForbiddenError('The proposal is outside your scope.');
    if (row.status !== 'voting')
      throw new ConflictError('proposalId', 'The proposal is not being voted on.', 'NOT_VOTING');
    if (row.votingClosesAt && new Date(row.votingClosesAt) > this.clock.now()) {
      throw new ConflictError('proposalId', 'The vote is still open until its deadline.', 'BEFORE_DEADLINE');
    }
    // Audited inside, one `proposal.decide` row with the officer as actor.
    await closeDueVotes(this.db, this.clock.now(), [row.id], p);
    const [after] = await this.byIds([row.id]);
    return after;
  }

  private async visible(id: string, field: string): Promise<ProposalRow> {
    if (!isUuid(id)) throw new InputError(field, 'Not a proposal id.', 'FORMAT');
    const [row] = await this.byIds([id]);
    if (!row) throw new NotFoundError(field, 'No such proposal.');
    return row;
  }
}
