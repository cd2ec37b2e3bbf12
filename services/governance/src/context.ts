import type { DataSource } from 'typeorm';
import { byIdLoader, byKeyLoader, type PersonalDataVault, type RequestBase } from '@anju/kit';
import type DataLoader from 'dataloader';
import { SiteService, type SiteRow } from './site/site.service';
import { HouseholdService, type HouseholdRow } from './household/household.service';
import { ResidentService, type ResidentRow } from './resident/resident.service';
import { RegionService } from './region/region.service';
import type { Region } from './region/region.entity';

export interface GovernanceDeps {
  db: DataSource;
  vault: PersonalDataVault;
}

export interface GovernanceContext extends RequestBase {
  regions: RegionService;
  sites: SiteService;
  households: HouseholdService;
  residents: ResidentService;
  loaders: {
    region: DataLoader<string, Region | null>;
    site: DataLoader<string, SiteRow | null>;
    household: DataLoader<string, HouseholdRow | null>;
    resident: DataLoader<string, ResidentRow | null>;
    residentsOfHousehold: DataLoader<string, ResidentRow[]>;
    siteCounts: DataLoader<string, { households: number; residents: number }>;
  };
}

/** Services are per request because they carry the caller; loaders batch and cache per request. */
export function buildContext(deps: GovernanceDeps) {
  return (base: RequestBase): GovernanceContext => {
    const regions = new RegionService(deps.db, base.principal);
    const sites = new SiteService(deps.db, base.principal);
    const households = new HouseholdService(deps.db, base.principal);
    const residents = new ResidentService(deps.db, deps.vault, base.principal, households);
    return {
      ...base,
      regions,
      sites,
      households,
      residents,
      loaders: {
        region: byKeyLoader((codes) => regions.byCodes(codes), (r) => r.code),
        site: byIdLoader((ids) => sites.byIds(ids)),
        household: byIdLoader((ids) => households.byIds(ids)),
        resident: byIdLoader((ids) => residents.byIds(ids)),
        residentsOfHousehold: residents.householdMembersLoader(),
        siteCounts: sites.countsLoader(),
      },
    };
  };
}
