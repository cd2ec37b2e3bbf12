import {
  REGISTER_RESIDENT,
  TestSystem,
  dataOf,
  nationalId,
  residentInput,
  seedPlace,
  tokenFor,
  type Place,
} from '@anju/testing';

/**
 * Issue 14, item 1: a full ID number cannot be recovered without a reveal. Each test attempts the
 * attack through the gateway and straight at the subgraph and shows it fails, changing nothing
 * and revealing nothing.
 */
describe('ID numbers: searching by one is a reveal (governance)', () => {
  let sys: TestSystem;
  let place: Place;
  let officerA: string;
  let officerB: string;
  let gridWorker: string;
  let residentA: string;
  const thisYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const born = `${thisYear - 41}0716`;
  const idA = nationalId('530102', born, 321);
  const QUOTA = 4;

  const FIND = `mutation($n: String!, $r: String!) { findResidentByNationalId(nationalId: $n, reason: $r) {
    id nationalIdMasked } }`;
  const lookups = (sub: string) =>
    sys
      .sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM governance.audit_log WHERE actor_subject = $1
          AND action IN ('resident.find_by_national_id', 'resident.register_duplicate')`,
        [sub],
      )
      .then((r) => r[0].n);
  /** The ID lookups audited of site A's grid worker and officer (the audit test's find among them, when it ran). */
  const lookupsAtA = async () => (await lookups('gw-a')) + (await lookups('officer-a'));
  const snapshot = () =>
    sys.sql(
      `SELECT (SELECT count(*) FROM governance.resident)::int AS residents, (SELECT count(*)
        FROM governance.outbox)::int AS outbox`,
    );

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'gov-idpriv',
      apis: ['governance'],
      env: { NATIONAL_ID_LOOKUPS_PER_DAY: String(QUOTA) },
    });
    place = await seedPlace(sys, 2);
    officerA = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]], sub: 'officer-a' });
    officerB = await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]], sub: 'officer-b' });
    gridWorker = await tokenFor({ role: 'grid_worker', sites: [place.siteIds[0]], sub: 'gw-a' });
    residentA = dataOf(
      await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(place.householdIds[0], 321, { nationalId: idA }) },
        officerA,
      ),
    ).registerResident.id;
  });
  afterAll(() => sys?.stop());

  it('shows the county code only and the age by the year: at least 182,500 candidates remain', async () => {
    const r = dataOf(
      await sys.query(
        `query($id: ID!) { resident(id: $id) { nationalIdMasked age gender } }`,
        { id: residentA },
        gridWorker,
      ),
    ).resident;
    expect(r).toEqual({ nationalIdMasked: '530102************', age: 41, gender: 'MALE' });
    // Nothing of the birth date, sequence or check digit is in what the worker sees.
    expect(JSON.stringify(r)).not.toContain(idA.slice(14));
  });

  it('refuses a full ID number in residents(search:), aliases too, for any role, via gateway or subgraph', async () => {
    const candidates = [idA, nationalId('530102', born, 323), `${idA.slice(0, 17)}${idA[17] === '0' ? '1' : '0'}`];
    const before = await lookupsAtA();
    const aliased = `query {
      ${candidates.map((c, i) => `c${i}: residents(search: "${c}") { totalCount }`).join(' ')} }`;
    for (const token of [gridWorker, officerA, place.provinceToken]) {
      for (const res of [await sys.query(aliased, {}, token), await sys.direct('governance', aliased, {}, token)]) {
        expect(res.data ?? null).toBeNull();
        // The first refusal nulls the whole answer (the field is non-null); every error is the same refusal.
        expect(res.errors!.length).toBeGreaterThan(0);
        for (const e of res.errors!)
          expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search', reason: 'REVEAL_REQUIRED' });
        expect(JSON.stringify(res)).not.toContain(residentA);
      }
    }
    expect(await lookupsAtA()).toBe(before);
  });

  it('lets only officers who may reveal find by ID number, with a reason; grid workers get nothing', async () => {
    const before = await lookupsAtA();
    for (const res of [
      await sys.query(FIND, { n: idA, r: '核对' }, gridWorker),
      await sys.direct('governance', FIND, { n: idA, r: '核对' }, gridWorker),
    ]) {
      expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(JSON.stringify(res)).not.toContain(residentA);
    }
    const noReason = await sys.query(FIND, { n: idA, r: ' ' }, officerA);
    expect(noReason.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await lookupsAtA()).toBe(before);
  });

  it('audits a find with who, why and the request id; out of scope answers null, like an unknown number', async () => {
    const found = await sys.query(FIND, { n: idA, r: '核对医保' }, officerA, 'req-find-1');
    expect(dataOf(found).findResidentByNationalId).toEqual({ id: residentA, nationalIdMasked: '530102************' });
    const trail = dataOf(
      await sys.query(
        `query($id: ID!) { auditTrail(entityType: "Resident", entityId: $id) {
          action actorSubject requestId detail } }`,
        { id: residentA },
        officerA,
      ),
    ).auditTrail;
    expect(trail[0]).toMatchObject({
      action: 'resident.find_by_national_id',
      actorSubject: 'officer-a',
      requestId: 'req-find-1',
    });
    expect(JSON.parse(trail[0].detail)).toEqual({ reason: '核对医保', found: true });
    expect(trail[0].detail).not.toContain(idA);

    const elsewhere = await sys.direct('governance', FIND, { n: idA, r: '核对' }, officerB);
    const unknown = await sys.direct('governance', FIND, { n: nationalId('530102', born, 325), r: '核对' }, officerB);
    expect([elsewhere.data, elsewhere.errors]).toEqual([{ findResidentByNationalId: null }, undefined]);
    expect([unknown.data, unknown.errors]).toEqual([elsewhere.data, elsewhere.errors]);
  });

  it('stops a user at the daily quota, through the gateway and at the subgraph, and writes nothing more', async () => {
    const officerC = await tokenFor({ role: 'county', regions: ['530102'], sub: 'officer-c' });
    for (let i = 0; i < QUOTA; i++)
      dataOf(await sys.query(FIND, { n: nationalId('530102', born, 401 + 2 * i), r: '逐个核对' }, officerC));
    for (const res of [
      await sys.query(FIND, { n: idA, r: '核对' }, officerC),
      await sys.direct('governance', FIND, { n: idA, r: '核对' }, officerC),
    ]) {
      expect(res.errors![0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        field: 'nationalId',
        reason: 'DAILY_QUOTA',
      });
      expect(JSON.stringify(res)).not.toContain(residentA);
    }
    expect(await lookups('officer-c')).toBe(QUOTA);
  });

  it('rejects a duplicate registration alike, number in scope or not, writing only the attempt', async () => {
    const before = await snapshot();
    const inScope = await sys.query(
      REGISTER_RESIDENT,
      { i: residentInput(place.householdIds[0], 9, { nationalId: idA }) },
      officerA,
    );
    const outOfScope = await sys.direct(
      'governance',
      REGISTER_RESIDENT,
      { i: residentInput(place.householdIds[1], 9, { nationalId: idA }) },
      officerB,
    );
    const answer = (r: typeof inScope) => ({
      data: r.data ?? null,
      errors: r.errors!.map((e) => ({
        message: e.message,
        code: e.extensions!.code,
        field: e.extensions!.field,
        reason: e.extensions!.reason,
      })),
    });
    expect(answer(outOfScope)).toEqual(answer(inScope));
    expect(answer(outOfScope).errors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', field: 'input.nationalId', reason: 'DUPLICATE_NATIONAL_ID' }),
    ]);
    for (const leak of [residentA, '安置点1', place.siteIds[0], '居民321'])
      expect(JSON.stringify(outOfScope)).not.toContain(leak);
    expect(await snapshot()).toEqual(before);
    // Each duplicate is an ID lookup: audited at the caller's household, counted in the quota.
    const rows = await sys.sql(
      `SELECT action, entity_type, entity_id FROM governance.audit_log WHERE actor_subject = 'officer-b'
        AND action = 'resident.register_duplicate'`,
    );
    expect(rows).toEqual([
      { action: 'resident.register_duplicate', entity_type: 'Household', entity_id: place.householdIds[1] },
    ]);
  });

  it('once the quota is spent, registration answers DAILY_QUOTA for new and known numbers (no oracle)', async () => {
    const prober = await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]], sub: 'officer-probe' });
    for (let i = 0; i < QUOTA; i++) {
      const r = await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(place.householdIds[1], 9, { nationalId: idA }) },
        prober,
      );
      expect(r.errors![0].extensions).toMatchObject({ reason: 'DUPLICATE_NATIONAL_ID' });
    }
    const before = await snapshot();
    const taken = await sys.query(
      REGISTER_RESIDENT,
      { i: residentInput(place.householdIds[1], 9, { nationalId: idA }) },
      prober,
    );
    const fresh = await sys.direct(
      'governance',
      REGISTER_RESIDENT,
      { i: residentInput(place.householdIds[1], 11, { nationalId: nationalId('530102', born, 511) }) },
      prober,
    );
    for (const r of [taken, fresh])
      expect(r.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'DAILY_QUOTA' });
    expect(await snapshot()).toEqual(before);
  });
});
