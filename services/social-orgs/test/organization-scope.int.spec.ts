import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { errorOf, dayIn, inDays, knownResidents, knownSite, twoOrganizations, type Orgs } from './fixtures';

interface Records {
  activity: string;
  registration: string;
  worker: string;
  case: string;
  referral: string;
}

/**
 * The key rule: an NGO member's token sees and changes only its own organization's records, by
 * every path — queries, mutations, `_entities` sent straight to the subgraph, and the gateway.
 * Officers see the organizations serving their regions.
 */
describe('an NGO sees and changes only its own organization', () => {
  let sys: TestSystem;
  let o: Orgs;
  let site: string;
  const rec: Record<'A' | 'B', Records> = {} as never;

  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);

  async function seed(token: string): Promise<Records> {
    const activity = dataOf(
      await direct(
        `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`,
        {
          i: {
            siteId: site,
            title: '四点半课堂开放日',
            kind: 'EDUCATION',
            startsAt: inDays(sys.clock, 5),
            endsAt: inDays(sys.clock, 5, 16),
            capacity: 10,
          },
        },
        token,
      ),
    ).createActivity.id;
    const registration = dataOf(
      await direct(
        `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id } }`,
        {
          i: {
            activityId: activity,
            residentId: (await knownResidents(sys, site, 1))[0],
            participantName: '参与者',
            phone: '13700001234',
          },
        },
        token,
      ),
    ).registerForActivity.id;
    const worker = dataOf(
      await direct(
        `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) { id } }`,
        {
          i: {
            name: '社工',
            qualification: 'SOCIAL_WORKER',
            certificateNumber: 'S-001',
            joinedOn: '2026-03-01',
            siteIds: [site],
          },
        },
        token,
      ),
    ).hireSocialWorker.id;
    const kase = dataOf(
      await direct(
        `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`,
        {
          i: {
            kind: 'FAMILY_THERAPY',
            title: '家庭关系辅导',
            householdId: randomUUID(),
            siteId: site,
            workerId: worker,
          },
        },
        token,
      ),
    ).openCase.id;
    const referral = dataOf(
      await direct(
        `mutation($i: ReferCaseInput!) { referCase(input: $i) { id } }`,
        { i: { caseId: kase, agency: 'WOMENS_FEDERATION', reason: '需要妇联法律援助', dueOn: dayIn(sys.clock, 10) } },
        token,
      ),
    ).referCase.id;
    return { activity, registration, worker, case: kase, referral };
  }

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-scope', workers: [] });
    o = await twoOrganizations(sys);
    site = await knownSite(sys);
    rec.A = await seed(o.ngoA);
    rec.B = await seed(o.ngoB);
  });
  afterAll(() => sys?.stop());

  const BY_ID = `query($org: ID!, $a: ID!, $r: ID!, $w: ID!, $c: ID!, $f: ID!) {
    organization(id: $org) { id } activity(id: $a) { id } activityRegistration(id: $r) { id }
    socialWorker(id: $w) { id } socialCase(id: $c) { id } referral(id: $f) { id } }`;
  const byIdVars = (org: string, r: Records) => ({
    org,
    a: r.activity,
    r: r.registration,
    w: r.worker,
    c: r.case,
    f: r.referral,
  });
  const LISTS = `{ organizations { totalCount nodes { id } } activities { totalCount nodes { id } } socialWorkers {
    totalCount nodes { id } } socialCases { totalCount nodes { id referrals { id } } } }`;

  it.each([
    ['straight to the subgraph', true],
    ['through the gateway', false],
  ])('reads: NGO A gets its own records and nothing of B (%s)', async (_l, straight) => {
    const send = (q: string, v: Record<string, unknown>, t: string) =>
      straight ? direct(q, v, t) : sys.query(q, v, t);
    const own = dataOf(await send(BY_ID, byIdVars(o.orgA, rec.A), o.ngoA));
    expect(Object.values(own).every((x) => x !== null)).toBe(true);
    const theirs = dataOf(await send(BY_ID, byIdVars(o.orgB, rec.B), o.ngoA));
    expect(theirs).toEqual({
      organization: null,
      activity: null,
      activityRegistration: null,
      socialWorker: null,
      socialCase: null,
      referral: null,
    });
    const lists = dataOf(await send(LISTS, {}, o.ngoA));
    expect(lists.organizations.nodes).toEqual([{ id: o.orgA }]);
    expect(lists.activities.nodes).toEqual([{ id: rec.A.activity }]);
    expect(lists.socialWorkers.nodes).toEqual([{ id: rec.A.worker }]);
    expect(lists.socialCases.nodes).toEqual([{ id: rec.A.case, referrals: [{ id: rec.A.referral }] }]);
    // Asking for B's records by filter changes nothing.
    const filtered = dataOf(
      await send(
        `query($o: ID!) { activities(organizationId: $o) { totalCount } socialWorkers(organizationId: $o) {
          totalCount } socialCases(organizationId: $o) { totalCount } }`,
        { o: o.orgB },
        o.ngoA,
      ),
    );
    expect(filtered).toEqual({
      activities: { totalCount: 0 },
      socialWorkers: { totalCount: 0 },
      socialCases: { totalCount: 0 },
    });
  });

  it('resolves every @key type through _entities sent straight to the subgraph, in one batch, scoped', async () => {
    const reps = (r: Records, org: string) => [
      { __typename: 'SocialOrganization', id: org },
      { __typename: 'Activity', id: r.activity },
      { __typename: 'ActivityRegistration', id: r.registration },
      { __typename: 'SocialWorker', id: r.worker },
      { __typename: 'SocialCase', id: r.case },
      { __typename: 'Referral', id: r.referral },
    ];
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on SocialOrganization { id name } ... on Activity { id title } ... on ActivityRegistration {
        id participantName contactMasked }
      ... on SocialWorker { id name } ... on SocialCase { id title } ... on Referral { id agency } } }`;
    const res = dataOf(
      await direct(ENTITIES, { r: [...reps(rec.A, o.orgA), ...reps(rec.B, o.orgB)] }, o.ngoA),
    )._entities;
    expect(res.slice(0, 6).every((e: unknown) => e !== null)).toBe(true);
    expect(res[2]).toMatchObject({ participantName: '参与者', contactMasked: '137****1234' });
    expect(res.slice(6)).toEqual([null, null, null, null, null, null]);
    // NGO B, the mirror image.
    const b = dataOf(await direct(ENTITIES, { r: [...reps(rec.A, o.orgA), ...reps(rec.B, o.orgB)] }, o.ngoB))._entities;
    expect(b.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(b.slice(6).every((e: unknown) => e !== null)).toBe(true);
    // The county officer of the region sees both; another county's officer and a resident see none of the private ones.
    const county = dataOf(
      await direct(ENTITIES, { r: [...reps(rec.A, o.orgA), ...reps(rec.B, o.orgB)] }, o.county),
    )._entities;
    expect(county.every((e: unknown) => e !== null)).toBe(true);
    const other = dataOf(
      await direct(ENTITIES, { r: [...reps(rec.A, o.orgA), ...reps(rec.B, o.orgB)] }, o.otherCounty),
    )._entities;
    expect(other.every((e: unknown) => e === null)).toBe(true);
    // A batch of many representations is one request (one SQL per type through the loaders).
    const many = Array.from({ length: 120 }, (_, i) => ({
      __typename: 'Activity',
      id: i % 2 ? rec.A.activity : rec.B.activity,
    }));
    const batch = dataOf(
      await direct(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Activity { id } } }`,
        { r: many },
        o.ngoA,
      ),
    )._entities;
    expect(batch.filter((e: unknown) => e !== null)).toHaveLength(60);
  });

  it('writes: NGO A cannot change any of B’s records (NOT_FOUND or FORBIDDEN), and nothing changes', async () => {
    const snapshot = () =>
      sys.sql(`SELECT
      (SELECT json_agg(a ORDER BY a.id) FROM social_orgs.activity a) AS a, (SELECT json_agg(r ORDER BY r.id)
        FROM social_orgs.activity_registration r) AS r,
      (SELECT json_agg(w ORDER BY w.id) FROM social_orgs.social_worker w) AS w, (SELECT count(*)
        FROM social_orgs.worker_assessment) AS x,
      (SELECT count(*) FROM social_orgs.worker_feedback) AS fb, (SELECT json_agg(c ORDER BY c.id)
        FROM social_orgs.social_case c) AS c,
      (SELECT json_agg(f ORDER BY f.id) FROM social_orgs.referral f) AS f, (SELECT json_agg(o ORDER BY o.id)
        FROM social_orgs.organization o) AS o,
      (SELECT count(*) FROM social_orgs.outbox) AS ob, (SELECT count(*) FROM social_orgs.audit_log) AS al`);
    const before = await snapshot();
    const B = rec.B;
    const attempts: [string, Record<string, unknown>, string][] = [
      [
        `mutation($id: ID!) { setActivityCapacity(activityId: $id, capacity: 50) { id } }`,
        { id: B.activity },
        'NOT_FOUND',
      ],
      [
        `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id } }`,
        { i: { activityId: B.activity, residentId: randomUUID(), participantName: 'x' } },
        'NOT_FOUND',
      ],
      [
        `mutation($id: ID!) { cancelActivityRegistration(registrationId: $id) { id } }`,
        { id: B.registration },
        'NOT_FOUND',
      ],
      [`mutation($id: ID!) { checkInToActivity(registrationId: $id) { id } }`, { id: B.registration }, 'NOT_FOUND'],
      [
        `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`,
        {
          i: {
            organizationId: o.orgB,
            siteId: site,
            title: 't',
            kind: 'OTHER',
            startsAt: inDays(sys.clock, 1),
            endsAt: inDays(sys.clock, 1, 16),
            capacity: 1,
          },
        },
        'FORBIDDEN',
      ],
      [
        `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) { id } }`,
        { i: { organizationId: o.orgB, name: 'x', qualification: 'NONE', joinedOn: '2026-01-01' } },
        'FORBIDDEN',
      ],
      [
        `mutation($id: ID!, $s: [ID!]!) { assignSocialWorkerSites(workerId: $id, siteIds: $s) { id } }`,
        { id: B.worker, s: [] },
        'NOT_FOUND',
      ],
      [
        `mutation($i: AssessSocialWorkerInput!) { assessSocialWorker(input: $i) { id } }`,
        { i: { workerId: B.worker, period: '2026-Q3', score: 10 } },
        'NOT_FOUND',
      ],
      [
        `mutation($i: SocialWorkerFeedbackInput!) { giveSocialWorkerFeedback(input: $i) { id } }`,
        { i: { workerId: B.worker, rating: 1 } },
        'NOT_FOUND',
      ],
      [
        `mutation($i: ExitSocialWorkerInput!) { exitSocialWorker(input: $i) { id } }`,
        { i: { workerId: B.worker, exitedOn: '2026-11-01', reason: 'x' } },
        'NOT_FOUND',
      ],
      [
        `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`,
        { i: { kind: 'FAMILY_THERAPY', title: 't', workerId: B.worker } },
        'NOT_FOUND',
      ],
      [
        `mutation($i: ReferCaseInput!) { referCase(input: $i) { id } }`,
        { i: { caseId: B.case, agency: 'JUSTICE', reason: 'x', dueOn: dayIn(sys.clock, 3) } },
        'NOT_FOUND',
      ],
      [
        `mutation($id: ID!) { recordReferralOutcome(referralId: $id, outcome: "x") { id } }`,
        { id: B.referral },
        'NOT_FOUND',
      ],
      [`mutation($id: ID!) { closeCase(caseId: $id, summary: "x") { id } }`, { id: B.case }, 'NOT_FOUND'],
      [
        `mutation($i: AdvanceIncubationInput!) { advanceIncubation(input: $i) { id } }`,
        { i: { organizationId: o.orgA, to: 'INCUBATING', support: '自己批准' } },
        'FORBIDDEN',
      ],
    ];
    for (const [q, v, code] of attempts) {
      for (const res of [await direct(q, v, o.ngoA), await sys.query(q, v, o.ngoA)]) {
        expect(res.data ?? null).toBeNull();
        expect({ q, code: errorOf(res)?.code }).toEqual({ q, code });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('officers see organizations serving their regions, none elsewhere; residents see no private records', async () => {
    const county = dataOf(await sys.query(LISTS, {}, o.county));
    expect(county.organizations.totalCount).toBe(2);
    expect(county.activities.totalCount).toBe(2);
    expect(county.socialWorkers.totalCount).toBe(2);
    expect(county.socialCases.totalCount).toBe(2);
    const other = dataOf(await sys.query(LISTS, {}, o.otherCounty));
    expect(
      [other.organizations, other.activities, other.socialWorkers, other.socialCases].map((p) => p.totalCount),
    ).toEqual([0, 0, 0, 0]);
    const resident = await tokenFor({ role: 'resident', resident: randomUUID(), sites: [randomUUID()] });
    const r = dataOf(await sys.query(LISTS, {}, resident));
    expect([r.organizations, r.activities, r.socialWorkers, r.socialCases].map((p) => p.totalCount)).toEqual([
      0, 0, 0, 0,
    ]);
    const anon = await sys.direct('social-orgs', LISTS, {});
    expect(errorOf(anon)?.code).toBe('UNAUTHENTICATED');
  });

  it('an officer pages through the organizations one by one; each page, even past the end, has the count', async () => {
    const PAGE = `query($after: String) { organizations(first: 1, after: $after) { totalCount endCursor nodes {
      id } } }`;
    const first = dataOf(await direct(PAGE, { after: null }, o.county)).organizations;
    const second = dataOf(await direct(PAGE, { after: first.endCursor }, o.county)).organizations;
    const past = dataOf(await direct(PAGE, { after: '\uffff' }, o.county)).organizations;
    expect([first.totalCount, second.totalCount, past.totalCount]).toEqual([2, 2, 2]);
    expect([...first.nodes, ...second.nodes].map((n: { id: string }) => n.id).sort()).toEqual([o.orgA, o.orgB].sort());
    expect(first.endCursor).not.toBeNull();
    expect([second.endCursor, past.endCursor, past.nodes]).toEqual([null, null, []]);
  });
});
