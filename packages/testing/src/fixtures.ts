import { dataOf } from './graphql-client';
import { nationalId } from './national-ids';
import { tokenFor } from './tokens';
import type { TestSystem } from './system';

export interface Place {
  provinceToken: string;
  countyCode: string;
  siteIds: string[];
  householdIds: string[];
}

/**
 * Yunnan (53) → Kunming (5301) → Wuhua (530102), with `sites` sites and one household each,
 * registered through the gateway as a province officer would.
 */
export async function seedPlace(sys: TestSystem, sites = 2): Promise<Place> {
  const provinceToken = await tokenFor({ role: 'province', regions: ['53'] });
  for (const [code, name] of [
    ['53', '云南省'],
    ['5301', '昆明市'],
    ['530102', '五华区'],
  ]) {
    dataOf(
      await sys.query(
        `mutation($i: RegisterRegionInput!) { registerRegion(input: $i) { code } }`,
        { i: { code, name } },
        provinceToken,
      ),
    );
  }
  const siteIds: string[] = [];
  const householdIds: string[] = [];
  for (let i = 0; i < sites; i++) {
    const site = dataOf(
      await sys.query<{ registerSite: { id: string } }>(
        `mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }`,
        {
          i: {
            regionCode: '530102',
            name: `安置点${i + 1}`,
            address: `五华区安居路${i + 1}号`,
            latitude: 25.05 + i / 100,
            longitude: 102.7,
            plannedHouseholds: 300,
          },
        },
        provinceToken,
      ),
    );
    siteIds.push(site.registerSite.id);
    const hh = dataOf(
      await sys.query<{ registerHousehold: { id: string } }>(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId: site.registerSite.id, householdNumber: `HH-${i + 1}-001`, address: '1栋1单元101' } },
        provinceToken,
      ),
    );
    householdIds.push(hh.registerHousehold.id);
  }
  return { provinceToken, countyCode: '530102', siteIds, householdIds };
}

export const REGISTER_RESIDENT = `mutation($i: RegisterResidentInput!) {
  registerResident(input: $i) { id name nationalIdMasked gender age phoneMasked labourCapacity }
}`;

/** Input for a resident with a valid, unique ID number (vary `sequence`). */
export function residentInput(householdId: string, sequence: number, overrides: Record<string, unknown> = {}) {
  return {
    householdId,
    name: `居民${sequence}`,
    nationalId: nationalId('530102', '19850312', sequence),
    ethnicity: '彝族',
    phone: '13812341234',
    labourCapacity: 'FULL',
    canWorkAway: false,
    wantsWork: true,
    relationToHead: sequence === 1 ? 'HEAD' : 'CHILD',
    ...overrides,
  };
}

/**
 * A second county, 盘龙区 (530103), with one site (盘龙家园) and one household whose head is `head`,
 * registered by the province: what another county's clerk may see, for tests of scope.
 */
export async function seedOtherCounty(
  sys: TestSystem,
  provinceToken: string,
  head: { nationalId: string; name: string },
): Promise<{ siteId: string; householdId: string }> {
  dataOf(
    await sys.query(
      `mutation($i: RegisterRegionInput!) { registerRegion(input: $i) { code } }`,
      { i: { code: '530103', name: '盘龙区' } },
      provinceToken,
    ),
  );
  const site = {
    regionCode: '530103',
    name: '盘龙家园',
    address: '盘龙区1号',
    latitude: 25.1,
    longitude: 102.7,
    plannedHouseholds: 100,
  };
  const siteId = dataOf(
    await sys.query<{ registerSite: { id: string } }>(
      `mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }`,
      { i: site },
      provinceToken,
    ),
  ).registerSite.id;
  const householdId = dataOf(
    await sys.query<{ registerHousehold: { id: string } }>(
      `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
      { i: { siteId, householdNumber: 'PL-1', address: '1栋1单元101' } },
      provinceToken,
    ),
  ).registerHousehold.id;
  const resident = residentInput(householdId, 1, { ...head, relationToHead: 'HEAD' });
  dataOf(await sys.query(REGISTER_RESIDENT, { i: resident }, provinceToken));
  return { siteId, householdId };
}
