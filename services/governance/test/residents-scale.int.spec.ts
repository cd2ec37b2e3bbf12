import { provinceDate } from '@anju/kit';
import { TestSystem, dataOf, seedPlace, tokenFor } from '@anju/testing';

/**
 * Lists and entity resolution at scale, through the gateway: 2,000 sites, of which the first and
 * the last hold 3,000 residents each, the others 10 (≈ 26,000 residents), inserted with bulk SQL.
 * Correctness only: their timings belong to `pnpm bench` (a test asserts no duration).
 */
describe('residents at scale (governance)', () => {
  let sys: TestSystem;
  let first: string;
  let last: string;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-scale', apis: ['governance'], workers: [] });
    await seedPlace(sys, 1);
    await sys.sql(`
      INSERT INTO governance.site (name, region_code, address, latitude, longitude, planned_households)
      SELECT '规模点' || i, '530102', '地址' || i, 25, 102.7, 1000 FROM generate_series(1, 1999) i`);
    await sys.sql(`
      INSERT INTO governance.grid (site_id, name, grid_worker_subject) SELECT id, '网格1', 'gw-' || id
        FROM governance.site`);
    await sys.sql(`
      INSERT INTO governance.building (site_id, grid_id, name) SELECT g.site_id, g.id, b || '栋'
        FROM governance.grid g, generate_series(1, 5) b`);
    const sites = await sys.sql(`SELECT id FROM governance.site ORDER BY created_at, name`);
    first = sites[0].id;
    last = sites.at(-1).id;
    // Households: 750 at the first and last site, 3 elsewhere, spread over the site's buildings.
    await sys.sql(
      `
      INSERT INTO governance.household (site_id, household_number, building_id)
      SELECT s.id, 'H' || n, (SELECT b.id FROM governance.building b WHERE b.site_id = s.id
        ORDER BY b.name OFFSET n % 5 LIMIT 1)
        FROM governance.site s, LATERAL generate_series(1, CASE WHEN s.id IN ($1::uuid, $2::uuid) THEN 750 ELSE 3
          END) n`,
      [first, last],
    );
    // Residents: 4 per household at the big sites, ~10 per small site; unique keyed hashes, sealed fields are opaque
    // bytes here.
    await sys.sql(
      `
      INSERT INTO governance.resident (household_id, site_id, region_code, name, national_id_sealed, national_id_hash,
        national_id_masked,
          gender, birth_date, ethnicity, labour_capacity, can_work_away, wants_work, relation_to_head)
      SELECT h.id, h.site_id, '530102', (ARRAY['张','李','王','杨','赵'])[1 + k % 5] || h.household_number || '-' || k,
             '\\x00'::bytea, decode(md5(h.id::text || k), 'hex'), '530102********000' || k,
             CASE WHEN k % 2 = 0 THEN 'male' ELSE 'female' END,
               date '1950-01-01' + ((abs(hashtext(h.id::text || k)) % 25000) || ' days')::interval,
             '彝族', (ARRAY['full','weak','none'])[1 + k % 3], k % 2 = 0, true, CASE WHEN k = 1 THEN 'head' ELSE 'child'
               END
        FROM governance.household h, LATERAL generate_series(1, CASE WHEN h.site_id IN ($1::uuid, $2::uuid) THEN 4
          ELSE 3 + (k0(h.id)) END) k`.replace('k0(h.id)', '(abs(hashtext(h.id::text)) % 2)'),
      [first, last],
    );
    await sys.sql(
      `ANALYZE governance.resident; ANALYZE governance.household; ANALYZE governance.building; ANALYZE governance.site`,
    );
  }, 120_000);
  afterAll(() => sys?.stop());

  const LIST = `query($s: ID!, $f: ResidentFilter, $after: String) { residents(siteId: $s, filter: $f, first: 50,
    after: $after) {
    totalCount endCursor nodes { id name nationalIdMasked age labourCapacity household { householdNumber building {
      name grid { name } } } site { name } } } }`;

  it('pages, filters and searches the residents of site 1 and of site 2,000 alike', async () => {
    const officer1 = await tokenFor({ role: 'site_officer', sites: [first] });
    const officer2000 = await tokenFor({ role: 'site_officer', sites: [last] });
    const page = dataOf(await sys.query(LIST, { s: first }, officer1)).residents;
    expect(page.totalCount).toBe(3004); // 750 bulk households × 4, plus the seeded household × 4
    expect(page.nodes).toHaveLength(50);
    const far = dataOf(await sys.query(LIST, { s: last }, officer2000)).residents;
    expect(far.totalCount).toBe(3000);
    expect(far.nodes).toHaveLength(50);
    expect(far.nodes.every((r: { site: { name: string } }) => r.site.name === far.nodes[0].site.name)).toBe(true);
    // Ages count by the year (as `age` shows them): 16..35 this year ⇔ born in the years Y − 35 … Y − 16.
    const year = Number(provinceDate(sys.clock.now()).slice(0, 4));
    const [{ n: fullYoung }] = await sys.sql(
      `SELECT count(*)::int AS n FROM governance.resident WHERE site_id = $1 AND labour_capacity = 'full'
      AND extract(year FROM birth_date) BETWEEN $2 AND $3`,
      [last, year - 35, year - 16],
    );
    const filtered = dataOf(
      await sys.query(LIST, { s: last, f: { labourCapacity: 'FULL', ageBand: 'FROM_16_TO_35' } }, officer2000),
    ).residents;
    expect(filtered.totalCount).toBe(fullYoung);
    expect(
      filtered.nodes.every(
        (r: { labourCapacity: string; age: number }) => r.labourCapacity === 'FULL' && r.age >= 16 && r.age <= 35,
      ),
    ).toBe(true);
    const second = dataOf(await sys.query(LIST, { s: last, after: far.endCursor }, officer2000)).residents;
    expect(second.nodes).toHaveLength(50);
    expect(second.nodes.filter((r: { id: string }) => far.nodes.some((f: { id: string }) => f.id === r.id))).toEqual(
      [],
    );
    const search = dataOf(
      await sys.query(
        `query($s: ID!) { residents(siteId: $s, search: "李H1", first: 50) { totalCount nodes { id name } } }`,
        { s: last },
        officer2000,
      ),
    ).residents;
    expect(search.totalCount).toBeGreaterThan(0);
    expect(search.nodes.every((r: { name: string }) => r.name.includes('李H1'))).toBe(true);
  });

  it('resolves 100 residents in one batch: a list of 100 via the gateway, _entities with 100 references', async () => {
    const ids: string[] = (
      await sys.sql(`SELECT id FROM governance.resident WHERE site_id = $1 ORDER BY id LIMIT 100`, [last])
    ).map((r) => r.id);
    const q100 = `query($s: ID!) { residents(siteId: $s, first: 100) { nodes { id name age household { id building {
      grid { name } } } } } }`;
    const county = await tokenFor({ role: 'county', regions: ['530102'] });
    expect(dataOf(await sys.query(q100, { s: last }, county)).residents.nodes).toHaveLength(100);
    const ent = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident {
      id name age nationalIdMasked household { householdNumber } } } }`;
    const reps = ids.map((id) => ({ __typename: 'Resident', id }));
    const got = dataOf(await sys.direct('governance', ent, { r: reps }, county))._entities;
    expect(got.map((r: { id: string }) => r.id)).toEqual(ids);
  });
});
