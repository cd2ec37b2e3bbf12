import { auditLogMigration, runtimeRoleMigration } from '@anju/kit';
import {
  EventBatches1764400000000,
  EventTables1764201600000,
  EventTraces1764700000000,
  SiteDirectory1764201650000,
} from '@anju/contracts';
import { Organizations1764201900000 } from './1764201900000-organizations';
import { ActivitiesIncubationWorkersCases1764330000000 } from './1764330000000-activities-incubation-workers-cases';
import { MicroServicesContractsVenture1764330100000 } from './1764330100000-micro-services-contracts-venture';
import { Committees1764330200000 } from './1764330200000-committees';
import { AuditLog1764330300000 } from './1764330300000-audit-log';
import { PlacedRecords1764400300000 } from './1764400300000-placed-records';
import { ResidentsAndFeedbackPeriods1764400400000 } from './1764400400000-residents-and-feedback-periods';
import { CaseSessionsAndMembers1764600100000 } from './1764600100000-case-sessions-and-members';
import { ActivitySiteMonth1764600500000 } from './1764600500000-activity-site-month';
import { AidFunds1764600600000 } from './1764600600000-aid-funds';
import { WorkerAssignments1764700100000 } from './1764700100000-worker-assignments';
import { ActivityTopics1764700200000 } from './1764700200000-activity-topics';
import { TableDescriptions1765100000000 } from './1765100000000-table-descriptions';

/** The schema's history, in order. Append; never edit a migration that has run anywhere. */
export const migrations = [
  EventTables1764201600000,
  Organizations1764201900000,
  ActivitiesIncubationWorkersCases1764330000000,
  MicroServicesContractsVenture1764330100000,
  Committees1764330200000,
  AuditLog1764330300000,
  runtimeRoleMigration('social_orgs', 1764339000000, ['audit_log']),
  SiteDirectory1764201650000,
  PlacedRecords1764400300000,
  ResidentsAndFeedbackPeriods1764400400000,
  EventBatches1764400000000,
  auditLogMigration('social_orgs', 1764520000000),
  CaseSessionsAndMembers1764600100000,
  ActivitySiteMonth1764600500000,
  AidFunds1764600600000,
  EventTraces1764700000000,
  WorkerAssignments1764700100000,
  ActivityTopics1764700200000,
  TableDescriptions1765100000000,
];
