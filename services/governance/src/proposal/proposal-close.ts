import { type Clock, type ScheduledTask, currentRequestId, type TransactionalSql } from '@anju/kit';
import { notifyNoticesPublished } from '../notification/notice-publicity';

const LIST_NAMES =
  `CASE c.list_kind WHEN 'party_service' THEN '党群服务清单' WHEN 'property' THEN '物业管理清单' ELSE ` +
  `'网格管理清单' END`;

/**
 * Closes the household votes whose deadline has passed (or the ones named), in one statement:
 * counts the votes; adopts a proposal when the households that voted reach the quorum and those
 * for outnumber those against; publishes the outcome on the disclosure board (a RESOLUTION
 * notice for the site); an adopted proposal becomes an item on the list the council chose, with
 * its owner and due date. Idempotent: only proposals still `voting` are taken, and locked.
 * The site's residents are told of the outcome as of any published notice (居务公开), in the same transaction.
 */
export async function closeDueVotes(
  db: TransactionalSql,
  now: Date,
  ids: string[] | null,
  actor: { subject: string; role: string },
): Promise<{ id: string; status: string }[]> {
  return db.transaction(async (m) => {
    const decided: { id: string; status: string; noticeId: string }[] = await m.query(
      `WITH due AS MATERIALIZED (
       SELECT p.id, p.site_id, p.region_code, p.title, p.eligible_households, p.quorum_households, p.list_kind,
              p.owner_name, p.owner_subject, p.item_due_on, gen_random_uuid() AS notice_id, gen_random_uuid() AS item_id
         FROM proposal p
        WHERE p.status = 'voting' AND p.voting_closes_at <= $1 AND ($2::uuid[] IS NULL OR p.id = ANY($2::uuid[]))
        ORDER BY p.id FOR UPDATE),
     c AS MATERIALIZED (
       SELECT due.*, coalesce(t.yes, 0) AS yes, coalesce(t.no, 0) AS no, coalesce(t.abstain, 0) AS abstain,
              coalesce(t.voted, 0) AS voted, coalesce(t.voted, 0) >= due.quorum_households AS quorate,
              coalesce(t.voted, 0) >= due.quorum_households AND coalesce(t.yes, 0) > coalesce(t.no, 0) AS adopted
         FROM due LEFT JOIN (
           SELECT v.proposal_id, count(*) FILTER (WHERE v.choice = 'for')::int AS yes,
                  count(*) FILTER (WHERE v.choice = 'against')::int AS no,
                  count(*) FILTER (WHERE v.choice = 'abstain')::int AS abstain, count(*)::int AS voted
             FROM proposal_vote v WHERE v.proposal_id IN (SELECT id FROM due) GROUP BY v.proposal_id) t
             ON t.proposal_id = due.id),
     -- Every data-modifying part runs to completion whether or not the final SELECT reads it.
     notices AS (
       INSERT INTO notice (id, category, title, body, publish_at, status, published_at, created_by)
       SELECT c.notice_id, 'resolution', '议事结果：' || c.title,
              format('表决结果：赞成%s户，反对%s户，弃权%s户；参与表决%s户，应参与%s户，法定人数%s户。结论：%s', c.yes, c.no, c.abstain,
                c.voted, c.eligible_households, c.quorum_households,
                CASE WHEN c.adopted THEN format('通过，列入%s，责任人%s，%s前完成。', ${LIST_NAMES}, c.owner_name, c.item_due_on)
                     WHEN NOT c.quorate THEN '参与户数未达法定人数，未通过。' ELSE '赞成户数未超过反对户数，未通过。' END),
              $1, 'published', $1, $3
         FROM c RETURNING id),
     audience AS (
       INSERT INTO notice_site (notice_id, site_id, region_code) SELECT c.notice_id, c.site_id, c.region_code FROM c
       RETURNING notice_id),
     items AS (
       INSERT INTO list_item (id, site_id, region_code, kind, title, detail, owner_name, owner_subject, due_on)
       SELECT c.item_id, c.site_id, c.region_code, c.list_kind, c.title, '居民议事会提请、住户表决通过的事项', c.owner_name,
         c.owner_subject,
              c.item_due_on
         FROM c WHERE c.adopted RETURNING id),
     decided AS (
       UPDATE proposal p SET status = CASE WHEN c.adopted THEN 'adopted' ELSE 'rejected' END, votes_for = c.yes,
              votes_against = c.no, votes_abstain = c.abstain, decided_at = $1, outcome_notice_id = c.notice_id,
              list_item_id = CASE WHEN c.adopted THEN c.item_id END
         FROM c WHERE p.id = c.id
       RETURNING p.id, p.status, p.site_id, p.region_code),
     audited AS (
       INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, site_id, region_code,
         request_id, detail)
       SELECT $3, $4, 'proposal.decide', 'Proposal', d.id::text, d.site_id, d.region_code, $5,
         jsonb_build_object('status', d.status)
         FROM decided d RETURNING id)
     SELECT d.id, d.status, c.notice_id AS "noticeId" FROM decided d JOIN c ON c.id = d.id ORDER BY d.id`,
      [now, ids, actor.subject, actor.role, currentRequestId() ?? null],
    );
    // A notice inserted by the statement above is not visible inside it: its readers are told in the next one.
    await notifyNoticesPublished(
      m,
      decided.map((d) => d.noticeId),
      now,
    );
    return decided.map(({ id, status }) => ({ id, status }));
  });
}

/** Closes due household votes every minute (议事表决截止). */
export function proposalVoteCloseTask(db: TransactionalSql, clock: Clock): ScheduledTask {
  return {
    name: 'proposals.close-votes',
    everyMs: 60_000,
    run: async () => ({
      closed: (
        await closeDueVotes(db, clock.now(), null, { subject: 'scheduler:proposals.close-votes', role: 'system' })
      ).length,
    }),
  };
}
