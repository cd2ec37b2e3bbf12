import { Region } from './region/region.entity';
import { Site } from './site/site.entity';
import { Household } from './household/household.entity';
import { Resident } from './resident/resident.entity';
import { Grid } from './grid/grid.entity';
import { Building } from './building/building.entity';
import { GridTask } from './grid-task/grid-task.entity';
import { MicroIssue } from './micro-issue/micro-issue.entity';
import { ListItem } from './list-item/list-item.entity';
import { Notice } from './notice/notice.entity';
import { LegalAdviser } from './rule-of-law/legal-adviser.entity';
import { ModelResident } from './model-resident/model-resident.entity';
import { migrations } from './migrations';

/** Governance's tables live in the `governance` schema. */
export const governanceData = {
  schema: 'governance',
  entities: [
    Region,
    Site,
    Household,
    Resident,
    Grid,
    Building,
    GridTask,
    MicroIssue,
    ListItem,
    Notice,
    LegalAdviser,
    ModelResident,
  ],
  migrations,
  /** Created by the audit-log migration: no UPDATE/DELETE/TRUNCATE on audit_log or the points ledger. */
  runtimeRole: 'governance_app',
};
