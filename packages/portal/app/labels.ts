/**
 * Chinese words for the API's codes: one place, so every page says the same thing. Each map is keyed by the enum
 * `pnpm codegen` generates from the schema, so a value added or dropped there fails `pnpm typecheck` here.
 */
import type {
  AgeBand,
  CouncilDecision,
  DeliveryStatus,
  DemandCategory,
  DemandStatus,
  EmploymentKind,
  Gender,
  LabourCapacity,
  LandKind,
  LandState,
  ListItemStatus,
  ListKind,
  MicroIssueLevel,
  MicroIssueStatus,
  MonitoringRule,
  NoticeStatus,
  NotificationKind,
  ProposalStatus,
  PushChannel,
  RegionLevel,
  RegistrationStatus,
  RelationToHead,
  SurveyKind,
  SurveyNeed,
  SurveyQuestionKind,
  SurveyStatus,
  Urgency,
  VoteChoice,
} from './generated/operations';

export const RULES: Record<MonitoringRule, string> = {
  TRAINING_AND_SKILL: '有劳动力成员均参加培训并掌握技能',
  PUBLIC_WELFARE_POST: '无法外出务工的家庭有公益性岗位',
  EMPLOYED_MEMBER: '有就业意愿的家庭至少一人就业',
  STABLE_INCOME: '至少有一项稳定收入来源',
};
export const RULES_SHORT: Record<MonitoringRule, string> = {
  TRAINING_AND_SKILL: '培训与技能',
  PUBLIC_WELFARE_POST: '公益性岗位',
  EMPLOYED_MEMBER: '就业（零就业家庭）',
  STABLE_INCOME: '稳定收入',
};
export const DEMAND_STATUS: Record<DemandStatus, string> = {
  OPEN: '待认领',
  CLAIMED: '已认领',
  IN_PROGRESS: '办理中',
  FULFILLED: '已完成',
  CLOSED: '已关闭',
  CANCELLED: '已取消',
};
export const DEMAND_CATEGORY: Record<DemandCategory, string> = {
  JOB_HELP: '就业帮扶',
  TRAINING: '技能培训',
  ELDERLY_CARE: '养老照护',
  CHILD_CARE: '儿童关爱',
  HEALTH: '医疗健康',
  LEGAL_AID: '法律援助',
  INTEGRATION: '社区融入',
  DAILY_LIFE: '生活帮扶',
  OTHER: '其他',
};
export const URGENCY: Record<Urgency, string> = { LOW: '不急', NORMAL: '一般', HIGH: '紧急', CRITICAL: '特急' };
export const LABOUR: Record<LabourCapacity, string> = { FULL: '完全劳动力', WEAK: '弱劳动力', NONE: '无劳动力' };
export const GENDER: Record<Gender, string> = { MALE: '男', FEMALE: '女' };
export const AGE_BANDS: Record<AgeBand, string> = {
  UNDER_16: '16岁以下',
  FROM_16_TO_35: '16–35岁',
  FROM_36_TO_45: '36–45岁',
  FROM_46_TO_59: '46–59岁',
  FROM_60: '60岁及以上',
};
export const RELATION: Record<RelationToHead, string> = {
  HEAD: '户主',
  SPOUSE: '配偶',
  CHILD: '子女',
  PARENT: '父母',
  GRANDCHILD: '孙辈',
  SIBLING: '兄弟姐妹',
  OTHER: '其他',
};
export const EMPLOYMENT_KIND: Record<EmploymentKind, string> = {
  WORKSHOP: '扶贫车间',
  PUBLIC_WELFARE_POST: '公益性岗位',
  MIGRANT_WORK: '外出务工',
  SELF_EMPLOYED: '自主创业',
  FLEXIBLE: '灵活就业',
};
export const LAND_KIND: Record<LandKind, string> = { CONTRACTED: '承包地', FOREST: '林地', HOMESTEAD: '宅基地' };
export const LAND_STATE: Record<LandState, string> = { IDLE: '闲置', LEASED: '流转出租', POOLED: '入股合作社' };
export const LIST_KIND: Record<ListKind, string> = {
  PARTY_SERVICE: '党群服务',
  PROPERTY: '物业管理',
  GRID: '网格管理',
};
export const LIST_STATUS: Record<ListItemStatus, string> = {
  OPEN: '待办',
  IN_PROGRESS: '办理中',
  DONE: '已完成',
  CANCELLED: '已取消',
};
export const ISSUE_STATUS: Record<MicroIssueStatus, string> = { OPEN: '处理中', RESOLVED: '已解决' };
export const ISSUE_LEVEL: Record<MicroIssueLevel, string> = {
  BUILDING_LEADER: '楼栋长',
  GRID_WORKER: '网格员',
  MEDIATION: '调解',
  LEGAL_ADVISER: '法律顾问',
};
export const NOTICE_STATUS: Record<NoticeStatus, string> = {
  SCHEDULED: '待发布',
  PUBLISHED: '已发布',
  WITHDRAWN: '已撤回',
};
export const REGISTRATION_STATUS: Record<RegistrationStatus, string> = {
  REGISTERED: '已报名',
  WAITLISTED: '候补',
  CANCELLED: '已取消',
  ATTENDED: '已签到',
};
export const PROPOSAL_STATUS: Record<ProposalStatus, string> = {
  OPEN: '待议事会审议',
  VOTING: '表决中',
  ADOPTED: '已通过',
  REJECTED: '未通过',
  DECLINED: '不予采纳',
};
export const VOTE_CHOICE: Record<VoteChoice, string> = { FOR: '赞成', AGAINST: '反对', ABSTAIN: '弃权' };
export const COUNCIL_DECISION: Record<CouncilDecision, string> = { PUT_TO_VOTE: '提请表决', DECLINE: '不予采纳' };
export const SURVEY_KIND: Record<SurveyKind, string> = { SATISFACTION: '满意度调查', BELONGING: '归属感调查' };
export const SURVEY_STATUS: Record<SurveyStatus, string> = { OPEN: '进行中', CLOSED: '已结束' };
export const QUESTION_KIND: Record<SurveyQuestionKind, string> = {
  SCALE: '打分',
  CHOICE: '单选',
  NEED: '需求（可多选）',
};
/** The needs a resident can name in a survey: the demand list's categories (the API answers them in lower case). */
export const SURVEY_NEED: Record<SurveyNeed, string> = {
  JOB_HELP: '就业帮扶',
  TRAINING: '技能培训',
  ELDERLY_CARE: '养老助残',
  CHILD_CARE: '儿童关爱',
  HEALTH: '健康服务',
  LEGAL_AID: '法律援助',
  INTEGRATION: '心理/社会融入',
  DAILY_LIFE: '生活服务',
};
export const NOTIFICATION_KIND: Record<NotificationKind, string> = {
  ACTIVITY_REGISTRATION_CONFIRMED: '活动报名成功',
  ACTIVITY_PROMOTED_FROM_WAITLIST: '活动候补转正',
  ACTIVITY_REMINDER: '活动提醒',
  LAWYER_VISIT_BOOKED: '律师预约',
  DEMAND_CLAIMED: '需求已认领',
  ASSIGNMENT_PROPOSED: '志愿服务派单',
  GRID_TASK_ASSIGNED: '网格任务',
  LIST_ITEM_OVERDUE: '清单逾期',
  MICRO_ISSUE_ESCALATED: '微难题升级',
  POINTS_CREDITED: '积分到账',
  POINTS_REDEEMED: '积分兑换',
  CO_BUILDING_MEETING: '共建理事会',
  NOTICE_PUBLISHED: '居务公开',
};
export const PUSH_CHANNEL: Record<PushChannel, string> = { SMS: '短信', WECHAT: '微信' };
export const DELIVERY_STATUS: Record<DeliveryStatus, string> = {
  PENDING: '待发送',
  DEFERRED: '免打扰时段后发送',
  SENDING: '发送中',
  SENT: '已发送',
  FAILED: '发送失败',
  CAPPED: '已达当日上限',
};
export const ROLES: Record<string, string> = {
  province: '省级干部',
  county: '县级干部',
  site_officer: '安置点干部',
  grid_worker: '网格员',
  ngo_member: '社会组织',
  unit_member: '区域单位',
  volunteer: '志愿者',
  resident: '居民',
};
export const LEVEL: Record<RegionLevel, string> = { PROVINCE: '省', PREFECTURE: '州（市）', COUNTY: '县（区）' };

/** A map's codes with their words, the codes typed as the enum's values: a select's options, a row of checkboxes. */
export const choices = <K extends string>(words: Record<K, string>) => Object.entries(words) as [K, string][];

/** The label of a code, or the code itself when a newer API added one the portal does not know yet. */
export const say = (words: Record<string, string>, code: string | null | undefined) =>
  code ? (words[code] ?? code) : '—';
export const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
