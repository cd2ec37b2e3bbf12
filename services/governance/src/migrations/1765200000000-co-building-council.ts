import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The co-building council (共建理事会) of a site: its member units (regional party organizations,
 * departments, enterprises, social organizations) and their representatives, its regular meetings
 * (scheduled, reminded the day before) and their resolutions, each a tracked list item.
 */
export class CoBuildingCouncil1765200000000 implements MigrationInterface {
  name = 'CoBuildingCouncil1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE co_building_council (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL UNIQUE REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        name text NOT NULL,
        meets_every_months int NOT NULL CHECK (meets_every_months BETWEEN 1 AND 12),
        secretary_subject text NOT NULL,
        set_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE co_building_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        council_id uuid NOT NULL REFERENCES co_building_council (id),
        unit_name text NOT NULL,
        unit_id uuid,
        representative_name text NOT NULL,
        representative_subject text,
        role text NOT NULL CHECK (role IN ('chair', 'vice_chair', 'member')),
        joined_on date NOT NULL,
        left_on date
      )`);
    await q.query(
      `CREATE UNIQUE INDEX co_building_member_unit ON co_building_member (council_id, unit_name) WHERE left_on IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX co_building_member_chair ON co_building_member (council_id) WHERE role = 'chair'
         AND left_on IS NULL`,
    );
    await q.query(`
      CREATE TABLE co_building_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        council_id uuid NOT NULL REFERENCES co_building_council (id),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        starts_at timestamptz NOT NULL,
        place text NOT NULL,
        agenda text[] NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'held')),
        scheduled_by text NOT NULL,
        reminded_at timestamptz,
        minutes text,
        attending_member_ids uuid[] NOT NULL DEFAULT '{}',
        recorded_by text,
        recorded_at timestamptz
      )`);
    await q.query(`CREATE INDEX co_building_meeting_council ON co_building_meeting (council_id, starts_at DESC, id)`);
    await q.query(
      `CREATE INDEX co_building_meeting_unreminded ON co_building_meeting (starts_at) WHERE status = 'scheduled'
         AND reminded_at IS NULL`,
    );
    await q.query(
      `COMMENT ON TABLE co_building_council IS 'A site''s co-building council (共建理事会) and how often it meets'`,
    );
    await q.query(
      `COMMENT ON TABLE co_building_member IS 'Member units (成员单位) of a co-building council and their representatives'`,
    );
    await q.query(
      `COMMENT
       ON TABLE co_building_meeting IS 'Meetings of a co-building council: scheduled, reminded the day before,` +
        ` recorded with attendance'`,
    );
    // A resolution is a list item, numbered within its meeting, as a joint meeting's are.
    await q.query(`ALTER TABLE list_item ADD COLUMN co_building_meeting_id uuid REFERENCES co_building_meeting (id)`);
    await q.query(`CREATE UNIQUE INDEX list_item_co_building_resolution
                   ON list_item (co_building_meeting_id, resolution_no)
                   WHERE co_building_meeting_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item DROP COLUMN co_building_meeting_id`);
    await q.query(`DROP TABLE co_building_meeting; DROP TABLE co_building_member; DROP TABLE co_building_council`);
  }
}
