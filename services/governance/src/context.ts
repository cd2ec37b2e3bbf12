import type { DataSource } from 'typeorm';
import {
  byGroupLoader,
  byIdLoader,
  byKeyLoader,
  lazyObject,
  type PersonalDataVault,
  type RequestBase,
} from '@anju/kit';
import DataLoader from 'dataloader';
import { SiteService, type SiteRow } from './site/site.service';
import { HouseholdService, type HouseholdRow } from './household/household.service';
import { ResidentService, type ResidentRow } from './resident/resident.service';
import { RegionService } from './region/region.service';
import type { Region } from './region/region.row';
import { pointsContext, type PointsContext } from './points/points.context';
import type { NoticeReadRow } from './notice/notice.loaders';
import { GridService, type GridDutyRow, type GridRow } from './grid/grid.service';
import { HouseholdVisitService } from './household-visit/household-visit.service';
import { CoBuildingService } from './co-building/co-building.service';
import { coBuildingLoaders } from './co-building/co-building.loaders';
import { BuildingService, type BuildingRow } from './building/building.service';
import { AuditService } from './audit/audit.service';
import { GridTaskService } from './grid-task/grid-task.service';
import { MicroIssueService, type MicroIssueRow } from './micro-issue/micro-issue.service';
import { microIssueStepsLoader, type MicroIssueStepRow } from './micro-issue/micro-issue.loaders';
import { ListItemService, type ListItemRow } from './list-item/list-item.service';
import { PartyService, type JointMeetingRow } from './party/party.service';
import { meetingLoaders } from './party/party.loaders';
import { NoticeService, type NoticeRow } from './notice/notice.service';
import { noticeLoaders } from './notice/notice.loaders';
import { ruleOfLaw, type RuleOfLaw } from './rule-of-law/rule-of-law.service';
import { ruleOfLawLoaders } from './rule-of-law/rule-of-law.loaders';
import { ModelResidentService } from './model-resident/model-resident.service';
import type { ImportJobs } from '@anju/kit';
import { ProposalService } from './proposal/proposal.service';
import { proposalLoaders } from './proposal/proposal.loaders';
import { SurveyService } from './survey/survey.service';
import { surveyLoaders } from './survey/survey.loaders';
import { SupervisionService } from './supervision/supervision.service';
import { supervisionLoaders } from './supervision/supervision.loaders';
import { NotificationService } from './notification/notification.service';
import { notificationLoaders } from './notification/notification.loaders';

export interface GovernanceDeps {
  db: DataSource;
  vault: PersonalDataVault;
  /** NATIONAL_ID_LOOKUPS_PER_DAY. */
  lookupsPerDay?: number;
  /** The process's import jobs (their queue and worker). */
  imports: ImportJobs;
}

export interface GovernanceContext extends RequestBase {
  regions: RegionService;
  sites: SiteService;
  households: HouseholdService;
  residents: ResidentService;
  /** Points (积分制): the co-governance list, ledger, rewards, redemptions, rankings. */
  points: PointsContext;
  grids: GridService;
  /** Grid workers' household visits (入户走访). */
  householdVisits: HouseholdVisitService;
  /** The co-building council (共建理事会): member units, meetings, resolutions. */
  coBuilding: CoBuildingService;
  buildings: BuildingService;
  audit: AuditService;
  gridTasks: GridTaskService;
  microIssues: MicroIssueService;
  listItems: ListItemService;
  party: PartyService;
  notices: NoticeService;
  ruleOfLaw: RuleOfLaw;
  modelResidents: ModelResidentService;
  imports: ImportJobs;
  /** Deliberation (议事): proposals, council meetings, household votes. */
  proposals: ProposalService;
  /** Surveys (满意度、归属感调查): anonymous answers, aggregate results. */
  surveys: SurveyService;
  /** Supervision (居务监督委员会): committee members and their findings. */
  supervision: SupervisionService;
  /** The caller's own inbox and notification preferences (消息通知). */
  notifications: NotificationService;
  loaders: {
    grid: DataLoader<string, GridRow | null>;
    microIssue: DataLoader<string, MicroIssueRow | null>;
    microIssueSteps: DataLoader<string, MicroIssueStepRow[]>;
    listItem: DataLoader<string, ListItemRow | null>;
    jointMeeting: DataLoader<string, JointMeetingRow | null>;
    resolutionsOfMeeting: DataLoader<string, ListItemRow[]>;
    notice: DataLoader<string, NoticeRow | null>;
    noticeReadByMe: DataLoader<string, boolean>;
    noticeReadStats: DataLoader<string, NoticeReadRow[] | null>;
  } & ReturnType<typeof ruleOfLawLoaders> &
    ReturnType<typeof proposalLoaders> &
    ReturnType<typeof surveyLoaders> &
    ReturnType<typeof supervisionLoaders> &
    ReturnType<typeof notificationLoaders> &
    ReturnType<typeof coBuildingLoaders> & {
      building: DataLoader<string, BuildingRow | null>;
      buildingHelpers: DataLoader<string, string[]>;
      buildingsOfGrid: DataLoader<string, BuildingRow[]>;
      dutiesOfGrid: DataLoader<string, GridDutyRow[]>;
      region: DataLoader<string, Region | null>;
      site: DataLoader<string, SiteRow | null>;
      household: DataLoader<string, HouseholdRow | null>;
      resident: DataLoader<string, ResidentRow | null>;
      residentsOfHousehold: DataLoader<string, ResidentRow[]>;
      siteCounts: DataLoader<string, { households: number; residents: number }>;
    };
}

/**
 * Services are per request because they carry the caller; loaders batch and cache per request.
 * Each is built on first use: a dashboard touches three of them, not all thirty-five.
 */
export function buildContext(deps: GovernanceDeps) {
  return (base: RequestBase): GovernanceContext => {
    const { db, vault } = deps;
    const p = base.principal;
    return lazyObject<Omit<GovernanceContext, keyof RequestBase>, RequestBase>(
      {
        regions: () => new RegionService(db, p),
        sites: () => new SiteService(db, p),
        households: () => new HouseholdService(db, p),
        residents: (c) => new ResidentService(db, vault, p, c.households, base.clock, deps.lookupsPerDay),
        grids: () => new GridService(db, p, base.clock),
        householdVisits: () => new HouseholdVisitService(db, p, base.clock),
        coBuilding: () => new CoBuildingService(db, p, base.clock),
        buildings: () => new BuildingService(db, p, base.clock),
        audit: () => new AuditService(db, p),
        gridTasks: () => new GridTaskService(db, p, base.clock),
        microIssues: () => new MicroIssueService(db, p, base.clock),
        listItems: () => new ListItemService(db, p, base.clock),
        party: () => new PartyService(db, p, base.clock),
        notices: () => new NoticeService(db, p, base.clock),
        ruleOfLaw: () => ruleOfLaw(db, p, base.clock),
        modelResidents: () => new ModelResidentService(db, p, base.clock),
        points: () => pointsContext(db, p, base.clock),
        imports: () => deps.imports,
        proposals: () => new ProposalService(db, p, base.clock),
        surveys: () => new SurveyService(db, p, base.clock),
        supervision: () => new SupervisionService(db, p, base.clock),
        notifications: () => new NotificationService(db, p, base.clock, vault),
        loaders: (c) => {
          const meetings = once(() => meetingLoaders(c.party, c.listItems));
          const notices = once(() => noticeLoaders(c.notices));
          const rol = once(() => ruleOfLawLoaders(c.ruleOfLaw));
          const deliberation = once(() => proposalLoaders(c.proposals));
          const surveys = once(() => surveyLoaders(c.surveys));
          const supervision = once(() => supervisionLoaders(c.supervision));
          const inbox = once(() => notificationLoaders(c.notifications));
          return lazyObject<GovernanceContext['loaders']>({
            grid: () => byIdLoader((ids) => c.grids.byIds(ids)),
            microIssue: () => byIdLoader((ids) => c.microIssues.byIds(ids)),
            microIssueSteps: () => microIssueStepsLoader(c.microIssues),
            listItem: () => byIdLoader((ids) => c.listItems.byIds(ids)),
            jointMeeting: () => meetings().jointMeeting,
            resolutionsOfMeeting: () => meetings().resolutionsOfMeeting,
            notice: () => byIdLoader((ids) => c.notices.byIds(ids)),
            noticeReadByMe: () => notices().noticeReadByMe,
            noticeReadStats: () => notices().noticeReadStats,
            legalAdviser: () => rol().legalAdviser,
            mediationCase: () => rol().mediationCase,
            mediationParties: () => rol().mediationParties,
            mediationSessions: () => rol().mediationSessions,
            visitBookings: () => rol().visitBookings,
            advisersOfSite: () => rol().advisersOfSite,
            proposal: () => deliberation().proposal,
            proposalComments: () => deliberation().proposalComments,
            councilMeeting: () => deliberation().councilMeeting,
            proposalTally: () => deliberation().proposalTally,
            myHouseholdVote: () => deliberation().myHouseholdVote,
            survey: () => surveys().survey,
            surveyQuestions: () => surveys().surveyQuestions,
            surveyRespondents: () => surveys().surveyRespondents,
            surveyAnsweredByMe: () => surveys().surveyAnsweredByMe,
            finding: () => supervision().finding,
            openFindingsOfListItem: () => supervision().openFindingsOfListItem,
            openFindingsOfNotice: () => supervision().openFindingsOfNotice,
            notification: () => inbox().notification,
            notificationDeliveries: () => inbox().notificationDeliveries,
            building: () => byIdLoader((ids) => c.buildings.byIds(ids)),
            buildingHelpers: () =>
              new DataLoader<string, string[]>(async (ids) => {
                const rows = await c.buildings.helpers(ids);
                return ids.map((id) => rows.filter((r) => r.buildingId === id).map((r) => r.residentId));
              }),
            buildingsOfGrid: () =>
              byGroupLoader(
                (ids) => c.buildings.ofGrids(ids),
                (b) => b.gridId ?? '',
              ),
            dutiesOfGrid: () =>
              byGroupLoader(
                (ids) => c.grids.duties(ids),
                (d) => d.gridId,
              ),
            resolutionsOfCoBuildingMeeting: () => coBuildingLoaders(c.listItems).resolutionsOfCoBuildingMeeting,
            region: () =>
              byKeyLoader(
                (codes) => c.regions.byCodes(codes),
                (r) => r.code,
              ),
            site: () => byIdLoader((ids) => c.sites.byIds(ids)),
            household: () => byIdLoader((ids) => c.households.byIds(ids)),
            resident: () => byIdLoader((ids) => c.residents.byIds(ids)),
            residentsOfHousehold: () => c.residents.householdMembersLoader(),
            siteCounts: () => c.sites.countsLoader(),
          });
        },
      },
      base,
    );
  };
}

/** A group of loaders built together (they share a service), on the first read of any of them. */
function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
