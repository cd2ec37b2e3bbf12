import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The residents' supervisory committee (居务监督委员会, 居监会): residents of a site appointed by its
 * officers, who review the site's list items, disclosures and points awards and record findings.
 * A finding on a done list item can reopen it; any finding flags its record until an officer answers it.
 */
export class Supervision1764800200000 implements MigrationInterface {
  name = 'Supervision1764800200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supervisory_member (
        site_id uuid NOT NULL REFERENCES site (id),
        resident_id uuid NOT NULL REFERENCES resident (id),
        region_code varchar(6) NOT NULL,
        appointed_on date NOT NULL,
        appointed_by text NOT NULL,
        ended_on date,
        PRIMARY KEY (site_id, resident_id)
      )`);
    await q.query(
      `CREATE INDEX supervisory_member_resident ON supervisory_member (resident_id) WHERE ended_on IS NULL`,
    );
    await q.query(`
      CREATE TABLE supervision_finding (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        target_kind text NOT NULL CHECK (target_kind IN ('list_item', 'notice', 'points_entry')),
        target_id text NOT NULL,
        action text NOT NULL CHECK (action IN ('flag', 'reopen')),
        description text NOT NULL,
        member_resident_id uuid NOT NULL REFERENCES resident (id),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
        response text,
        answered_by text,
        answered_at timestamptz,
        CHECK (action = 'flag' OR target_kind = 'list_item')
      )`);
    await q.query(
      `CREATE INDEX supervision_finding_site ON supervision_finding (site_id, status, recorded_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX supervision_finding_region ON supervision_finding (region_code text_pattern_ops)
       WHERE status = 'open'`,
    );
    await q.query(
      `CREATE INDEX supervision_finding_target ON supervision_finding (target_kind, target_id) WHERE status = 'open'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision_finding; DROP TABLE supervisory_member`);
  }
}
