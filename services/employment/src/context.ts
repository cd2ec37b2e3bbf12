import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byKeyLoader, type RequestBase } from '@anju/kit';
import { LabourProfileService, type LabourProfileRow } from './labour-profile/labour-profile.service';

export interface EmploymentContext extends RequestBase {
  labourProfiles: LabourProfileService;
  loaders: { labourProfile: DataLoader<string, LabourProfileRow | null> };
}

export function buildContext(db: DataSource) {
  return (base: RequestBase): EmploymentContext => {
    const labourProfiles = new LabourProfileService(db, base.principal);
    return {
      ...base,
      labourProfiles,
      loaders: { labourProfile: byKeyLoader((ids) => labourProfiles.byResidentIds(ids), (p) => p.residentId) },
    };
  };
}
