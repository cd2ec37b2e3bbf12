import { DemandTransition } from './demand/demand-transition.entity';
import { Demand } from './demand/demand.entity';
import { Unit } from './unit/unit.entity';
import { Assignment, ServiceRecord, Volunteer, VolunteerAvailability } from './volunteer/volunteer.entity';
import { migrations } from './migrations';

/** Matching's tables live in the `matching` schema. */
export const matchingData = {
  schema: 'matching',
  entities: [Demand, DemandTransition, Unit, Volunteer, VolunteerAvailability, Assignment, ServiceRecord],
  migrations,
  runtimeRole: 'matching_app',
};
