import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf } from '@anju/testing';
import { errorOf, twoOrganizations, type Orgs } from './fixtures';

/** Professional committees (专业委员会): expert members, consultations, advice recorded; NGO consultations scoped. */
describe('professional committees and consultations', () => {
  let sys: TestSystem;
  let o: Orgs;
  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);
  const CONSULT = `mutation($i: RequestConsultationInput!) { requestConsultation(input: $i) {
    id status organizationId } }`;
  const ADVISE = `mutation($i: RecordConsultationAdviceInput!) { recordConsultationAdvice(input: $i) {
    status advice advisers { name } advisedAt } }`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-committees', workers: [] });
    o = await twoOrganizations(sys);
  });
  afterAll(() => sys?.stop());

  it('consults a committee of experts and records their advice; each NGO sees only its own consultations', async () => {
    const k = dataOf(
      await sys.query(
        `mutation($i: CreateCommitteeInput!) { createCommittee(input: $i) { id } }`,
        { i: { name: '五华区社区心理健康专业委员会', field: '心理健康', regionCode: '530102' } },
        o.county,
      ),
    ).createCommittee;
    const ADD = `mutation($i: AddCommitteeMemberInput!) { addCommitteeMember(input: $i) { members { id name } } }`;
    dataOf(
      await sys.query(
        ADD,
        { i: { committeeId: k.id, name: '杨教授', expertise: '家庭治疗', affiliation: '云南师范大学' } },
        o.county,
      ),
    );
    const members = dataOf(
      await sys.query(
        ADD,
        { i: { committeeId: k.id, name: '李律师', expertise: '婚姻家事', organizationId: o.orgA } },
        o.county,
      ),
    ).addCommitteeMember.members;
    expect(members.map((m: { name: string }) => m.name)).toEqual(['杨教授', '李律师']);
    expect(errorOf(await direct(ADD, { i: { committeeId: k.id, name: 'x', expertise: 'y' } }, o.ngoA))).toMatchObject({
      code: 'FORBIDDEN',
    });

    const a = dataOf(
      await direct(
        CONSULT,
        {
          i: {
            committeeId: k.id,
            topic: '搬迁后代际冲突',
            problem: '多户老人与子女因生活方式改变冲突频繁',
            siteId: randomUUID(),
          },
        },
        o.ngoA,
      ),
    ).requestConsultation;
    expect(a).toMatchObject({ status: 'OPEN', organizationId: o.orgA });
    const b = dataOf(
      await sys.query(CONSULT, { i: { committeeId: k.id, topic: '青少年厌学', problem: '转学后适应困难' } }, o.ngoB),
    ).requestConsultation;

    const advised = dataOf(
      await sys.query(
        ADVISE,
        {
          i: {
            consultationId: a.id,
            advice: '以家庭为单位开展代际沟通小组，每月一次个案督导',
            memberIds: [members[0].id],
          },
        },
        o.county,
      ),
    ).recordConsultationAdvice;
    expect(advised).toMatchObject({ status: 'ADVISED', advisers: [{ name: '杨教授' }], advisedAt: expect.any(String) });
    // Advice is recorded once; advisers must be members; the NGO cannot record advice.
    expect(
      errorOf(
        await sys.query(ADVISE, { i: { consultationId: a.id, advice: '再议', memberIds: [members[0].id] } }, o.county),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
    expect(
      errorOf(
        await sys.query(ADVISE, { i: { consultationId: b.id, advice: 'x', memberIds: [randomUUID()] } }, o.county),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_A_MEMBER' });
    expect(
      errorOf(await direct(ADVISE, { i: { consultationId: b.id, advice: 'x', memberIds: [members[0].id] } }, o.ngoA)),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect((await sys.sql(`SELECT status FROM social_orgs.consultation WHERE id = $1`, [b.id]))[0].status).toBe('OPEN');

    // Scope: both NGOs see the committee (their region); each sees only its own consultation, by every path.
    const READ = `query($k: ID!, $a: ID!, $b: ID!) { committee(id: $k) { id consultations {
      id } } a: consultation(id: $a) { id advice } b: consultation(id: $b) { id } }`;
    for (const res of [
      await direct(READ, { k: k.id, a: a.id, b: b.id }, o.ngoA),
      await sys.query(READ, { k: k.id, a: a.id, b: b.id }, o.ngoA),
    ]) {
      expect(dataOf(res)).toEqual({
        committee: { id: k.id, consultations: [{ id: a.id }] },
        a: { id: a.id, advice: '以家庭为单位开展代际沟通小组，每月一次个案督导' },
        b: null,
      });
    }
    const ENTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ProfessionalCommittee {
      id } ... on Consultation { id } } }`;
    const reps = [
      { __typename: 'ProfessionalCommittee', id: k.id },
      { __typename: 'Consultation', id: a.id },
      { __typename: 'Consultation', id: b.id },
    ];
    expect(dataOf(await direct(ENTS, { r: reps }, o.ngoB))._entities).toEqual([{ id: k.id }, null, { id: b.id }]);
    expect(dataOf(await direct(ENTS, { r: reps }, o.county))._entities).toEqual([
      { id: k.id },
      { id: a.id },
      { id: b.id },
    ]);
    expect(dataOf(await direct(ENTS, { r: reps }, o.otherCounty))._entities).toEqual([null, null, null]);
    expect(dataOf(await direct(`{ committees { totalCount } }`, {}, o.otherCounty)).committees.totalCount).toBe(0);
    // Audited: the committee and its two members, each consultation and the one advice; no refused attempt.
    expect(await sys.audits('social-orgs', k.id)).toEqual([
      { action: 'committee.create', role: 'county' },
      { action: 'committee.add_member', role: 'county' },
      { action: 'committee.add_member', role: 'county' },
    ]);
    expect(await sys.audits('social-orgs', a.id)).toEqual([
      { action: 'consultation.request', role: 'ngo_member' },
      { action: 'consultation.advice', role: 'county' },
    ]);
    expect(await sys.audits('social-orgs', b.id)).toEqual([{ action: 'consultation.request', role: 'ngo_member' }]);
  });

  it('refuses bad committees and consultations typed, writing nothing', async () => {
    const before = await sys.sql(
      `SELECT (SELECT count(*) FROM social_orgs.committee)::int AS k, (SELECT count(*)
        FROM social_orgs.consultation)::int AS c`,
    );
    expect(
      errorOf(
        await sys.query(
          `mutation($i: CreateCommitteeInput!) { createCommittee(input: $i) { id } }`,
          { i: { name: '外县', field: '法律', regionCode: '530103' } },
          o.county,
        ),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      errorOf(
        await sys.query(
          `mutation($i: CreateCommitteeInput!) { createCommittee(input: $i) { id } }`,
          { i: { name: ' ', field: '法律', regionCode: '530102' } },
          o.county,
        ),
      ),
    ).toMatchObject({ field: 'input.name' });
    expect(
      errorOf(await direct(CONSULT, { i: { committeeId: randomUUID(), topic: 't', problem: 'p' } }, o.ngoA)),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await sys.sql(
        `SELECT (SELECT count(*) FROM social_orgs.committee)::int AS k, (SELECT count(*)
          FROM social_orgs.consultation)::int AS c`,
      ),
    ).toEqual(before);
  });
});
