import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, type RequestBase } from '@anju/kit';
import { DemandService, type DemandRow } from './demand/demand.service';

export interface MatchingContext extends RequestBase {
  demands: DemandService;
  loaders: { demand: DataLoader<string, DemandRow | null>; openDemandCount: DataLoader<string, number> };
}

export function buildContext(db: DataSource) {
  return (base: RequestBase): MatchingContext => {
    const demands = new DemandService(db, base.principal);
    return { ...base, demands, loaders: { demand: byIdLoader((ids) => demands.byIds(ids)), openDemandCount: demands.openCountLoader() } };
  };
}
