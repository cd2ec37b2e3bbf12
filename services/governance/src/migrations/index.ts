import { auditLogMigration } from '@anju/kit';
import { EventBatches1764400000000, EventTables1764201600000, EventTraces1764700000000 } from '@anju/contracts';
import { PlacesAndPeople1764201700000 } from './1764201700000-places-and-people';
import { BuildingsAndGrids1764300000000 } from './1764300000000-buildings-and-grids';
import { AuditLog1764300100000 } from './1764300100000-audit-log';
import { GridTasks1764300200000 } from './1764300200000-grid-tasks';
import { MicroIssues1764300300000 } from './1764300300000-micro-issues';
import { PartyAndLists1764300400000 } from './1764300400000-party-and-lists';
import { Notices1764300500000 } from './1764300500000-notices';
import { UuidHelpers1764300600000 } from './1764300600000-uuid-helpers';
import { RuleOfLaw1764300700000 } from './1764300700000-rule-of-law';
import { ModelResidents1764300800000 } from './1764300800000-model-residents';
import { Points1764310000000 } from './1764310000000-points';
import { ResidentRetention1764320000000 } from './1764320000000-resident-retention';
import { SiteCounters1764400000000 } from './1764400000000-site-counters';
import { NationalIdReveals1764400100000 } from './1764400100000-national-id-reveals';
import { ImportJobs1764500000000 } from './1764500000000-import-jobs';
import { ClosedTaskSources1764510000000 } from './1764510000000-closed-task-sources';
import { PointsBalanceFollowsLedger1764520100000 } from './1764520100000-points-balance-follows-ledger';
import { ResidentLanguages1764530000000 } from './1764530000000-resident-languages';
import { Proposals1764800000000 } from './1764800000000-proposals';
import { Surveys1764800100000 } from './1764800100000-surveys';
import { Supervision1764800200000 } from './1764800200000-supervision';
import { PartyAndCultureNotices1764900000000 } from './1764900000000-party-and-culture-notices';
import { Notifications1764950000000 } from './1764950000000-notifications';
import { LegalStudyAttendance1764960000000 } from './1764960000000-legal-study-attendance';
import { GridDutiesAndVisits1765000000000 } from './1765000000000-grid-duties-and-visits';
import { TableDescriptions1765100000000 } from './1765100000000-table-descriptions';
import { CoBuildingCouncil1765200000000 } from './1765200000000-co-building-council';
import { SupervisoryTerms1765100000000 } from './1765100000000-supervisory-terms';
import { SurveyTallyGrid1765310019000 } from './1765310019000-survey-tally-grid';

/** The schema's history, in order. Append; never edit a migration that has run anywhere. */
export const migrations = [
  EventTables1764201600000,
  PlacesAndPeople1764201700000,
  BuildingsAndGrids1764300000000,
  AuditLog1764300100000,
  GridTasks1764300200000,
  MicroIssues1764300300000,
  PartyAndLists1764300400000,
  Notices1764300500000,
  UuidHelpers1764300600000,
  RuleOfLaw1764300700000,
  ModelResidents1764300800000,
  Points1764310000000,
  ResidentRetention1764320000000,
  SiteCounters1764400000000,
  NationalIdReveals1764400100000,
  EventBatches1764400000000,
  ImportJobs1764500000000,
  ClosedTaskSources1764510000000,
  auditLogMigration('governance', 1764520000000),
  PointsBalanceFollowsLedger1764520100000,
  ResidentLanguages1764530000000,
  EventTraces1764700000000,
  Proposals1764800000000,
  Surveys1764800100000,
  Supervision1764800200000,
  PartyAndCultureNotices1764900000000,
  Notifications1764950000000,
  LegalStudyAttendance1764960000000,
  GridDutiesAndVisits1765000000000,
  TableDescriptions1765100000000,
  CoBuildingCouncil1765200000000,
  SupervisoryTerms1765100000000,
  SurveyTallyGrid1765310019000,
];
