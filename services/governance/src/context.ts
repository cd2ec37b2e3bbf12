import type { DataSource } from 'typeorm';
import { byIdLoader, byKeyLoader, type PersonalDataVault, type RequestBase } from '@anju/kit';
import DataLoader from 'dataloader';
import { SiteService, type SiteRow } from './site/site.service';
import { HouseholdService, type HouseholdRow } from './household/household.service';
import { ResidentService, type ResidentRow } from './resident/resident.service';
import { RegionService } from './region/region.service';
import type { Region } from './region/region.entity';
import { pointsContext, type PointsContext } from './points/points.context';
import { GridService, type GridRow } from './grid/grid.service';
import { BuildingService, type BuildingRow } from './building/building.service';
import { AuditService } from './audit/audit.service';
import { GridTaskService } from './grid-task/grid-task.service';
import { MicroIssueService, type MicroIssueRow } from './micro-issue/micro-issue.service';
import { microIssueStepsLoader, type MicroIssueStepRow } from './micro-issue/micro-issue.resolvers';
import { ListItemService, type ListItemRow } from './list-item/list-item.service';
import { PartyService, type JointMeetingRow } from './party/party.service';
import { meetingLoaders } from './party/party.resolvers';
import { NoticeService, type NoticeRow } from './notice/notice.service';
import { noticeLoaders } from './notice/notice.resolvers';
import { RuleOfLawService } from './rule-of-law/rule-of-law.service';
import { ruleOfLawLoaders } from './rule-of-law/rule-of-law.resolvers';
import { ModelResidentService } from './model-resident/model-resident.service';

export interface GovernanceDeps {
  db: DataSource;
  vault: PersonalDataVault;
}

export interface GovernanceContext extends RequestBase {
  regions: RegionService;
  sites: SiteService;
  households: HouseholdService;
  residents: ResidentService;
  /** Points (积分制): the co-governance list, ledger, rewards, redemptions, rankings. */
  points: PointsContext;
  grids: GridService;
  buildings: BuildingService;
  audit: AuditService;
  gridTasks: GridTaskService;
  microIssues: MicroIssueService;
  listItems: ListItemService;
  party: PartyService;
  notices: NoticeService;
  ruleOfLaw: RuleOfLawService;
  modelResidents: ModelResidentService;
  loaders: {
    grid: DataLoader<string, GridRow | null>;
    microIssue: DataLoader<string, MicroIssueRow | null>;
    microIssueSteps: DataLoader<string, MicroIssueStepRow[]>;
    listItem: DataLoader<string, ListItemRow | null>;
    jointMeeting: DataLoader<string, JointMeetingRow | null>;
    resolutionsOfMeeting: DataLoader<string, ListItemRow[]>;
    notice: DataLoader<string, NoticeRow | null>;
    noticeReadByMe: DataLoader<string, boolean>;
    noticeReadStats: DataLoader<string, { siteId: string; residents: number; read: number; rate: number }[] | null>;
  } & ReturnType<typeof ruleOfLawLoaders> & {
    building: DataLoader<string, BuildingRow | null>;
    buildingHelpers: DataLoader<string, string[]>;
    region: DataLoader<string, Region | null>;
    site: DataLoader<string, SiteRow | null>;
    household: DataLoader<string, HouseholdRow | null>;
    resident: DataLoader<string, ResidentRow | null>;
    residentsOfHousehold: DataLoader<string, ResidentRow[]>;
    siteCounts: DataLoader<string, { households: number; residents: number }>;
  };
}

/** Services are per request because they carry the caller; loaders batch and cache per request. */
export function buildContext(deps: GovernanceDeps) {
  return (base: RequestBase): GovernanceContext => {
    const regions = new RegionService(deps.db, base.principal);
    const sites = new SiteService(deps.db, base.principal);
    const households = new HouseholdService(deps.db, base.principal);
    const residents = new ResidentService(deps.db, deps.vault, base.principal, households);
    const grids = new GridService(deps.db, base.principal);
    const microIssues = new MicroIssueService(deps.db, base.principal);
    const listItems = new ListItemService(deps.db, base.principal);
    const party = new PartyService(deps.db, base.principal);
    const notices = new NoticeService(deps.db, base.principal);
    const ruleOfLaw = new RuleOfLawService(deps.db, base.principal);
    const buildings = new BuildingService(deps.db, base.principal);
    return {
      ...base,
      grids,
      buildings,
      audit: new AuditService(deps.db, base.principal),
      gridTasks: new GridTaskService(deps.db, base.principal),
      microIssues,
      listItems,
      party,
      notices,
      ruleOfLaw,
      modelResidents: new ModelResidentService(deps.db, base.principal),
      regions,
      sites,
      households,
      residents,
      points: pointsContext(deps.db, base.principal),
      loaders: {
        grid: byIdLoader((ids) => grids.byIds(ids)),
        microIssue: byIdLoader((ids) => microIssues.byIds(ids)),
        microIssueSteps: microIssueStepsLoader({ microIssues }),
        listItem: byIdLoader((ids) => listItems.byIds(ids)),
        ...meetingLoaders(party, listItems),
        notice: byIdLoader((ids) => notices.byIds(ids)),
        ...noticeLoaders(notices),
        ...ruleOfLawLoaders(ruleOfLaw),
        building: byIdLoader((ids) => buildings.byIds(ids)),
        buildingHelpers: new DataLoader<string, string[]>(async (ids) => {
          const rows = await buildings.helpers(ids);
          return ids.map((id) => rows.filter((r) => r.buildingId === id).map((r) => r.residentId));
        }),
        region: byKeyLoader((codes) => regions.byCodes(codes), (r) => r.code),
        site: byIdLoader((ids) => sites.byIds(ids)),
        household: byIdLoader((ids) => households.byIds(ids)),
        resident: byIdLoader((ids) => residents.byIds(ids)),
        residentsOfHousehold: residents.householdMembersLoader(),
        siteCounts: sites.countsLoader(),
      },
    };
  };
}
