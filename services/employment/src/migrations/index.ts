import { auditLogMigration, runtimeRoleMigration } from '@anju/kit';
import { SiteCounters1764400000000 } from './1764400000000-site-counters';
import {
  EventBatches1764400000000,
  EventTables1764201600000,
  EventTraces1764700000000,
  SiteDirectory1764201650000,
} from '@anju/contracts';
import { LabourProfiles1764201800000 } from './1764201800000-labour-profiles';
import { EmploymentAndMonitoring1764320000000 } from './1764320000000-employment-and-monitoring';
import { HouseholdRecheck1764400100000 } from './1764400100000-household-recheck';
import { GapFlow1764400200000 } from './1764400200000-gap-flow';
import { ResidentEventOrder1764410000000 } from './1764410000000-resident-event-order';
import { HouseholdRecheckAppendOnly1764540000000 } from './1764540000000-household-recheck-append-only';
import { SitePictureCounts1764600100000 } from './1764600100000-site-picture-counts';
import { Imports1764800000000 } from './1764800000000-imports';
import { IndustryProjectsInFull1764800100000 } from './1764800100000-industry-projects-in-full';
import { MonitoringRunFull1764900000000 } from './1764900000000-monitoring-run-full';
import { TableDescriptions1765100000000 } from './1765100000000-table-descriptions';

/** The schema's history, in order. Append; never edit a migration that has run anywhere. */
export const migrations = [
  EventTables1764201600000,
  SiteDirectory1764201650000,
  LabourProfiles1764201800000,
  EmploymentAndMonitoring1764320000000,
  runtimeRoleMigration('employment', 1764329000000),
  SiteCounters1764400000000,
  EventBatches1764400000000,
  HouseholdRecheck1764400100000,
  GapFlow1764400200000,
  ResidentEventOrder1764410000000,
  auditLogMigration('employment', 1764520000000),
  HouseholdRecheckAppendOnly1764540000000,
  SitePictureCounts1764600100000,
  EventTraces1764700000000,
  Imports1764800000000,
  IndustryProjectsInFull1764800100000,
  MonitoringRunFull1764900000000,
  TableDescriptions1765100000000,
];
