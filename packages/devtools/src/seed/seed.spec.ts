import { createHash } from 'node:crypto';
import { ageOn, parseNationalId, maskNationalId, PersonalDataVault, personalDataKeys } from '@anju/kit';
import { createTestDatabase, withClient, type TestDatabase } from '@anju/testing';
import { NotEmptyError, seed } from './seed';
import { planWorld, REFERENCE_DATE, sitePeople } from './world';

/** The generator's invariants on the demo scale, in a throwaway database. */
describe('pnpm seed --scale demo', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  const vault = new PersonalDataVault(personalDataKeys({ NODE_ENV: 'test' }));

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase('seed_a'), createTestDatabase('seed_b')]);
    await seed({ scale: 'demo', seed: 7, databaseUrl: a.url, env: { NODE_ENV: 'test' } });
    await seed({ scale: 'demo', seed: 7, databaseUrl: b.url, env: { NODE_ENV: 'test' } });
  });
  afterAll(async () => {
    await Promise.all([a?.drop(), b?.drop()]);
  });

  it('writes valid, sealed ID numbers whose region, birth date and gender agree with the resident', async () => {
    const rows = await withClient(a.url, (c) =>
      c.query(
        `SELECT r.national_id_sealed, r.national_id_hash, r.national_id_masked, r.region_code,
          to_char(r.birth_date, 'YYYY-MM-DD') AS birth, r.gender,
              r.phone_sealed, r.phone_masked, s.region_code AS site_region
         FROM governance.resident r JOIN governance.site s ON s.id = r.site_id`,
      ),
    ).then((r) => r.rows);
    expect(rows).toHaveLength(600);
    for (const row of rows) {
      const id = vault.open(row.national_id_sealed);
      const parsed = parseNationalId(id, new Date(`${REFERENCE_DATE}T12:00:00+08:00`));
      if (!parsed.ok) throw new Error(`invalid ID ${maskNationalId(id)}: ${parsed.message}`);
      expect(parsed.facts.regionCode).toBe(row.site_region);
      expect(row.region_code).toBe(row.site_region);
      expect(parsed.facts.birthDate).toBe(row.birth);
      expect(parsed.facts.gender).toBe(row.gender);
      expect(row.national_id_masked).toBe(maskNationalId(id));
      expect(Buffer.compare(row.national_id_hash, vault.lookupHash(id))).toBe(0);
      if (row.phone_sealed)
        expect(vault.open(row.phone_sealed)).toMatch(new RegExp(`^${row.phone_masked.replace('****', '\\d{4}')}$`));
    }
    const hashes = new Set(rows.map((r) => r.national_id_hash.toString('hex')));
    expect(hashes.size).toBe(rows.length);
  });

  it('gives ages that agree with the birth dates and labour capacity that agrees with age', () => {
    const world = planWorld('demo', 7);
    for (const site of world.sites) {
      for (const h of sitePeople(world, site).households) {
        expect(h.members.filter((p) => p.relation === 'head')).toHaveLength(1);
        for (const p of h.members) {
          expect(p.age).toBe(ageOn(p.birthDate, REFERENCE_DATE));
          expect(p.age).toBeGreaterThanOrEqual(0);
          expect(p.age).toBeLessThanOrEqual(100);
          if (p.age < 16) expect(p.labourCapacity).toBe('none');
          if (p.canWorkAway) expect(p.labourCapacity).toBe('full');
          if (p.labourCapacity === 'none') expect(p.wantsWork).toBe(false);
        }
      }
    }
  });

  it('puts each household in a site, county and prefecture of Yunnan, each resident with their household', async () => {
    const q = (sql: string) => withClient(a.url, (c) => c.query(sql)).then((r) => r.rows[0]);
    const world = planWorld('demo', 7);
    const planned = world.sites.reduce((n, site) => n + sitePeople(world, site).households.length, 0);
    expect(planned).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM governance.household`)).toEqual({ n: planned });
    expect(
      await q(`
      SELECT count(*)::int AS n FROM governance.household h
        LEFT JOIN governance.site s ON s.id = h.site_id
        LEFT JOIN governance.region c ON c.code = s.region_code AND c.level = 'county'
        LEFT JOIN governance.region p ON p.code = c.parent_code AND p.level = 'prefecture'
        LEFT JOIN governance.region y ON y.code = p.parent_code AND y.code = '53'
       WHERE y.code IS NULL`),
    ).toEqual({ n: 0 });
    expect(
      await q(
        `SELECT count(*)::int AS n FROM governance.resident r JOIN governance.household h ON h.id = r.household_id
          WHERE h.site_id <> r.site_id`,
      ),
    ).toEqual({ n: 0 });
    expect(
      await q(
        `SELECT count(*)::int AS n FROM governance.household h
          WHERE NOT EXISTS (SELECT 1 FROM governance.resident r WHERE r.household_id = h.id AND r.relation_to_head =
          'head')`,
      ),
    ).toEqual({ n: 0 });
    // Average household size about four.
    const { avg } = await q(
      `SELECT (SELECT count(*) FROM governance.resident)::float / (SELECT count(*) FROM governance.household) AS avg`,
    );
    expect(avg).toBeGreaterThan(3.5);
    expect(avg).toBeLessThan(4.5);
    // The consumers' copies agree with governance.
    expect(
      await q(
        `SELECT (SELECT count(*) FROM employment.labour_profile)::int AS p,
          (SELECT count(*) FROM governance.resident)::int AS r`,
      ),
    ).toEqual({ p: 600, r: 600 });
    for (const schema of ['employment', 'social_orgs', 'matching']) {
      expect(
        await q(`SELECT count(*)::int AS n FROM ${schema}.site_directory d FULL
          JOIN governance.site s ON s.id = d.site_id
                       WHERE d.site_id IS NULL OR s.id IS NULL OR d.region_code <> s.region_code OR d.name <> s.name`),
      ).toEqual({ n: 0 });
    }
  });

  it('is deterministic: the same seed gives the same rows, another seed other rows', async () => {
    const digest = (url: string) =>
      withClient(url, async (c) => {
        const h = createHash('sha256');
        for (const sql of [
          `SELECT code, name, level, parent_code FROM governance.region ORDER BY code`,
          `SELECT id, name, region_code, latitude, longitude, planned_households FROM governance.site ORDER BY id`,
          `SELECT id, site_id, household_number, address FROM governance.household ORDER BY id`,
          `SELECT id, household_id, name, encode(national_id_hash, 'hex'), national_id_masked, phone_masked,
            birth_date, ethnicity, labour_capacity, can_work_away, wants_work, relation_to_head
            FROM governance.resident ORDER BY id`,
          `SELECT resident_id, labour_capacity, birth_year FROM employment.labour_profile ORDER BY resident_id`,
          `SELECT id, site_id, category, status, household_id FROM matching.demand ORDER BY id`,
          `SELECT id, name, credit_code FROM social_orgs.organization ORDER BY id`,
          `SELECT id, resident_id, kind, posting_id, started_on, monthly_income FROM employment.employment_record
            ORDER BY id`,
          `SELECT id, course_id, resident_id, status FROM employment.enrollment ORDER BY id`,
          `SELECT id, household_id, kind, state, annual_income FROM employment.land_asset ORDER BY id`,
          `SELECT id, resident_id, skills, languages FROM matching.volunteer ORDER BY id`,
          `SELECT id, organization_id, site_id, title FROM social_orgs.activity ORDER BY id`,
          `SELECT id, activity_id, resident_id, status FROM social_orgs.activity_registration ORDER BY id`,
        ])
          h.update(JSON.stringify((await c.query(sql)).rows));
        return h.digest('hex');
      });
    expect(await digest(a.url)).toBe(await digest(b.url));
    const other = planWorld('demo', 8);
    expect(other.sites.map((s) => s.id)).not.toEqual(planWorld('demo', 7).sites.map((s) => s.id));
  });

  it('refuses a database that already holds regions', async () => {
    await expect(
      seed({ scale: 'demo', seed: 7, databaseUrl: a.url, env: { NODE_ENV: 'test' } }),
    ).rejects.toBeInstanceOf(NotEmptyError);
  });
});
