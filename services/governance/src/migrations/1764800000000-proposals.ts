import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliberation (议事): proposals for a site or one building, comments, the residents' council
 * meeting (居民议事会) that hears one, and the household vote it may call — one vote per household,
 * held by the primary key, with a quorum and a deadline. A decided proposal points at the notice
 * that published its outcome and, when adopted, at the list item that carries it out.
 */
export class Proposals1764800000000 implements MigrationInterface {
  name = 'Proposals1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        building_id uuid REFERENCES building (id),
        title text NOT NULL,
        body text NOT NULL,
        raised_by text NOT NULL,
        raised_by_role text NOT NULL,
        raised_by_resident_id uuid REFERENCES resident (id),
        raised_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'voting', 'adopted', 'rejected', 'declined')),
        voting_opens_at timestamptz,
        voting_closes_at timestamptz,
        eligible_households int,
        quorum_households int,
        list_kind text CHECK (list_kind IN ('party_service', 'property', 'grid')),
        owner_name text,
        owner_subject text,
        item_due_on date,
        votes_for int,
        votes_against int,
        votes_abstain int,
        decided_at timestamptz,
        outcome_notice_id uuid REFERENCES notice (id),
        list_item_id uuid REFERENCES list_item (id),
        CHECK (status <> 'voting' OR (voting_closes_at IS NOT NULL AND quorum_households IS NOT NULL
          AND list_kind IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX proposal_site ON proposal (site_id, raised_at DESC, id)`);
    await q.query(`CREATE INDEX proposal_region ON proposal (region_code text_pattern_ops)`);
    await q.query(`CREATE INDEX proposal_voting_due ON proposal (voting_closes_at) WHERE status = 'voting'`);
    await q.query(`
      CREATE TABLE proposal_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposal (id),
        author text NOT NULL,
        author_role text NOT NULL,
        author_resident_id uuid REFERENCES resident (id),
        body text NOT NULL,
        at timestamptz NOT NULL,
        -- Order of writing: comments written in the same instant still read in the order they were made.
        no bigint GENERATED ALWAYS AS IDENTITY
      )`);
    await q.query(`CREATE INDEX proposal_comment_proposal ON proposal_comment (proposal_id, at, no)`);
    await q.query(`
      CREATE TABLE council_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL UNIQUE REFERENCES proposal (id),
        held_on date NOT NULL,
        attendee_resident_ids uuid[] NOT NULL,
        decision text NOT NULL CHECK (decision IN ('put_to_vote', 'decline')),
        note text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    // The primary key is the rule: one vote per household and proposal, whoever of it votes, however concurrently.
    await q.query(`
      CREATE TABLE proposal_vote (
        proposal_id uuid NOT NULL REFERENCES proposal (id),
        household_id uuid NOT NULL REFERENCES household (id),
        voter_resident_id uuid NOT NULL REFERENCES resident (id),
        choice text NOT NULL CHECK (choice IN ('for', 'against', 'abstain')),
        cast_at timestamptz NOT NULL,
        PRIMARY KEY (proposal_id, household_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE proposal_vote; DROP TABLE council_meeting; DROP TABLE proposal_comment; DROP TABLE proposal`,
    );
  }
}
