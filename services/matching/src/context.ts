import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byGroupLoader, byIdLoader, lazyObject, type RequestBase } from '@anju/kit';
import { DemandService, type DemandRow, type SiteDemandCounts } from './demand/demand.service';
import { UnitService, type UnitRow } from './unit/unit.service';
import {
  VolunteerService,
  type AssignmentRow,
  type ServiceRecordRow,
  type VolunteerRow,
} from './volunteer/volunteer.service';

export interface MatchingContext extends RequestBase {
  db: DataSource;
  demands: DemandService;
  units: UnitService;
  volunteers: VolunteerService;
  loaders: {
    demand: DataLoader<string, DemandRow | null>;
    siteDemandCounts: DataLoader<string, SiteDemandCounts>;
    history: ReturnType<DemandService['historyLoader']>;
    unit: DataLoader<string, UnitRow | null>;
    volunteer: DataLoader<string, VolunteerRow | null>;
    assignmentsOfDemand: DataLoader<string, AssignmentRow[]>;
    serviceRecordsOfVolunteer: DataLoader<string, ServiceRecordRow[]>;
  };
}

/**
 * Services are per request because they carry the caller; loaders batch and cache per request.
 * Each is built on first use: a dashboard's open-demand count touches one service and one loader.
 */
export function buildContext(db: DataSource) {
  return (base: RequestBase): MatchingContext => {
    const p = base.principal;
    const now = () => base.clock.now();
    return lazyObject<Omit<MatchingContext, keyof RequestBase>, RequestBase>(
      {
        db: () => db,
        demands: () => new DemandService(db, p, now),
        units: () => new UnitService(db, p),
        volunteers: () => new VolunteerService(db, p, now),
        loaders: (c) =>
          lazyObject<MatchingContext['loaders']>({
            demand: () => byIdLoader((ids) => c.demands.byIds(ids)),
            siteDemandCounts: () => c.demands.siteCountsLoader(),
            history: () => c.demands.historyLoader(),
            unit: () => byIdLoader((ids) => c.units.byIds(ids)),
            volunteer: () => byIdLoader((ids) => c.volunteers.byIds(ids)),
            assignmentsOfDemand: () =>
              byGroupLoader(
                (ids) => c.volunteers.assignmentsOfDemands(ids),
                (a) => a.demandId,
              ),
            serviceRecordsOfVolunteer: () =>
              byGroupLoader(
                (ids) => c.volunteers.recordsOfVolunteers(ids),
                (r) => r.volunteerId,
              ),
          }),
      },
      base,
    );
  };
}
