import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The languages a resident speaks (普通话, 彝语, 苗语, 哈尼语…): demands raised for a household
 * whose members do not speak 普通话 carry the language they do, so matching sends a volunteer
 * who can talk with them.
 */
export class ResidentLanguages1764530000000 implements MigrationInterface {
  name = 'ResidentLanguages1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resident ADD COLUMN languages text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resident DROP COLUMN languages`);
  }
}
