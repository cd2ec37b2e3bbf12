import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A points balance changes only with a ledger entry, and the database holds it so, not only the
 * code: at the commit of every transaction that inserts or changes a `points_account` row, a
 * deferred constraint trigger checks that the balance equals the sum of the resident's
 * `points_entry` rows. An UPDATE of a balance with no matching entry (by the runtime role, or
 * anyone) fails its transaction with `integrity_constraint_violation`, and nothing of it commits.
 * Deferred, so the ledger's write path (entry and balance in one statement) is checked once whole.
 */
export class PointsBalanceFollowsLedger1764520100000 implements MigrationInterface {
  name = 'PointsBalanceFollowsLedger1764520100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `
      CREATE FUNCTION points_balance_follows_ledger() RETURNS trigger LANGUAGE plpgsql
      -- The schema's tables whatever the session's search_path (a login may have none set).
      SET search_path FROM CURRENT AS $$
      DECLARE
        ledger int;
        current int;
      BEGIN
        -- The row as it is at commit (a later statement of the transaction may have changed it again).
        SELECT a.balance INTO current FROM points_account a WHERE a.resident_id = NEW.resident_id;
        IF NOT FOUND THEN RETURN NULL; END IF;
        SELECT coalesce(sum(e.points), 0) INTO ledger FROM points_entry e WHERE e.resident_id = NEW.resident_id;
        IF current <> ledger THEN
          RAISE EXCEPTION 'points balance % of resident % does not match its ledger (%): a balance changes ` +
        `only with a ledger entry',
            current, NEW.resident_id, ledger USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
      END $$`,
    );
    await q.query(`CREATE CONSTRAINT TRIGGER points_account_balance_insert AFTER INSERT ON points_account
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_balance_follows_ledger()`);
    await q.query(`CREATE CONSTRAINT TRIGGER points_account_balance_update AFTER UPDATE OF balance ON points_account
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.balance IS DISTINCT FROM OLD.balance
        OR NEW.resident_id <> OLD.resident_id)
      EXECUTE FUNCTION points_balance_follows_ledger()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TRIGGER points_account_balance_update ON points_account; DROP TRIGGER points_account_balance_insert
       ON points_account`,
    );
    await q.query(`DROP FUNCTION points_balance_follows_ledger()`);
  }
}
