import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Party-led governance (精准化): the community party organization (社区大党委) with its
 * concurrent members from regional units, joint meetings (联席会议) and their resolutions, and
 * the three lists (党群服务清单, 物业管理清单, 网格管理清单) as one list-item model; each
 * resolution becomes a tracked list item. Overdue items are reminded once a day.
 */
export class PartyAndLists1764300400000 implements MigrationInterface {
  name = 'PartyAndLists1764300400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE party_organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL UNIQUE REFERENCES site (id),
        name text NOT NULL,
        secretary_name text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE party_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES party_organization (id),
        name text NOT NULL,
        position text NOT NULL,
        unit_name text,
        unit_id uuid,
        concurrent boolean NOT NULL DEFAULT true,
        joined_on date NOT NULL DEFAULT current_date,
        left_on date
      )`);
    await q.query(`CREATE INDEX party_member_org ON party_member (organization_id)`);
    await q.query(`
      CREATE TABLE joint_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        held_on date NOT NULL,
        title text NOT NULL,
        agenda text[] NOT NULL DEFAULT '{}',
        attendees jsonb NOT NULL DEFAULT '[]',
        minutes text,
        recorded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX joint_meeting_site ON joint_meeting (site_id, held_on DESC, id)`);
    await q.query(`
      CREATE TABLE list_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('party_service', 'property', 'grid')),
        title text NOT NULL,
        detail text,
        owner_name text NOT NULL,
        owner_subject text,
        owner_unit_id uuid,
        due_on date NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
        completion_note text,
        completed_by text,
        completed_at timestamptz,
        resolution_of uuid REFERENCES joint_meeting (id),
        resolution_no int,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (resolution_of, resolution_no)
      )`);
    await q.query(`CREATE INDEX list_item_site ON list_item (site_id, kind, due_on, id)`);
    await q.query(`CREATE INDEX list_item_overdue ON list_item (due_on) WHERE status IN ('open', 'in_progress')`);
    await q.query(`CREATE INDEX list_item_owner ON list_item (owner_subject)`);
    await q.query(`CREATE INDEX list_item_unit ON list_item (owner_unit_id)`);
    await q.query(`
      CREATE TABLE list_item_reminder (
        id bigserial PRIMARY KEY,
        list_item_id uuid NOT NULL REFERENCES list_item (id),
        reminded_on date NOT NULL,
        reminded_at timestamptz NOT NULL,
        owner_subject text,
        days_overdue int NOT NULL,
        UNIQUE (list_item_id, reminded_on)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE list_item_reminder; DROP TABLE list_item; DROP TABLE joint_meeting; DROP TABLE party_member;
       DROP TABLE party_organization`,
    );
  }
}
