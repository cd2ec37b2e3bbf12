import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, type RequestBase } from '@anju/kit';
import { OrganizationService, type OrganizationRow } from './organization/organization.service';

export interface SocialOrgsContext extends RequestBase {
  organizations: OrganizationService;
  loaders: { organization: DataLoader<string, OrganizationRow | null> };
}

export function buildContext(db: DataSource) {
  return (base: RequestBase): SocialOrgsContext => {
    const organizations = new OrganizationService(db, base.principal);
    return { ...base, organizations, loaders: { organization: byIdLoader((ids) => organizations.byIds(ids)) } };
  };
}
