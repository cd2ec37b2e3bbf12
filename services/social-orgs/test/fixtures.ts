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

/** Two partner NGOs serving Wuhua (530102), registered by the province, with a member token each. */
export async function twoOrganizations(sys: TestSystem, provinceToken?: string): Promise<Orgs> {
  const province = provinceToken ?? (await tokenFor({ role: 'province', regions: ['53'] }));
  const reg = async (name: string, kind: string) =>
    dataOf(await sys.query<{ registerOrganization: { id: string } }>(
      `mutation($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
      { i: { name, kind, serviceRegionCodes: ['530102'] } },
      province,
    )).registerOrganization.id;
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
