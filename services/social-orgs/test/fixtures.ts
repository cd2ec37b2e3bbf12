import { randomUUID } from 'node:crypto';
import { addDays, provinceDate, type Clock } from '@anju/kit';
import { dataOf, tokenFor, type TestSystem } from '@anju/testing';

export interface Orgs {
  province: string;
  /** County officer of 530102, where both organizations work. */
  county: string;
  /** County officer of another county (530103): sees neither organization. */
  otherCounty: string;
  orgA: string;
  orgB: string;
  ngoA: string;
  ngoB: string;
}

let counter = 0;

/** An organization the province registers, serving `serviceRegionCodes`; its id. */
export async function registerOrganization(
  sys: TestSystem,
  provinceToken: string,
  name: string,
  kind: string,
  serviceRegionCodes = ['530102'],
): Promise<string> {
  return dataOf(
    await sys.query<{ registerOrganization: { id: string } }>(
      `mutation($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
      { i: { name, kind, serviceRegionCodes } },
      provinceToken,
    ),
  ).registerOrganization.id;
}

/** Two partner NGOs serving Wuhua (530102), registered by the province, with a member token each. */
export async function twoOrganizations(sys: TestSystem, provinceToken?: string): Promise<Orgs> {
  const province = provinceToken ?? (await tokenFor({ role: 'province', regions: ['53'] }));
  const reg = (name: string, kind: string) => registerOrganization(sys, province, name, kind);
  const n = ++counter;
  const orgA = await reg(`阳光社工服务中心${n}`, 'PROFESSIONAL');
  const orgB = await reg(`彩虹公益协会${n}`, 'PUBLIC_WELFARE');
  return {
    province,
    county: await tokenFor({ role: 'county', regions: ['530102'] }),
    otherCounty: await tokenFor({ role: 'county', regions: ['530103'] }),
    orgA,
    orgB,
    ngoA: await tokenFor({ role: 'ngo_member', org: orgA, sub: 'ngo-a' }),
    ngoB: await tokenFor({ role: 'ngo_member', org: orgB, sub: 'ngo-b' }),
  };
}

/** An instant `days` days after the test clock's now, at `hour` o'clock UTC. */
export const inDays = (clock: Clock, days: number, hour = 14) => {
  const d = new Date(clock.now().getTime() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

/** The province date `days` days after the test clock's today (due dates, deadlines). */
export const dayIn = (clock: Clock, days: number) => addDays(provinceDate(clock.now()), days);

/** The first error's extensions, for typed-error assertions. */
export const errorOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions;

/** A site social-orgs knows, as governance's site.registered puts it in social-orgs' directory. */
export async function knownSite(sys: TestSystem, regionCode = '530102', id: string = randomUUID()): Promise<string> {
  await sys.sql(
    `INSERT INTO social_orgs.site_directory (site_id, region_code, name, latitude, longitude, planned_households)
      VALUES ($1, $2, $3, 25.05, 102.7, 300)
     ON CONFLICT (site_id) DO NOTHING`,
    [id, regionCode, `安置点 ${id.slice(0, 4)}`],
  );
  return id;
}

/** Residents living at a site, as governance's resident.registered puts them in social-orgs' directory. */
export async function knownResidents(
  sys: TestSystem,
  siteId: string,
  n: number,
  ids: string[] = Array.from({ length: n }, () => randomUUID()),
): Promise<string[]> {
  await sys.sql(
    `INSERT INTO social_orgs.resident_directory (resident_id, household_id, site_id, region_code)
     SELECT r, gen_random_uuid(), $2, s.region_code FROM unnest($1::uuid[]) r, social_orgs.site_directory s
       WHERE s.site_id = $2 ON CONFLICT DO NOTHING`,
    [ids, siteId],
  );
  return ids;
}

/** An instant `minutes` from now (negative: in the past), for activity windows open now. */
export const minutesFromNow = (clock: Clock, minutes: number) =>
  new Date(clock.now().getTime() + minutes * 60_000).toISOString();

/** An aid fund (帮扶资金) a county received, for payments out of it. */
export async function aidFund(
  sys: TestSystem,
  officer: string,
  amountYuan = 1_000_000,
  regionCode = '530102',
  source = 'FISCAL',
): Promise<string> {
  return dataOf(
    await sys.query<{ receiveAidFund: { id: string } }>(
      `mutation($i: ReceiveAidFundInput!) { receiveAidFund(input: $i) { id } }`,
      { i: { regionCode, source, name: `${regionCode} 帮扶资金 ${++counter}`, amountYuan, receivedOn: '2026-01-15' } },
      officer,
    ),
  ).receiveAidFund.id;
}
