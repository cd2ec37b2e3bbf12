import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byGroupLoader, byIdLoader, type RequestBase } from '@anju/kit';
import { DemandService, type DemandRow } from './demand/demand.service';
import { UnitService, type UnitRow } from './unit/unit.service';
import { VolunteerService, type AssignmentRow, type ServiceRecordRow, type VolunteerRow } from './volunteer/volunteer.service';

export interface MatchingContext extends RequestBase {
  db: DataSource;
  demands: DemandService;
  units: UnitService;
  volunteers: VolunteerService;
  loaders: {
    demand: DataLoader<string, DemandRow | null>;
    openDemandCount: DataLoader<string, number>;
    history: ReturnType<DemandService['historyLoader']>;
    unit: DataLoader<string, UnitRow | null>;
    volunteer: DataLoader<string, VolunteerRow | null>;
    assignmentsOfDemand: DataLoader<string, AssignmentRow[]>;
    serviceRecordsOfVolunteer: DataLoader<string, ServiceRecordRow[]>;
  };
}

export function buildContext(db: DataSource) {
  return (base: RequestBase): MatchingContext => {
    const now = () => base.clock.now();
    const demands = new DemandService(db, base.principal, now);
    const units = new UnitService(db, base.principal);
    const volunteers = new VolunteerService(db, base.principal, now);
    return {
      ...base, db, demands, units, volunteers,
      loaders: {
        demand: byIdLoader((ids) => demands.byIds(ids)),
        openDemandCount: demands.openCountLoader(),
        history: demands.historyLoader(),
        unit: byIdLoader((ids) => units.byIds(ids)),
        volunteer: byIdLoader((ids) => volunteers.byIds(ids)),
        assignmentsOfDemand: byGroupLoader((ids) => volunteers.assignmentsOfDemands(ids), (a) => a.demandId),
        serviceRecordsOfVolunteer: byGroupLoader((ids) => volunteers.recordsOfVolunteers(ids), (r) => r.volunteerId),
      },
    };
  };
}
