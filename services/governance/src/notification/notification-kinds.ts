import type { Principal } from '@anju/kit';

/** The channels a notification can go out on besides the inbox, which every notification is in. */
export const PUSH_CHANNELS = ['sms', 'wechat'] as const;
export type PushChannel = (typeof PUSH_CHANNELS)[number];

/**
 * What a notification is about, and the channels it goes out on unless the person turned them off
 * (a published notice: the channels its category is set to use, `notice_category_channel`).
 */
export const NOTIFICATION_KINDS = {
  /** 活动报名成功. */
  activity_registration_confirmed: ['sms', 'wechat'],
  /** 候补转正: a place came free and the waiting resident now has it. */
  activity_promoted_from_waitlist: ['sms', 'wechat'],
  /** 活动前一天提醒. */
  activity_reminder: ['sms', 'wechat'],
  /** 律师进社区预约成功. */
  lawyer_visit_booked: ['sms', 'wechat'],
  /** 需求被认领. */
  demand_claimed: ['wechat'],
  /** 志愿服务派单. */
  assignment_proposed: ['sms', 'wechat'],
  /** 网格任务. */
  grid_task_assigned: ['wechat'],
  /** 清单事项逾期. */
  list_item_overdue: ['wechat'],
  /** 微难题/微矛盾升级. */
  micro_issue_escalated: ['sms', 'wechat'],
  /** 积分到账. */
  points_credited: ['wechat'],
  /** 积分兑换. */
  points_redeemed: ['wechat'],
  /** 共建理事会会议提醒: a meeting tomorrow, or a regular meeting due and not yet scheduled. */
  co_building_meeting: ['sms', 'wechat'],
  /** 居务公开. */
  notice_published: [],
} as const satisfies Record<string, readonly PushChannel[]>;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/** Default channels of a kind as an SQL array literal's elements, for selects that build notifications. */
export const channelsOf = (kind: NotificationKind): PushChannel[] => [...NOTIFICATION_KINDS[kind]];

/**
 * Whose inbox a token opens: a resident's or a volunteer's own record, or for everyone else
 * (officers, grid workers, NGO and unit members) the token's subject. Never an argument.
 */
export function recipientOf(p: Principal): string {
  if (p.role === 'resident' && p.residentId) return `resident:${p.residentId}`;
  if (p.role === 'volunteer' && p.volunteerId) return `volunteer:${p.volunteerId}`;
  return `subject:${p.subject}`;
}
