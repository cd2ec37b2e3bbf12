import { auditLogMigration, runtimeRoleMigration, tableDescriptionsMigration } from '@anju/kit';
import { SiteCounters1764400000000 } from './1764400000000-site-counters';
import { AssignmentsByDemand1764400100000 } from './1764400100000-assignments-by-demand';
import {
  EventBatches1764400000000,
  EventTables1764201600000,
  EventTraces1764700000000,
  SiteDirectory1764201650000,
} from '@anju/contracts';
import { Demands1764202000000 } from './1764202000000-demands';
import { ClaimsVolunteersAssignments1764340000000 } from './1764340000000-claims-volunteers-assignments';
import { ClosedGaps1764410000000 } from './1764410000000-closed-gaps';
import { ResidentLanguages1764530000000 } from './1764530000000-resident-languages';
import { OverdueDemandCount1764600100000 } from './1764600100000-overdue-demand-count';
import { MovedOutResidents1764700100000 } from './1764700100000-moved-out-residents';
import { SurveyNeeds1764800100000 } from './1764800100000-survey-needs';
import { TableDescriptions1765100000000 } from './1765100000000-table-descriptions';
import { VolunteerImports1765200000000 } from './1765200000000-volunteer-imports';

/** The schema's history, in order. Append; never edit a migration that has run anywhere. */
export const migrations = [
  EventTables1764201600000,
  SiteDirectory1764201650000,
  Demands1764202000000,
  ClaimsVolunteersAssignments1764340000000,
  runtimeRoleMigration('matching', 1764349000000),
  SiteCounters1764400000000,
  AssignmentsByDemand1764400100000,
  EventBatches1764400000000,
  ClosedGaps1764410000000,
  auditLogMigration('matching', 1764520000000),
  ResidentLanguages1764530000000,
  OverdueDemandCount1764600100000,
  EventTraces1764700000000,
  MovedOutResidents1764700100000,
  SurveyNeeds1764800100000,
  TableDescriptions1765100000000,
  VolunteerImports1765200000000,
  // Describes import_job, new here (the shared tables' descriptions are the kit's).
  tableDescriptionsMigration(1765200100000, {}),
];
