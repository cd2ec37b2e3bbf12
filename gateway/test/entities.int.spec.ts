import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kind, type ObjectTypeDefinitionNode } from 'graphql';
import { addDays, parseServiceSchema, provinceDate } from '@anju/kit';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';
import { REPO_ROOT, SUBGRAPHS } from '../src/subgraphs';

type Service = 'governance' | 'employment' | 'social-orgs' | 'matching';

/** Every `type X @key(fields: "k")` of a subgraph's schema, with its key field. */
function keyTypes(schemaDir: string): { type: string; key: string }[] {
  const doc = parseServiceSchema(path.join(REPO_ROOT, schemaDir));
  return doc.definitions
    .filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
    .flatMap((d) =>
      (d.directives ?? [])
        .filter((x) => x.name.value === 'key')
        .map((x) => {
          const fields = x.arguments?.find((a) => a.name.value === 'fields')?.value;
          if (fields?.kind !== Kind.STRING || !/^\w+$/.test(fields.value)) {
            throw new Error(`${d.name.value}: a compound @key needs this test extended`);
          }
          return { type: d.name.value, key: fields.value };
        }),
    );
}

/**
 * `_entities` for every @key type of every subgraph, the list read from the schemas (a new @key
 * type is covered, or fails here): representations of a type are resolved in one batch (the SQL
 * statements for five representations are those for one), and scope holds — a caller of another
 * province gets null for each record, and a type that only extends another subgraph's entity
 * (a stub such as employment's Resident) resolves its key without reading anything.
 */
describe('_entities for every @key type', () => {
  let sys: TestSystem;
  let place: Place;
  let inScope: string;
  let outOfScope: string;
  /** A real record of each type, where this test makes one: type → key value. */
  const real: Partial<Record<Service, Record<string, string>>> = {};

  /** Statements a subgraph sent for one direct request (its operation log line counts them). */
  async function entities(service: Service, type: string, key: string, values: string[], token: string) {
    const requestId = `entities-${randomUUID()}`;
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${type} { ${key} } } }`;
    const r = values.map((v) => ({ __typename: type, [key]: v }));
    const res = dataOf(await sys.direct(service, q, { r }, token, requestId));
    const lines = sys.logs
      .entries()
      .filter((e) => e.requestId === requestId && e.msg === 'operation' && typeof e.sqlStatements === 'number');
    expect(lines).toHaveLength(1);
    const found = res._entities as (({ __typename: string } & Record<string, string>) | null)[];
    return { found, statements: lines[0].sqlStatements as number };
  }

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'entities', env: { GATEWAY_RESPONSE_CACHE: 'false' } });
    place = await seedPlace(sys, 1);
    inScope = await tokenFor({ role: 'province', regions: ['53'] });
    outOfScope = await tokenFor({ role: 'province', regions: ['52'] });
    const [siteId] = place.siteIds;
    const officer = await tokenFor({ role: 'site_officer', sites: [siteId] });
    const mk = async (q: string, i: Record<string, unknown>, token = officer) =>
      Object.values(dataOf(await sys.query(q, { i }, token)))[0] as { id: string };
    const grid = await mk(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, {
      siteId,
      name: '第一网格',
    });
    const building = await mk(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
      siteId,
      name: '1栋',
      gridId: grid.id,
    });
    const resident = await mk(REGISTER_RESIDENT, residentInput(place.householdIds[0], 801), place.provinceToken);
    const [issue] = await sys.sql(
      `INSERT INTO governance.micro_issue (site_id, region_code, building_id, grid_id, kind, title,
        description, reported_by_subject, reported_by_role, reported_by_resident_id, level, level_due_at, opened_at)
      VALUES ($1, '530102', $2, $3, 'issue', '楼道灯坏了', '3楼', 'r', 'resident', $4, 'building_leader', now() + interval
        '3 days', now())
      RETURNING id`,
      [siteId, building.id, grid.id, resident.id],
    );
    real.governance = {
      Region: '530102',
      Site: siteId,
      Household: place.householdIds[0],
      Grid: grid.id,
      Building: building.id,
      Resident: resident.id,
      MicroIssue: issue.id,
    };
    await sys.waitForIdle(); // the site and the resident reach the other services' directories
    const county = await tokenFor({ role: 'county', regions: ['530102'] });
    const demand = await mk(`mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id } }`, {
      siteId,
      category: 'ELDERLY_CARE',
      description: '探访',
    });
    const unit = await mk(
      `mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { id } }`,
      { name: '五华区人社局', kind: 'DEPARTMENT', regions: ['530102'] },
      county,
    );
    const volunteer = await mk(`mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id } }`, {
      displayName: '小王',
      homeSiteId: siteId,
      weeklyHours: 4,
    });
    real.matching = { Site: siteId, Demand: demand.id, Unit: unit.id, Volunteer: volunteer.id };
    real.employment = { Resident: resident.id, Household: place.householdIds[0], Site: siteId };
    const org = await mk(
      `mutation($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
      { name: '阳光社工服务中心', kind: 'PROFESSIONAL', serviceRegionCodes: ['530102'] },
      place.provinceToken,
    );
    const ngo = await tokenFor({ role: 'ngo_member', org: org.id, sub: 'entities-ngo' });
    const day = (d: number, hour: number) =>
      new Date(sys.clock.now().getTime() + d * 86_400_000 + hour * 3_600_000).toISOString();
    const activity = await mk(
      `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`,
      { siteId, title: '彝族刺绣分享会', kind: 'CULTURAL', startsAt: day(3, 0), endsAt: day(3, 2), capacity: 10 },
      ngo,
    );
    const registration = await mk(
      `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id } }`,
      { activityId: activity.id, residentId: resident.id, participantName: '张女士' },
      ngo,
    );
    const worker = await mk(
      `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) { id } }`,
      { name: '李社工', qualification: 'NONE', joinedOn: provinceDate(sys.clock.now()), siteIds: [siteId] },
      ngo,
    );
    const today = provinceDate(sys.clock.now());
    const kase = await mk(
      `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`,
      { kind: 'INDIVIDUAL_SUPPORT', title: '独居老人个案', siteId, workerId: worker.id },
      ngo,
    );
    const referral = await mk(
      `mutation($i: ReferCaseInput!) { referCase(input: $i) { id } }`,
      { caseId: kase.id, agency: 'CIVIL_AFFAIRS', reason: '申请临时救助', dueOn: addDays(today, 7) },
      ngo,
    );
    const microService = await mk(
      `mutation($i: CreateMicroServiceInput!) { createMicroService(input: $i) { id } }`,
      {
        siteId,
        kind: 'AFTER_SCHOOL_CLASS',
        name: '四点半课堂',
        weekdays: [1, 3],
        startTime: '16:30',
        endTime: '18:30',
        capacity: 30,
        runnerName: '周老师',
      },
      ngo,
    );
    const contract = await mk(
      `mutation($i: SignServiceContractInput!) { signServiceContract(input: $i) { id } }`,
      {
        organizationId: org.id,
        title: '安置点社会工作服务项目',
        purchaser: '五华区民政局',
        budgetYuan: 200000,
        startsOn: today,
        endsOn: addDays(today, 300),
        deliverables: ['个案服务 40 个'],
        milestones: [{ title: '结项报告', dueOn: addDays(today, 290) }],
      },
      county,
    );
    const call = await mk(
      `mutation($i: OpenVentureCallInput!) { openVentureCall(input: $i) { id } }`,
      {
        title: '五华区社区公益创投',
        regionCode: '530102',
        budgetYuan: 100000,
        applicationsCloseOn: addDays(today, 10),
      },
      county,
    );
    const application = await mk(
      `mutation($i: ApplyToVentureCallInput!) { applyToVentureCall(input: $i) { id } }`,
      { callId: call.id, title: '彝绣非遗传承', summary: '每周两次教学', requestedYuan: 60000 },
      ngo,
    );
    const committee = await mk(
      `mutation($i: CreateCommitteeInput!) { createCommittee(input: $i) { id } }`,
      { name: '五华区社区心理健康专业委员会', field: '心理健康', regionCode: '530102' },
      county,
    );
    const consultation = await mk(
      `mutation($i: RequestConsultationInput!) { requestConsultation(input: $i) { id } }`,
      { committeeId: committee.id, topic: '搬迁后代际冲突', problem: '老人与子女因生活方式改变冲突', siteId },
      ngo,
    );
    real['social-orgs'] = {
      SocialOrganization: org.id,
      Resident: resident.id,
      Site: siteId,
      Activity: activity.id,
      ActivityRegistration: registration.id,
      SocialWorker: worker.id,
      SocialCase: kase.id,
      Referral: referral.id,
      MicroService: microService.id,
      ServiceContract: contract.id,
      VentureCall: call.id,
      VentureApplication: application.id,
      ProfessionalCommittee: committee.id,
      Consultation: consultation.id,
    };
  }, 180_000);
  afterAll(() => sys?.stop());

  /** Types every signed-in caller may resolve, by design (and why). */
  const PUBLIC: Record<string, string> = {
    'governance.Region':
      'administrative regions (GB/T 2260) are public reference data (so says the schema of `regions`)',
    'matching.Unit': 'regional units are public by name: the claims board (认领公示) shows them',
  };

  const cases = SUBGRAPHS.flatMap((g) =>
    keyTypes(g.schemaDir).map(({ type, key }) => [g.name as Service, type, key] as const),
  );

  it('reads the @key types of every subgraph from its schema', () => {
    for (const g of SUBGRAPHS) expect(cases.filter(([s]) => s === g.name).length).toBeGreaterThan(0);
  });

  it.each(cases)(
    '%s › %s: one batch for many representations; another province sees none (unless public)',
    async (service, type, key) => {
      const unknown = (n: number) =>
        Array.from({ length: n }, (_, i) => (key === 'code' ? `5399${String(i).padStart(2, '0')}` : randomUUID()));
      const known = real[service]?.[type];
      const values = known ? [known, ...unknown(4)] : unknown(5);
      const one = await entities(service, type, key, values.slice(0, 1), inScope);
      const five = await entities(service, type, key, values, inScope);
      expect(five.found).toHaveLength(5);
      // One batch: five representations cost no more than one (a per-row lookup would cost five times as much;
      // less when the one filled a cache, as governance's region directory).
      expect(five.statements).toBeLessThanOrEqual(one.statements);
      // an unknown key resolved: the type only extends another subgraph's entity
      const stub = five.found.at(-1) !== null;
      // Scope is tried on a real record of every entity a subgraph resolves from its tables (a stub reads nothing):
      // a new @key type read from tables fails here until beforeAll makes a record of it.
      const name = `${service}.${type}`;
      if (!stub) expect({ name, known }).toEqual({ name, known: expect.any(String) });
      if (stub) {
        // A stub is its key and nothing else: no statement, and its fields (tested with their features) check scope.
        expect(five.statements).toBe(0);
        expect(five.found).toEqual(values.map((v) => ({ __typename: type, [key]: v })));
      } else {
        expect(one.statements + five.statements).toBeGreaterThan(0);
        expect(five.found.slice(known ? 1 : 0)).toEqual(Array(known ? 4 : 5).fill(null));
        if (known) expect(five.found[0]).toEqual({ __typename: type, [key]: known });
        // Out of scope: the real record is null like the unknown ones (unless the type is public by design).
        const other = await entities(service, type, key, values, outOfScope);
        const publicRow = known && PUBLIC[`${service}.${type}`] ? { __typename: type, [key]: known } : null;
        const visible = known ? [publicRow] : [];
        expect(other.found).toEqual([...visible, ...Array(known ? 4 : 5).fill(null)]);
      }
    },
  );
});
