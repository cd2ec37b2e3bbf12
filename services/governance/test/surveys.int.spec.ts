import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { parseServiceSchema } from '@anju/kit';
import { TestSystem, dataOf, fileRequest, rootOf, sheetRows, tokenFor } from '@anju/testing';
import { registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * Satisfaction and belonging surveys through the gateway: residents answer anonymously, once;
 * officers read only aggregates of at least 10 residents; named needs reach the demand list in
 * matching. The anonymity is attacked: by query shapes, the schema, exports and the database's columns.
 */
describe('surveys (governance → matching)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let root: string;
  /** 12 residents in building 1, 3 in building 2. */
  let inB1: string[];
  let inB2: string[];
  let tokens: Map<string, string>;
  let otherSiteResident: string;
  let otherCounty: string;
  const DAY = 86_400_000;
  const CREATE = `mutation($i: CreateSurveyInput!) { createSurvey(input: $i) { id status questions {
    no kind scaleMax options } } }`;
  const ANSWER = `mutation($s: ID!, $a: [SurveyAnswerInput!]!) { answerSurvey(surveyId: $s, answers: $a) {
    surveyId accepted } }`;
  const RESULTS = `query($s: ID!) { surveyResults(surveyId: $s) { minimumGroupSize respondents hiddenGroups
    groups { wholeSite building { name } respondents questions { no kind mean answers { answer count } } } } }`;
  const surveyInput = (over: Record<string, unknown> = {}) => ({
    siteId: n.siteId,
    kind: 'SATISFACTION',
    title: '2026年度居民满意度调查',
    closesAt: new Date(sys.clock.now().getTime() + 7 * DAY).toISOString(),
    questions: [
      { text: '您对社区服务的总体满意度', kind: 'SCALE', scaleMax: 5 },
      { text: '您觉得这里是自己的家吗', kind: 'CHOICE', options: ['是', '还不太是', '不是'] },
      { text: '您家目前最需要哪些帮助', kind: 'NEED' },
    ],
    ...over,
  });
  const stored = async () =>
    (
      await sys.sql(`SELECT (SELECT count(*) FROM governance.survey)::int AS s, (SELECT count(*)
        FROM governance.survey_respondent)::int AS r,
    (SELECT coalesce(sum(count), 0)::int FROM governance.survey_tally) AS t, (SELECT coalesce(sum(respondents),
      0)::int FROM governance.survey_group) AS g`)
    )[0];

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'gov-surveys',
      apis: ['governance', 'matching'],
      workers: ['governance', 'matching'],
    });
    root = rootOf(sys.urls.gateway!);
    n = await seedNeighbourhood(sys);
    inB1 = await registerResidents(
      sys,
      n.officer,
      Array.from({ length: 12 }, (_, i) => ({ householdId: n.householdIds[0], seq: i + 1 })),
    );
    inB2 = await registerResidents(
      sys,
      n.officer,
      Array.from({ length: 3 }, (_, i) => ({ householdId: n.householdIds[1], seq: 20 + i })),
    );
    tokens = new Map();
    for (const id of [...inB1, ...inB2])
      tokens.set(id, await tokenFor({ role: 'resident', resident: id, sites: [n.siteId], sub: `resident-${id}` }));
    const [otherHousehold] = await sys.sql(`SELECT id FROM governance.household WHERE site_id = $1 LIMIT 1`, [
      n.siteIds[1],
    ]);
    const [other] = await registerResidents(sys, n.provinceToken, [{ householdId: otherHousehold.id, seq: 40 }]);
    otherSiteResident = await tokenFor({
      role: 'resident',
      resident: other,
      sites: [n.siteIds[1]],
      sub: 'resident-elsewhere',
    });
    otherCounty = await tokenFor({ role: 'county', regions: ['530103'], sub: 'county-elsewhere' });
    await sys.waitForIdle(60_000);
  });
  afterAll(() => sys?.stop());

  /**
   * The answers of surveyInput()'s questions of building 1's resident i (b2 false: scale 4 or 5, everyone feels at
   * home, 5 name elderly care, 2 job help) or building 2's (scale 2, "not yet", child care).
   */
  const answersOf = (i: number, b2: boolean) => [
    { questionNo: 1, scale: b2 ? 2 : 4 + (i % 2) },
    { questionNo: 2, choice: b2 ? 1 : 0 },
    {
      questionNo: 3,
      needs: b2 ? ['CHILD_CARE'] : [...(i < 5 ? ['ELDERLY_CARE'] : []), ...(i < 2 ? ['JOB_HELP'] : [])],
    },
  ];
  /** The site's 15 residents answer survey `s` (building 1's from its resident `from` on, then building 2's). */
  const answerAll = async (s: string, from = 0) => {
    for (const [i, id] of inB1.entries())
      if (i >= from) dataOf(await sys.query(ANSWER, { s, a: answersOf(i, false) }, tokens.get(id)));
    for (const [i, id] of inB2.entries()) dataOf(await sys.query(ANSWER, { s, a: answersOf(i, true) }, tokens.get(id)));
  };
  /** An open survey of surveyInput()'s questions, for a test of its own. */
  const openSurvey = async () =>
    dataOf(await sys.query(CREATE, { i: surveyInput() }, n.officer)).createSurvey.id as string;

  it('a survey created, answered once per resident, closed: groups under 10 hidden, needs become demands', async () => {
    let surveyId: string;
    // Officers create it for their site; bad questions and other places are refused with typed errors, writing nothing.
    {
      const before = await stored();
      const fail = async (i: Record<string, unknown>, t = n.officer) =>
        (await sys.query(CREATE, { i }, t)).errors?.[0].extensions;
      expect(await fail(surveyInput({ questions: [{ text: '满意度', kind: 'SCALE', scaleMax: 2 }] }))).toMatchObject({
        field: 'input.questions.0.scaleMax',
        reason: 'RANGE',
      });
      expect(
        await fail(surveyInput({ questions: [{ text: '选择', kind: 'CHOICE', options: ['只有一个'] }] })),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.questions.0.options' });
      expect(await fail(surveyInput({ questions: [] }))).toMatchObject({ field: 'input.questions', reason: 'COUNT' });
      expect(
        await fail(surveyInput({ closesAt: new Date(sys.clock.now().getTime() - 1000).toISOString() })),
      ).toMatchObject({ field: 'input.closesAt', reason: 'PAST' });
      expect(await fail(surveyInput(), otherCounty)).toMatchObject({ code: 'FORBIDDEN' });
      expect(await fail(surveyInput(), tokens.get(inB1[0]))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await stored()).toEqual(before);
      const s = dataOf(await sys.query(CREATE, { i: surveyInput() }, n.officer)).createSurvey;
      expect(s).toMatchObject({
        status: 'OPEN',
        questions: [
          { no: 1, kind: 'SCALE', scaleMax: 5 },
          { no: 2, kind: 'CHOICE', options: ['是', '还不太是', '不是'] },
          { no: 3, kind: 'NEED', options: [] },
        ],
      });
      surveyId = s.id;
      expect(
        (await sys.query(`query($s: ID!) { survey(id: $s) { id } }`, { s: surveyId }, otherSiteResident)).data?.survey,
      ).toBeNull();
      expect(
        (await sys.query(`query($s: ID!) { survey(id: $s) { id } }`, { s: surveyId }, otherCounty)).data?.survey,
      ).toBeNull();
    }
    // Each resident answers once: a second answer, even sent twice at the same moment, is refused.
    {
      const first = inB1[0];
      const both = await Promise.all(
        [0, 1].map(() => sys.query(ANSWER, { s: surveyId, a: answersOf(0, false) }, tokens.get(first))),
      );
      expect(both.filter((r) => !r.errors).map((r) => r.data!.answerSurvey)).toEqual([{ surveyId, accepted: true }]);
      expect(both.find((r) => r.errors)!.errors![0].extensions).toMatchObject({
        code: 'CONFLICT',
        field: 'surveyId',
        reason: 'ALREADY_ANSWERED',
      });
      await answerAll(surveyId, 1);
      const again = await sys.query(ANSWER, { s: surveyId, a: answersOf(3, true) }, tokens.get(inB2[0]));
      expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_ANSWERED' });
      // This survey's respondents and group counts (another test's surveys may be stored too).
      const [mine] = await sys.sql(
        `SELECT (SELECT count(*) FROM governance.survey_respondent WHERE survey_id = $1)::int AS r,
          (SELECT coalesce(sum(respondents), 0) FROM governance.survey_group WHERE survey_id = $1)::int AS g`,
        [surveyId],
      );
      expect(mine).toMatchObject({ r: 15, g: 15 });
      const seen = async (t: string) =>
        dataOf(
          await sys.query(`query($s: ID!) { survey(id: $s) { respondentCount answeredByMe } }`, { s: surveyId }, t),
        ).survey;
      expect(await seen(n.officer)).toEqual({ respondentCount: 15, answeredByMe: false });
      expect(await seen(tokens.get(inB2[1])!)).toEqual({ respondentCount: null, answeredByMe: true });
    }
    // No results while open, none to residents, and none of a group under 10 (nor one that subtraction would reveal).
    {
      expect((await sys.query(RESULTS, { s: surveyId }, n.officer)).errors![0].extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'NOT_CLOSED',
      });
      dataOf(await sys.query(`mutation($s: ID!) { closeSurvey(surveyId: $s) { status } }`, { s: surveyId }, n.officer));
      expect((await sys.query(RESULTS, { s: surveyId }, tokens.get(inB1[0]))).errors![0].extensions).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect((await sys.query(RESULTS, { s: surveyId }, otherCounty)).errors![0].extensions).toMatchObject({
        code: 'NOT_FOUND',
      });
      const r = dataOf(await sys.query(RESULTS, { s: surveyId }, n.officer)).surveyResults;
      // Building 2 (3 residents) is hidden; building 1 (12) too, since the site minus building 1 would be building 2.
      expect(r).toMatchObject({ minimumGroupSize: 10, respondents: 15, hiddenGroups: 2 });
      expect(r.groups).toHaveLength(1);
      const site = r.groups[0];
      expect(site).toMatchObject({ wholeSite: true, building: null, respondents: 15 });
      expect(site.questions[0].answers).toEqual([
        { answer: '1', count: 0 },
        { answer: '2', count: 3 },
        { answer: '3', count: 0 },
        { answer: '4', count: 6 },
        { answer: '5', count: 6 },
      ]);
      expect(site.questions[0].mean).toBeCloseTo((3 * 2 + 6 * 4 + 6 * 5) / 15, 2);
      expect(site.questions[1].answers).toEqual([
        { answer: '是', count: 12 },
        { answer: '还不太是', count: 3 },
        { answer: '不是', count: 0 },
      ]);
      expect(site.questions[2].answers).toEqual(
        expect.arrayContaining([
          { answer: 'elderly_care', count: 5 },
          { answer: 'job_help', count: 2 },
          { answer: 'child_care', count: 3 },
        ]),
      );
    }
    // The needs named become demands on the site's demand list, with counts and no household.
    {
      await sys.waitForIdle(60_000);
      const page = dataOf(
        await sys.query(
          `query($s: ID!) { demands(siteId: $s) { nodes { category description householdId status } } }`,
          { s: n.siteId },
          n.officer,
        ),
      ).demands;
      const fromSurvey = page.nodes
        .filter((d: { description: string }) => d.description.includes('居民调查'))
        .sort((a: { category: string }, b: { category: string }) => a.category.localeCompare(b.category));
      expect(
        fromSurvey.map((d: { category: string; householdId: string | null }) => [d.category, d.householdId]),
      ).toEqual([
        ['CHILD_CARE', null],
        ['ELDERLY_CARE', null],
        ['JOB_HELP', null],
      ]);
      expect(fromSurvey.find((d: { category: string }) => d.category === 'ELDERLY_CARE').description).toContain(
        '5位居民',
      );
      // The events carry counts only.
      const payloads = await sys.sql(
        `SELECT payload FROM governance.outbox WHERE event = 'survey.needs_reported' ORDER BY payload->>'need'`,
      );
      expect(payloads.map((p: { payload: Record<string, unknown> }) => Object.keys(p.payload).sort())).toEqual(
        Array(3).fill(['closedOn', 'need', 'regionCode', 'residents', 'siteId', 'surveyId']),
      );
    }
  });

  it('refuses malformed answers with typed errors and counts nothing', async () => {
    const surveyId = await openSurvey();
    const before = await stored();
    const t = tokens.get(inB1[0])!;
    const fail = async (a: unknown[]) => (await sys.query(ANSWER, { s: surveyId, a }, t)).errors?.[0].extensions;
    expect(
      await fail([
        { questionNo: 1, scale: 3 },
        { questionNo: 2, choice: 0 },
      ]),
    ).toMatchObject({ field: 'answers', reason: 'MISSING' });
    expect(
      await fail([
        { questionNo: 1, scale: 6 },
        { questionNo: 2, choice: 0 },
        { questionNo: 3, needs: [] },
      ]),
    ).toMatchObject({ field: 'answers.0.scale', reason: 'RANGE' });
    expect(
      await fail([
        { questionNo: 1, choice: 1 },
        { questionNo: 2, choice: 0 },
        { questionNo: 3, needs: [] },
      ]),
    ).toMatchObject({ field: 'answers.0', reason: 'WRONG_KIND' });
    expect(
      await fail([
        { questionNo: 1, scale: 3 },
        { questionNo: 2, choice: 3 },
        { questionNo: 3, needs: [] },
      ]),
    ).toMatchObject({ field: 'answers.1.choice', reason: 'RANGE' });
    expect(
      await fail([
        { questionNo: 1, scale: 3 },
        { questionNo: 1, scale: 4 },
        { questionNo: 2, choice: 0 },
        { questionNo: 3, needs: [] },
      ]),
    ).toMatchObject({ reason: 'DUPLICATE' });
    expect(
      await fail([
        { questionNo: 1, scale: 3 },
        { questionNo: 2, choice: 0 },
        { questionNo: 3, needs: [] },
        { questionNo: 9, scale: 1 },
      ]),
    ).toMatchObject({ field: 'answers.3.questionNo', reason: 'UNKNOWN' });
    const elsewhere = await sys.query(
      ANSWER,
      {
        s: surveyId,
        a: [
          { questionNo: 1, scale: 3 },
          { questionNo: 2, choice: 0 },
          { questionNo: 3, needs: [] },
        ],
      },
      otherSiteResident,
    );
    expect(elsewhere.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await sys.query(ANSWER, { s: surveyId, a: [] }, n.officer)).errors![0].extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await stored()).toEqual(before);
  });

  it('shows a building of 10 or more when what is hidden is none or 10 or more', async () => {
    const s = dataOf(
      await sys.query(
        CREATE,
        {
          i: surveyInput({
            kind: 'BELONGING',
            title: '归属感调查',
            questions: [{ text: '您有归属感吗', kind: 'SCALE', scaleMax: 3 }],
          }),
        },
        n.officer,
      ),
    ).createSurvey;
    for (const id of inB1)
      dataOf(await sys.query(ANSWER, { s: s.id, a: [{ questionNo: 1, scale: 3 }] }, tokens.get(id)));
    // Past its deadline nobody answers.
    sys.clock.advance(8 * DAY);
    const late = await sys.query(ANSWER, { s: s.id, a: [{ questionNo: 1, scale: 1 }] }, tokens.get(inB2[0]));
    expect(late.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'CLOSED' });
    dataOf(await sys.query(`mutation($s: ID!) { closeSurvey(surveyId: $s) { status } }`, { s: s.id }, n.officer));
    const r = dataOf(await sys.query(RESULTS, { s: s.id }, n.officer)).surveyResults;
    expect(r.hiddenGroups).toBe(0);
    expect(
      r.groups.map((g: { wholeSite: boolean; building: { name: string } | null; respondents: number }) => [
        g.wholeSite,
        g.building?.name ?? null,
        g.respondents,
      ]),
    ).toEqual([
      [true, null, 12],
      [false, '1栋', 12],
    ]);
  });

  it("links no answer to a resident: not through the schema, an export, or the database's columns", async () => {
    const surveyId = await openSurvey();
    await answerAll(surveyId);
    // The schema (introspection is off outside development: read the subgraph's SDL): no survey type reaches a
    // resident or a household, and a resident reaches no survey answer.
    const schema = buildSubgraphSchema({
      typeDefs: parseServiceSchema(path.join(__dirname, '..', 'src')),
    });
    for (const type of Object.values(schema.getTypeMap()).filter(
      (t) => t.name.startsWith('Survey') && isObjectType(t),
    )) {
      for (const f of Object.values((type as GraphQLObjectType).getFields())) {
        expect(`${type.name}.${f.name}: ${String(f.type)}`).not.toMatch(/Resident|Household|resident|household/);
      }
    }
    const residentFields = Object.keys((schema.getType('Resident') as GraphQLObjectType).getFields());
    expect(residentFields.filter((f) => /survey|answer/i.test(f))).toEqual([]);
    // Exports: none of survey answers; the residents' roll carries no survey column.
    expect((await fileRequest(root, '/files/governance/exports/survey-answers', { token: n.officer })).status).toBe(
      404,
    );
    const roll = await fileRequest(root, `/files/governance/exports/residents?siteId=${n.siteId}`, {
      token: n.officer,
    });
    expect(roll.status).toBe(200);
    expect((await sheetRows(roll.bytes!))[0].join(' ')).not.toMatch(/调查|满意|归属|问卷/);
    // The database: the respondent record holds who and which survey only — no time, no sequence, no answer;
    // the counters hold no resident, household, time or sequence; nothing else stores an answer.
    const columns = await sys.sql(`SELECT table_name AS t, column_name AS c, data_type AS d, column_default AS def,
        is_identity AS ident
      FROM information_schema.columns WHERE table_schema = 'governance' AND table_name LIKE 'survey%'
        ORDER BY table_name, ordinal_position`);
    const of = (t: string) => columns.filter((c: { t: string }) => c.t === t).map((c: { c: string }) => c.c);
    expect(of('survey_respondent')).toEqual(['survey_id', 'resident_id']);
    expect(of('survey_tally')).toEqual(['survey_id', 'question_no', 'group_key', 'answer', 'count']);
    expect(of('survey_group')).toEqual(['survey_id', 'group_key', 'respondents']);
    for (const c of columns.filter((x: { t: string }) => x.t !== 'survey' && x.t !== 'survey_question')) {
      expect(`${c.t}.${c.c} ${c.d} ${c.def ?? ''} ${c.ident}`).not.toMatch(/timestamp|nextval|YES|serial/);
    }
    // The audit trail says who answered (as the respondent record does) and never what: one row per answer.
    const audits = await sys.sql(
      `SELECT entity_type AS t, entity_id AS e, detail FROM governance.audit_log WHERE action = 'survey.answer'`,
    );
    expect(audits.filter((a: { e: string }) => a.e === surveyId).length).toBe(15);
    expect(
      audits.every((a: { t: string; detail: object }) => a.t === 'Survey' && Object.keys(a.detail).length === 0),
    ).toBe(true);
    // An answer is never a row: a survey answered by 15 residents has at most one counter per question, building and
    // answer.
    const [{ rows }] = await sys.sql(`SELECT count(*)::int AS rows FROM governance.survey_tally WHERE survey_id = $1`, [
      surveyId,
    ]);
    expect(rows).toBeLessThanOrEqual(5 + 3 + 8 + 5 + 3 + 8);
  });

  it('links no answer to a resident through the row versions either, and takes one answer per resident', async () => {
    // Building 2: the first resident alone gives 1 (a rare answer), the two others give 5.
    const i = surveyInput({ title: '楼栋满意度', questions: [{ text: '您满意吗', kind: 'SCALE', scaleMax: 5 }] });
    const s = dataOf(await sys.query(CREATE, { i }, n.officer)).createSurvey;
    for (const [k, id] of inB2.entries()) {
      dataOf(await sys.query(ANSWER, { s: s.id, a: [{ questionNo: 1, scale: k === 0 ? 1 : 5 }] }, tokens.get(id)));
    }
    // PostgreSQL stamps each row version with the transaction that wrote it (xmin); the respondent record and
    // the audit row are written in the answer's transaction. Joining on it finds the group's latest respondent
    // only, and with them every counter of the group (zeros included): nothing of what they, or anyone, said.
    const joined: { who: string; answer: string; count: number }[] = await sys.sql(
      `SELECT r.resident_id AS who, t.answer, t.count FROM governance.survey_respondent r
         JOIN governance.survey_tally t ON t.survey_id = r.survey_id AND t.xmin = r.xmin
        WHERE r.survey_id = $1 ORDER BY t.answer`,
      [s.id],
    );
    expect(joined.map((j) => j.who)).toEqual(Array(5).fill(inB2[2]));
    expect(joined.map((j) => [j.answer, j.count])).toEqual([
      ['1', 1],
      ['2', 0],
      ['3', 0],
      ['4', 0],
      ['5', 2],
    ]);
    const viaAudit = await sys.sql(
      `SELECT DISTINCT a.actor_subject AS who FROM governance.audit_log a
      JOIN governance.survey_tally t ON t.xmin = a.xmin WHERE t.survey_id = $1`,
      [s.id],
    );
    expect(viaAudit).toEqual([{ who: `resident-${inB2[2]}` }]);
    // The counter only the first resident's answer went into carries no trace of their transaction.
    const [first] = await sys.sql(
      `SELECT xmin::text AS x FROM governance.survey_respondent
      WHERE survey_id = $1 AND resident_id = $2`,
      [s.id, inB2[0]],
    );
    const versions = await sys.sql(
      `SELECT DISTINCT xmin::text AS x FROM governance.survey_tally
      WHERE survey_id = $1`,
      [s.id],
    );
    expect(versions).toHaveLength(1);
    expect(versions[0].x).not.toBe(first.x);
    // A second answer is still refused, and touches no counter.
    const counters = () =>
      sys.sql(
        `SELECT answer, count, xmin::text AS x FROM governance.survey_tally
      WHERE survey_id = $1 ORDER BY answer`,
        [s.id],
      );
    const before = await counters();
    const again = await sys.query(ANSWER, { s: s.id, a: [{ questionNo: 1, scale: 3 }] }, tokens.get(inB2[0]));
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_ANSWERED' });
    expect(await counters()).toEqual(before);
  });
});
