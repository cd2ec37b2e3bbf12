import type { SqlRunner } from '@anju/kit';
import { notify, notifySelect } from './notify';
import { channelsOf } from './notification-kinds';

/** Why points were earned, as a resident reads it. */
const EARNED_FOR: Record<string, string> = {
  'activity.attended': '参加社区活动',
  'service.verified': '志愿服务时长经核实',
  'training.completed': '完成技能培训',
  'micro_issue.resolved': '您反映的问题已解决',
};

/** 积分到账: one notification per credited event, with the new balance (in the ledger's transaction). */
export function notifyPointsCredited(
  db: SqlRunner,
  credits: {
    residentId: string;
    siteId: string;
    event: string;
    eventId: string;
    points: number;
    balanceAfter: number;
  }[],
  now: Date,
): Promise<number> {
  return notify(
    db,
    credits
      .filter((c) => c.points > 0)
      .map((c) => ({
        recipient: `resident:${c.residentId}`,
        kind: 'points_credited' as const,
        dedupeKey: `points_credited:${c.eventId}`,
        title: `积分到账：+${c.points}分`,
        body: `${EARNED_FOR[c.event] ?? '社区共治'}，获得${c.points}积分，当前余额${c.balanceAfter}分。积分可在社区兑换奖品。`,
        details: { what: EARNED_FOR[c.event] ?? c.event },
        entityType: 'PointsAccount',
        entityId: c.residentId,
        siteId: c.siteId,
        channels: channelsOf('points_credited'),
      })),
    now,
  );
}

/** 积分兑换: the resident is told what they redeemed, for how many points, and where to collect it. */
export async function notifyPointsRedeemed(db: SqlRunner, redemptionId: string, now: Date): Promise<void> {
  await notifySelect(
    db,
    `SELECT 'resident:' || rd.resident_id AS recipient, 'points_redeemed' AS kind,
              'points_redeemed:' || rd.id AS dedupe_key,
            '积分兑换成功：' || rw.name AS title,
            '已用' || rd.points || '积分兑换「' || rw.name || '」，当前余额' || a.balance || '分。请凭此消息到社区服务站领取。' AS body,
            jsonb_build_object('what', rw.name, 'where',
              s.name || coalesce('（' || s.address || '）', '') || '社区服务站') AS details,
            'Redemption' AS entity_type, rd.id::text AS entity_id, rd.site_id, $2::text[] AS channels
       FROM points_redemption rd JOIN points_reward rw ON rw.id = rd.reward_id JOIN points_account a
       ON a.resident_id = rd.resident_id
       JOIN site s ON s.id = rd.site_id
      WHERE rd.id = $1`,
    [redemptionId, channelsOf('points_redeemed')],
    now,
  );
}
