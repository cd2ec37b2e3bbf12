import { PROVINCE_ZONE_SQL } from '@anju/kit';
import type { SqlRunner } from '@anju/kit';
import { notifySelect } from './notify';

/**
 * 多渠道宣传: a published notice reaches every resident of its sites — in the inbox, and on the push
 * channels its category is set to use (`notice_category_channel`). The rows for `notifySelect`, read
 * from a CTE named `published` holding the ids of the notices just published.
 */
export const NOTICE_PUBLISHED_NOTIFICATIONS = `
  SELECT 'resident:' || r.id AS recipient, 'notice_published' AS kind, 'notice_published:' || n.id AS dedupe_key,
         '居务公开：' || n.title AS title,
         CASE WHEN length(n.body) > 140 THEN left(n.body, 140) || '…' ELSE n.body END AS body,
         jsonb_build_object('what', n.title,
           'when', to_char(n.publish_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI')) AS details,
         'Notice' AS entity_type, n.id::text AS entity_id, r.site_id, coalesce(c.channels, '{}') AS channels
    FROM published pu
    JOIN notice n ON n.id = pu.id
    LEFT JOIN notice_category_channel c ON c.category = n.category
    JOIN notice_site ns ON ns.notice_id = n.id
    JOIN resident r ON r.site_id = ns.site_id AND r.moved_out_on IS NULL`;

/** Tells the readers of notices published just now (in the caller's transaction, after the notices are written). */
export async function notifyNoticesPublished(db: SqlRunner, noticeIds: string[], now: Date): Promise<void> {
  if (!noticeIds.length) return;
  await notifySelect(db, NOTICE_PUBLISHED_NOTIFICATIONS, [noticeIds], now, {
    with: `published AS (SELECT unnest($1::uuid[]) AS id)`,
  });
}
