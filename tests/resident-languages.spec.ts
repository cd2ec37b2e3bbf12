import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, type Place } from '@anju/testing';

const JOB_DEMANDS = `query($h: ID!) { demands(householdId: $h) { nodes { category languages } } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateResidentInput!) { updateResident(id: $id, input: $i) { id languages } }`;

/**
 * Residents' languages (彝语, 苗语…), from registration through the events to matching: a household
 * none of whose members speaks 普通话 gets job-help demands that ask for the language most of them
 * speak, so matching proposes a volunteer who can talk with them; when a member's languages change,
 * the household's open demand follows.
 */
describe('the languages residents speak reach the demands raised for them', () => {
  let sys: TestSystem;
  let place: Place;
  const ok = async (query: string, vars: Record<string, unknown>) =>
    dataOf(await sys.query(query, vars, place.provinceToken));
  const register = async (household: string, seq: number, languages: string[]) =>
    (await ok(REGISTER_RESIDENT, { i: residentInput(household, seq, { languages }) })).registerResident.id as string;
  const jobDemands = async (household: string) =>
    ((await ok(JOB_DEMANDS, { h: household })).demands.nodes as { category: string; languages: string[] }[]).filter(
      (d) => d.category === 'JOB_HELP',
    );

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'languages',
      apis: ['governance', 'employment', 'matching'],
      workers: ['governance', 'employment', 'matching'],
    });
    place = await seedPlace(sys, 2);
    await sys.waitForIdle();
  }, 120_000);
  afterAll(() => sys?.stop(), 60_000);

  it('asks for the language most members speak when none speaks 普通话, and for none when one does', async () => {
    const [yiHousehold, mixedHousehold] = place.householdIds;
    await register(yiHousehold, 1, ['彝语']);
    await register(yiHousehold, 2, [' 彝语', '哈尼语', '彝语']);
    const mandarin = await register(mixedHousehold, 3, ['彝语']);
    const second = await register(mixedHousehold, 4, ['普通话', '彝语']);
    await sys.waitForIdle(60_000);
    expect(
      (await ok(`query($id: ID!) { resident(id: $id) { languages } }`, { id: second })).resident.languages,
    ).toEqual(['普通话', '彝语']);
    expect(await jobDemands(yiHousehold)).toEqual([{ category: 'JOB_HELP', languages: ['彝语'] }]);
    expect(await jobDemands(mixedHousehold)).toEqual([{ category: 'JOB_HELP', languages: [] }]);

    // The member who spoke 普通话 is recorded again without it: the household's open demand now asks for 彝语.
    expect((await ok(UPDATE, { id: second, i: { languages: ['彝语'] } })).updateResident.languages).toEqual(['彝语']);
    await sys.waitForIdle(60_000);
    expect(await jobDemands(mixedHousehold)).toEqual([{ category: 'JOB_HELP', languages: ['彝语'] }]);
    expect(
      await sys.sql(`SELECT languages FROM matching.resident_directory WHERE resident_id = $1`, [mandarin]),
    ).toEqual([{ languages: ['彝语'] }]);
  });

  it('refuses too many languages or an empty name with a typed error, writing nothing', async () => {
    const before = await sys.sql(`SELECT count(*)::int AS n FROM governance.resident`);
    const nine = ['彝语', '苗语', '哈尼语', '傣语', '白语', '壮语', '傈僳语', '拉祜语', '佤语'];
    for (const [languages, field] of [
      [nine, 'input.languages'],
      [['彝语', ' '], 'input.languages[1]'],
    ] as const) {
      const answer = await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(place.householdIds[1], 9, { languages }) },
        place.provinceToken,
      );
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await sys.sql(`SELECT count(*)::int AS n FROM governance.resident`)).toEqual(before);
  });
});
