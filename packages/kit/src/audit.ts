import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ApolloServerPlugin } from '@apollo/server';
import { currentRequestId } from './request-context';
import type { Principal } from './auth';
import type { Logger } from './logger';

/**
 * The audit log (审计日志), one mechanism for every service: each service's schema has an
 * append-only `audit_log` table (made by `auditLogMigration`), every write, export, reveal and
 * officer action on a resident's behalf appends one row through `audit()` in the transaction of
 * the change, and `auditGuardPlugin` checks that every mutation a subgraph answered wrote one.
 */
export interface AuditRecord {
  /** What was done, e.g. `resident.update`, `demand.claim`, `household_gaps.export`. */
  action: string;
  entityType: string;
  entityId: string;
  siteId?: string | null;
  regionCode?: string | null;
  /** The organization whose record it is (social-orgs), if any. */
  organizationId?: string | null;
  /** Field names and ids only — never personal data in clear. `residentId` when an officer acts for a resident. */
  detail?: Record<string, unknown>;
}

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<unknown> };

const COLUMNS = `actor_subject, actor_role, action, entity_type, entity_id, site_id, region_code, organization_id,
  request_id, detail`;

function values(p: Principal, rec: AuditRecord): unknown[] {
  return [
    p.subject,
    p.role,
    rec.action,
    rec.entityType,
    rec.entityId,
    rec.siteId ?? null,
    rec.regionCode ?? null,
    rec.organizationId ?? null,
    currentRequestId() ?? null,
    JSON.stringify(rec.detail ?? {}),
  ];
}

/**
 * Writes one audit row (who, role, what, which record, request id) through the transaction of the
 * change (`m` is its EntityManager), so neither commits without the other.
 */
export async function audit(m: Queryable, p: Principal, rec: AuditRecord): Promise<void> {
  await m.query(`INSERT INTO audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, values(p, rec));
}

/** Several audit rows in one statement (a set-based write: one row per record changed). */
export async function auditMany(m: Queryable, p: Principal, recs: AuditRecord[]): Promise<void> {
  if (!recs.length) return;
  const rows = recs.map((r) => values(p, r));
  const col = (i: number) => rows.map((r) => r[i]);
  await m.query(
    `INSERT INTO audit_log (${COLUMNS})
     SELECT $1, $2, a, t, e, s, g, o, $3, d::jsonb
       FROM unnest($4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::uuid[], $10::text[])
         AS x(a, t, e, s, g, o, d)`,
    [p.subject, p.role, currentRequestId() ?? null, col(2), col(3), col(4), col(5), col(6), col(7), col(9)],
  );
}

/**
 * A migration that gives a service's schema the audit log in its one shape, or brings an older
 * one (governance's, social-orgs') to it: columns, indexes, the append-only triggers (UPDATE,
 * DELETE and TRUNCATE refused to everyone, the owner included) and, for the runtime role
 * `<schema>_app`, INSERT and SELECT only. Kept ≥ 180 days: no service has a deletion path.
 */
export function auditLogMigration(schema: string, timestamp: number): new () => MigrationInterface {
  const role = `${schema}_app`;
  const name = `AuditLog${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        CREATE TABLE IF NOT EXISTS ${schema}.audit_log (
          id bigserial PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT clock_timestamp(),
          actor_subject text NOT NULL,
          actor_role text NOT NULL,
          action text NOT NULL,
          entity_type text NOT NULL,
          entity_id text NOT NULL,
          request_id text,
          detail jsonb NOT NULL DEFAULT '{}'
        )`);
      await q.query(`ALTER TABLE ${schema}.audit_log ADD COLUMN IF NOT EXISTS site_id uuid,
        ADD COLUMN IF NOT EXISTS region_code varchar(6), ADD COLUMN IF NOT EXISTS organization_id uuid`);
      await q.query(`COMMENT ON TABLE ${schema}.audit_log IS 'Who did what, when, under which request id; append-only. '
        'Never holds personal data in clear: ids and field names only.'`);
      await q.query(`CREATE INDEX IF NOT EXISTS audit_log_entity ON ${schema}.audit_log (entity_type, entity_id, id)`);
      await q.query(`CREATE INDEX IF NOT EXISTS audit_log_region
        ON ${schema}.audit_log (region_code text_pattern_ops, id)`);
      await q.query(`CREATE INDEX IF NOT EXISTS audit_log_org ON ${schema}.audit_log (organization_id, id)`);
      await q.query(`CREATE INDEX IF NOT EXISTS audit_log_request ON ${schema}.audit_log (request_id)`);
      await q.query(`
        CREATE OR REPLACE FUNCTION ${schema}.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$`);
      await q.query(`DROP TRIGGER IF EXISTS audit_log_no_update ON ${schema}.audit_log`);
      await q.query(`DROP TRIGGER IF EXISTS audit_log_no_truncate ON ${schema}.audit_log`);
      await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON ${schema}.audit_log
        FOR EACH ROW EXECUTE FUNCTION ${schema}.audit_log_is_append_only()`);
      await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON ${schema}.audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_log_is_append_only()`);
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.audit_log FROM PUBLIC`);
      await q.query(`DO $$ BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
            GRANT SELECT, INSERT ON ${schema}.audit_log TO ${role};
            GRANT USAGE ON SEQUENCE ${schema}.audit_log_id_seq TO ${role};
            REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.audit_log FROM ${role};
          END IF;
        END $$`);
    }

    async down(): Promise<void> {
      // The audit log outlives a rollback of the code that writes it.
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

/**
 * Checks, after each mutation a subgraph answered without errors, that its request wrote at least
 * one audit row (`hasAuditRow(requestId)`). Outside production a missing row turns into an
 * `AUDIT_MISSING` error in the answer, so a test of a new write without audit fails; in production
 * (the change has committed) it is logged as an error.
 */
export function auditGuardPlugin(
  hasAuditRow: (requestId: string) => Promise<boolean>,
  logger: Logger,
  strict: boolean,
): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          if (rc.operation?.operation !== 'mutation') return;
          const body = rc.response.body;
          if (body.kind !== 'single' || body.singleResult.errors?.length || body.singleResult.data == null) return;
          const requestId = currentRequestId();
          if (!requestId || (await hasAuditRow(requestId))) return;
          const fields = rc.operation.selectionSet.selections
            .map((s) => (s.kind === 'Field' ? s.name.value : s.kind))
            .join(', ');
          logger.error({ requestId, fields }, 'a mutation wrote no audit row');
          if (strict) {
            const message = `The mutation (${fields}) wrote no audit row.`;
            const error = { message, extensions: { code: 'AUDIT_MISSING' } };
            body.singleResult.errors = [error as never];
          }
        },
      };
    },
  };
}
