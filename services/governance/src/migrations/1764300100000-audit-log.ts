import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (审计日志): one row per write and per reveal of a full ID number or phone, in the
 * same transaction as the change. Append-only twice over: a trigger refuses UPDATE, DELETE and
 * TRUNCATE for everyone (the owner included), and the service's runtime role `governance_app`
 * holds INSERT and SELECT on it only. Kept ≥ 180 days (no deletion path exists in the service).
 */
export class AuditLog1764300100000 implements MigrationInterface {
  name = 'AuditLog1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_subject text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        site_id uuid,
        region_code varchar(6),
        request_id text,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(
      `COMMENT
       ON TABLE audit_log IS 'Who did what, when, under which request id. Never holds personal data in clear: ` +
        `field names only.'`,
    );
    await q.query(`CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id)`);
    await q.query(`CREATE INDEX audit_log_region ON audit_log (region_code text_pattern_ops, id)`);
    await q.query(`
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE
       ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE
       ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`,
    );
    // The runtime role (cluster-wide; several databases may race to create it).
    await q.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'governance_app') THEN CREATE ROLE governance_app NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA governance TO governance_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA governance TO governance_app`);
    await q.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA governance TO governance_app`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA governance GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO governance_app`,
    );
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA governance GRANT USAGE ON SEQUENCES TO governance_app`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC, governance_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log; DROP FUNCTION audit_log_is_append_only()`);
  }
}
