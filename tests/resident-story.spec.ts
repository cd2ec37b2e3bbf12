import { randomUUID } from 'node:crypto';
import {
  REGISTER_RESIDENT,
  TestSystem,
  dataOf,
  nationalId,
  residentInput,
  seedPlace,
  tokenFor,
  withWrongCheckDigit,
  type Place,
} from '@anju/testing';

/**
 * The first story across two services: a site officer registers a resident in governance;
 * employment hears `resident.registered` and opens a labour profile; one query through the
 * gateway returns the resident with fields from both.
 */
describe('registering a resident, through the gateway', () => {
  let sys: TestSystem;
  let place: Place;
  let officerA: string;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'story' });
    place = await seedPlace(sys, 2);
    officerA = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
  });
  afterAll(() => sys?.stop());

  it('returns the resident with the labour profile employment created from the event', async () => {
    const reg = await sys.query(
      REGISTER_RESIDENT,
      { i: residentInput(place.householdIds[0], 1, { phone: '138 1234 5678' }) },
      officerA,
    );
    const resident = dataOf(reg).registerResident;
    const id = nationalId('530102', '19850312', 1);
    expect(resident).toMatchObject({
      name: '居民1',
      nationalIdMasked: '530102************',
      gender: 'MALE',
      phoneMasked: '138****5678',
      labourCapacity: 'FULL',
    });

    await sys.waitForIdle();
    const res = dataOf(
      await sys.query(
        `query($id: ID!) { resident(id: $id) { id name age site { name region { name parent {
          name } } } labourProfile { labourCapacity wantsWork canWorkAway birthYear } } }`,
        { id: resident.id },
        officerA,
      ),
    );
    expect(res.resident).toMatchObject({
      id: resident.id,
      site: { name: '安置点1', region: { name: '五华区', parent: { name: '昆明市' } } },
      labourProfile: { labourCapacity: 'FULL', wantsWork: true, canWorkAway: false, birthYear: 1985 },
    });
    // The full ID number is stored sealed, never in clear.
    const [row] = await sys.sql(
      `SELECT encode(national_id_sealed, 'escape') AS sealed FROM governance.resident WHERE id = $1`,
      [resident.id],
    );
    expect(row.sealed).not.toContain(nationalId('530102', '19850312', 1));
  });

  it('consumes a duplicate delivery of resident.registered once: one labour profile', async () => {
    const resident = dataOf(
      await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 2) }, officerA),
    ).registerResident;
    await sys.waitForIdle();
    const [outboxRow] = await sys.sql(
      `SELECT id, event, version, payload, occurred_at FROM governance.outbox WHERE payload->>'residentId' = $1`,
      [resident.id],
    );
    // Redeliver the very same event (as a retry or a re-send after a Redis loss would), under a new job id.
    const queue = sys.queue('employment');
    await queue.add(
      'resident.registered',
      {
        id: outboxRow.id,
        name: 'resident.registered',
        version: outboxRow.version,
        producer: 'governance',
        occurredAt: new Date(outboxRow.occurred_at).toISOString(),
        payload: outboxRow.payload,
      },
      { jobId: `${outboxRow.id}-again` },
    );
    await queue.close();
    await sys.waitForIdle();
    const profiles = await sys.sql(`SELECT count(*)::int AS n FROM employment.labour_profile WHERE resident_id = $1`, [
      resident.id,
    ]);
    const inbox = await sys.sql(`SELECT count(*)::int AS n FROM employment.inbox WHERE event_id = $1`, [outboxRow.id]);
    expect(profiles[0].n).toBe(1);
    expect(inbox[0].n).toBe(1);
  });

  it('rejects a wrong check digit with a typed error and writes nothing', async () => {
    const before = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.resident)::int AS r, (SELECT count(*) FROM governance.outbox)::int AS o`,
    );
    const res = await sys.query(
      REGISTER_RESIDENT,
      {
        i: residentInput(place.householdIds[0], 3, {
          nationalId: withWrongCheckDigit(nationalId('530102', '19850312', 3)),
        }),
      },
      officerA,
    );
    expect(res.data).toBeNull();
    expect(res.errors![0]).toMatchObject({
      message: expect.stringMatching(/check digit/),
      extensions: { code: 'BAD_USER_INPUT', field: 'input.nationalId', reason: 'CHECK_DIGIT' },
    });
    const after = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.resident)::int AS r, (SELECT count(*) FROM governance.outbox)::int AS o`,
    );
    expect(after).toEqual(before);
  });

  it('refuses a second registration of the same person anywhere in the province', async () => {
    const input = residentInput(place.householdIds[0], 4);
    dataOf(await sys.query(REGISTER_RESIDENT, { i: input }, officerA));
    const again = await sys.query(
      REGISTER_RESIDENT,
      { i: { ...input, householdId: place.householdIds[1] } },
      place.provinceToken,
    );
    expect(again.errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'input.nationalId',
      reason: 'DUPLICATE_NATIONAL_ID',
    });
  });

  it('checks what was entered against the ID number', async () => {
    const res = await sys.query(
      REGISTER_RESIDENT,
      { i: residentInput(place.householdIds[0], 5, { gender: 'FEMALE' }) },
      officerA,
    );
    expect(res.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.gender',
      reason: 'MISMATCH',
    });
  });

  describe('scope', () => {
    let residentOfB: string;

    beforeAll(async () => {
      residentOfB = dataOf(
        await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[1], 10) }, place.provinceToken),
      ).registerResident.id;
      await sys.waitForIdle();
    });

    it('a site officer of site A cannot read site B residents by query', async () => {
      const one = await sys.query(`query($id: ID!) { resident(id: $id) { id name } }`, { id: residentOfB }, officerA);
      expect(one.data?.resident).toBeNull();
      const list = dataOf(
        await sys.query(
          `query($s: ID!) { residents(siteId: $s) { totalCount nodes { id } } }`,
          { s: place.siteIds[1] },
          officerA,
        ),
      );
      expect(list.residents).toEqual({ totalCount: 0, nodes: [] });
      const profiles = dataOf(
        await sys.query(
          `query($s: ID!) { labourProfiles(siteId: $s) { totalCount } }`,
          { s: place.siteIds[1] },
          officerA,
        ),
      );
      expect(profiles.labourProfiles.totalCount).toBe(0);
    });

    it('nor through _entities sent straight to the subgraphs', async () => {
      const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id name } } }`;
      const gov = dataOf(
        await sys.direct('governance', entities, { r: [{ __typename: 'Resident', id: residentOfB }] }, officerA),
      );
      expect(gov._entities).toEqual([null]);
      const emp = dataOf(
        await sys.direct(
          'employment',
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { labourProfile { birthYear } } } }`,
          { r: [{ __typename: 'Resident', id: residentOfB }] },
          officerA,
        ),
      );
      expect(emp._entities).toEqual([{ labourProfile: null }]);
      // The county officer of the region sees it by the same path.
      const county = await tokenFor({ role: 'county', regions: ['530102'] });
      expect(
        dataOf(await sys.direct('governance', entities, { r: [{ __typename: 'Resident', id: residentOfB }] }, county))
          ._entities[0],
      ).toMatchObject({ id: residentOfB });
    });

    it('a site officer cannot register residents into another site', async () => {
      const res = await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[1], 11) }, officerA);
      expect(res.errors![0].extensions?.code).toBe('FORBIDDEN');
    });

    it('no token → UNAUTHENTICATED, at the gateway and at each subgraph', async () => {
      const viaGateway = await sys.query(`{ regions { code } }`);
      expect(viaGateway.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
      for (const s of ['governance', 'employment', 'social-orgs', 'matching'] as const) {
        const direct = await sys.direct(s, `{ _service { sdl } }`);
        expect(direct.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
      }
    });

    it('an expired or foreign token is refused', async () => {
      // A token's expiry is judged on the wall clock (jose's), not the kit's: the domain clock may be held anywhere.
      const expired = await tokenFor({ role: 'province', regions: ['53'] }, Math.floor(Date.now() / 1000) - 10);
      expect((await sys.query(`{ regions { code } }`, {}, expired)).errors![0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      expect(
        (await sys.direct('governance', `{ regions { code } }`, {}, `${expired}x`)).errors![0].extensions?.code,
      ).toBe('UNAUTHENTICATED');
    });
  });

  it('carries one request id from the gateway into the subgraph and the job', async () => {
    const requestId = `story-${randomUUID()}`;
    dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 20) }, officerA, requestId));
    await sys.waitForIdle();
    const lines = sys.logs.entries().filter((l) => l.requestId === requestId);
    const services = new Set(lines.map((l) => l.service));
    expect(services.has('employment-worker')).toBe(true);
    const [row] = await sys.sql(`SELECT request_id FROM governance.outbox WHERE request_id = $1`, [requestId]);
    expect(row).toBeDefined();
  });
});
