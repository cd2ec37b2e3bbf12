import type { SchemaWriter } from './copy';

/**
 * The demo's story beyond people and jobs (issue 20): each area a user opens shows something.
 * Written by set-based SQL over the rows the seeders just wrote, relative to today so that some
 * items are overdue whenever the demo is loaded. A table that has not landed is skipped.
 */
async function has(db: SchemaWriter, ...tables: string[]): Promise<boolean> {
  for (const t of tables) if (!(await db.columns(t))) return false;
  return true;
}

const count = async (db: SchemaWriter, table: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

/**
 * Governance: party organization, joint meeting and its resolutions, the three lists, notices, micro-issues,
 * points.
 */
export async function governanceStory(db: SchemaWriter): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (await has(db, 'party_organization', 'party_member', 'joint_meeting', 'list_item')) {
    await db.query(`INSERT INTO party_organization (site_id, name, secretary_name)
      SELECT id, name || '社区大党委', '张书记' FROM site ORDER BY id`);
    await db.query(`INSERT INTO party_member (organization_id, name, position, unit_name, concurrent, joined_on)
      SELECT o.id, m.name, m.position, m.unit, m.unit IS NOT NULL, current_date - 400 FROM party_organization o,
        (VALUES ('张书记', '书记', NULL), ('李委员', '委员', '县人社局'), ('王委员', '兼职委员', '县供电公司'), ('赵委员', '兼职委员', '驻地派出所'))
          AS m(name, position, unit)`);
    await db.query(`INSERT INTO joint_meeting (site_id, region_code, held_on, title, agenda, minutes, recorded_by)
      SELECT id, region_code, current_date - 10, '共建理事会联席会议', ARRAY['就业帮扶', '物业管理', '网格巡查'], '议定三项事项，列入清单。', 'seed'
        FROM site ORDER BY id`);
    // The three lists (党群服务, 物业管理, 网格管理): some done, some open, some overdue; the meeting's resolutions among them.
    await db.query(`INSERT INTO list_item (site_id, region_code, kind, title, owner_name, due_on, status, completed_by,
      completed_at,
        resolution_of, resolution_no)
      SELECT s.id, s.region_code, k.kind, k.title, k.owner, current_date + k.due, k.status,
             CASE WHEN k.status = 'done' THEN 'seed' END, CASE WHEN k.status = 'done' THEN now() END,
             CASE WHEN k.resolution IS NOT NULL THEN m.id END, k.resolution
        FROM site s JOIN joint_meeting m ON m.site_id = s.id,
        (VALUES ('party_service', '组织党员志愿者入户走访独居老人', '张书记', 7, 'open', 1),
                ('party_service', '开展主题党日活动', '李委员', -20, 'done', NULL),
                ('property', '更换3栋单元门禁', '物业公司', -5, 'open', 2),
                ('property', '清理地下车库积水', '物业公司', 3, 'in_progress', NULL),
                ('grid', '网格员每月走访重点户', '网格员', -2, 'open', 3),
                ('grid', '排查楼道消防隐患', '网格员', 10, 'open', NULL)) AS k(kind, title, owner, due, status, resolution)`);
    out.party_organization = await count(db, 'party_organization');
    out.list_item = await count(db, 'list_item');
  }
  if (await has(db, 'notice', 'notice_site', 'notice_read')) {
    await db.query(`INSERT INTO notice (category, title, body, publish_at, status, published_at, created_by)
      SELECT c.category, c.title, c.body, now() - interval '3 days', 'published', now() - interval '3 days', 'seed'
        FROM (VALUES ('finance', '2026年第三季度财务公开', '收入与支出明细见附件。'),
                     ('party_building', '主题党日活动通知', '本周五下午在党群服务中心开展主题党日活动。'),
                     ('culture', '周末广场电影放映', '周六晚七点社区广场放映电影，欢迎居民参加。')) AS c(category, title, body)`);
    await db.query(`INSERT INTO notice_site (notice_id, site_id, region_code) SELECT n.id, s.id, s.region_code FROM
      notice n, site s`);
    // About a third of each site's residents read each notice.
    await db.query(`INSERT INTO notice_read (notice_id, resident_id, site_id)
      SELECT n.id, r.id, r.site_id FROM notice n JOIN notice_site ns ON ns.notice_id = n.id
        JOIN resident r ON r.site_id = ns.site_id WHERE abs(hashtext(r.id::text || n.title)) % 3 = 0`);
    out.notice_read = await count(db, 'notice_read');
  }
  if (await has(db, 'micro_issue')) {
    // One micro-issue at each step of the ladder (building leader → grid worker → mediation → legal adviser), and
    // one resolved.
    await db.query(`INSERT INTO micro_issue (site_id, region_code, building_id, grid_id, kind, title, description,
      reported_by_subject,
        reported_by_role, level, level_due_at, status, escalations, opened_at, resolved_at, resolved_by, outcome)
      SELECT b.site_id, s.region_code, b.id, b.grid_id, l.kind, l.title, l.title || '，请协调处理。', 'seed', 'grid_worker',
        l.level,
             now() + interval '2 days', l.status, l.esc, now() - interval '5 days',
             CASE WHEN l.status = 'resolved' THEN now() - interval '1 day' END, CASE WHEN l.status = 'resolved' THEN
               'seed' END,
             CASE WHEN l.status = 'resolved' THEN 'solved' END
        FROM (SELECT DISTINCT ON (site_id) * FROM building ORDER BY site_id, name) b JOIN site s ON s.id = b.site_id,
        (VALUES ('issue', '楼道灯坏了', 'building_leader', 'open', 0), ('issue', '电梯经常停运', 'grid_worker', 'open', 1),
                ('dispute', '邻里噪音纠纷', 'mediation', 'open', 2), ('dispute', '房屋漏水赔偿纠纷', 'legal_adviser', 'open', 3),
                ('issue', '单元门关不上', 'building_leader', 'resolved', 0)) AS l(kind, title, level, status, esc)`);
    out.micro_issue = await count(db, 'micro_issue');
  }
  if (await has(db, 'points_entry', 'points_redemption', 'points_reward')) {
    // Ten residents of each site granted points for 环境卫生评比; three of them redeem a reward. One statement: the
    // balances are checked against the ledger when it commits.
    await db.query(`WITH granted AS (
        SELECT r.id AS resident_id, r.site_id, r.region_code, r.k, w.id AS reward_id, w.price
          FROM (SELECT *, row_number() OVER (PARTITION BY site_id ORDER BY id) AS k FROM resident WHERE labour_capacity
            <> 'none') r
          JOIN LATERAL (SELECT id, price FROM points_reward WHERE site_id = r.site_id AND price <= 60 ORDER BY price,
            id LIMIT 1) w ON true
         WHERE r.k <= 10),
      accounts AS (INSERT INTO points_account (resident_id, balance, score)
        SELECT resident_id, CASE WHEN k <= 3 THEN 60 - price ELSE 60 END, 60 FROM granted ORDER BY resident_id
          RETURNING resident_id),
      grants AS (INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, reason,
        actor, occurred_at)
        SELECT g.resident_id, site_id, region_code, 'grant', 60, 60, '门前三包、环境卫生评比优秀', 'seed', now() - interval '20 days'
          FROM granted g JOIN accounts a ON a.resident_id = g.resident_id),
      redeemed AS (INSERT INTO points_redemption (reward_id, resident_id, site_id, region_code, points, status,
        requested_by, settled_by,
          settled_at)
        SELECT reward_id, g.resident_id, site_id, region_code, price, 'fulfilled', 'seed', 'seed', now() - interval
          '5 days'
          FROM granted g JOIN accounts a ON a.resident_id = g.resident_id WHERE k <= 3 RETURNING id, resident_id,
            site_id, region_code, points)
      INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, redemption_id,
        occurred_at)
      SELECT resident_id, site_id, region_code, 'redeem', -points, 60 - points, id, now() - interval '5 days' FROM
        redeemed`);
    out.points_redemption = await count(db, 'points_redemption');
  }
  Object.assign(out, await governanceCommunityStory(db));
  return out;
}

/**
 * Governance, the rest of a site's week: the co-building council (共建理事会) and its meetings, grid duties and
 * visits, legal advisers and their visits (法律顾问), a mediation (人民调解), model residents (身边好人), proposals
 * at each step of deliberation (协商议事), and the supervisory committee (居务监督) with a finding.
 */
async function governanceCommunityStory(db: SchemaWriter): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (await has(db, 'co_building_council', 'co_building_member', 'co_building_meeting')) {
    await db.query(`INSERT INTO co_building_council (site_id, region_code, name, meets_every_months, secretary_subject,
      set_at)
      SELECT id, region_code, name || '共建理事会', 3, 'seed', now() - interval '200 days' FROM site ORDER BY id`);
    await db.query(`INSERT INTO co_building_member (council_id, unit_name, representative_name, role, joined_on)
      SELECT c.id, m.unit, m.rep, m.role, current_date - 200 FROM co_building_council c,
        (VALUES ('社区党委', '张书记', 'chair'), ('县人社局', '李科长', 'vice_chair'), ('县供电公司', '王经理', 'member'),
                ('驻地派出所', '赵所长', 'member'), ('物业服务公司', '周经理', 'member')) AS m(unit, rep, role)`);
    // One meeting held last month with its minutes, the next one scheduled (and reminded) in ten days.
    await db.query(`INSERT INTO co_building_meeting (council_id, site_id, region_code, starts_at, place, agenda,
      status, scheduled_by,
        reminded_at, minutes, attending_member_ids, recorded_by, recorded_at)
      SELECT c.id, c.site_id, c.region_code, date_trunc('day', now()) + (m.days || ' days')::interval + interval
        '2 hours',
             '党群服务中心会议室', m.agenda, m.status, 'seed', CASE WHEN m.status = 'held' THEN now() - interval '32 days' END,
             CASE WHEN m.status = 'held' THEN '通报就业帮扶进展，议定增设夜间照明。' END,
             CASE WHEN m.status = 'held' THEN (SELECT array_agg(id ORDER BY id) FROM co_building_member WHERE
               council_id = c.id)
                  ELSE '{}'::uuid[] END,
             CASE WHEN m.status = 'held' THEN 'seed' END, CASE WHEN m.status = 'held' THEN now() - interval '30 days'
               END
        FROM co_building_council c,
        (VALUES (-30, ARRAY['就业帮扶进展', '小区照明'], 'held'), (10, ARRAY['冬季安全', '年度工作总结'], 'scheduled'))
          AS m(days, agenda, status)`);
    out.co_building_meeting = await count(db, 'co_building_meeting');
  }
  if (await has(db, 'grid_duty')) {
    await db.query(`INSERT INTO grid_duty (grid_id, site_id, region_code, position, title, detail, set_by, set_at)
      SELECT g.id, g.site_id, s.region_code, d.pos, d.title, d.detail, 'seed', now() - interval '100 days'
        FROM grid g JOIN site s ON s.id = g.site_id,
        (VALUES (1, '入户走访', '每户每季度至少走访一次，重点户每月一次'), (2, '矛盾纠纷排查', '每周排查楼栋矛盾纠纷，及时上报'),
                (3, '安全隐患巡查', '楼道消防通道、电动车充电每周巡查'), (4, '政策宣传', '就业、医保、低保政策进楼入户')) AS d(pos, title, detail)`);
    out.grid_duty = await count(db, 'grid_duty');
  }
  if (await has(db, 'household_visit')) {
    // Two households in three visited in the last two months; the rest are due, and the grid pass gives their
    // workers tasks.
    await db.query(`WITH visited AS (
        SELECT h.id, h.site_id, s.region_code, b.grid_id, g.grid_worker_subject, current_date -
          (abs(hashtext(h.id::text)) % 60) AS on_day
          FROM household h JOIN site s ON s.id = h.site_id LEFT JOIN building b ON b.id = h.building_id
          LEFT JOIN grid g ON g.id = b.grid_id
         WHERE abs(hashtext(h.id::text || 'visit')) % 3 <> 0),
      marked AS (UPDATE household h SET last_visited_on = v.on_day FROM visited v WHERE v.id = h.id)
      INSERT INTO household_visit (household_id, site_id, region_code, grid_id, visited_on, visited_by, note,
        recorded_at)
      SELECT id, site_id, region_code, grid_id, on_day, coalesce(grid_worker_subject, 'seed'), '家中情况稳定，已宣传就业政策',
             on_day + interval '18 hours' FROM visited`);
    out.household_visit = await count(db, 'household_visit');
  }
  if (await has(db, 'legal_adviser', 'legal_adviser_site', 'lawyer_visit')) {
    await db.query(`INSERT INTO legal_adviser (region_code, name, kind, organization)
      SELECT DISTINCT region_code, '杨律师', 'legal_adviser', '云南滇和律师事务所' FROM site
      UNION ALL SELECT DISTINCT region_code, '县司法局公职律师', 'public_lawyer', '县司法局' FROM site`);
    await db.query(`INSERT INTO legal_adviser_site (adviser_id, site_id)
      SELECT a.id, s.id FROM legal_adviser a JOIN site s ON s.region_code = a.region_code`);
    // A visit last week and one next week at every site (法律顾问进社区).
    await db.query(`INSERT INTO lawyer_visit (site_id, region_code, adviser_id, starts_at, ends_at, place, capacity,
      created_by)
      SELECT s.id, s.region_code, a.id, date_trunc('day', now()) + (d || ' days')::interval + interval '1 hour',
             date_trunc('day', now()) + (d || ' days')::interval + interval '4 hours', '党群服务中心法律服务室', 12, 'seed'
        FROM site s JOIN legal_adviser_site x ON x.site_id = s.id JOIN legal_adviser a ON a.id = x.adviser_id AND
          a.kind = 'legal_adviser',
        (VALUES (-7), (7)) AS v(d)`);
    out.lawyer_visit = await count(db, 'lawyer_visit');
  }
  if (await has(db, 'mediation_case', 'mediation_party', 'mediation_session', 'micro_issue')) {
    // The disputes that reached mediation are in the people's mediation committee's hands; one session held.
    await db.query(`INSERT INTO mediation_case (site_id, region_code, micro_issue_id, title, summary, mediator_name,
      opened_at)
      SELECT site_id, region_code, id, title, description, '人民调解委员会 刘调解员', now() - interval '3 days'
        FROM micro_issue WHERE level = 'mediation' AND status = 'open'`);
    await db.query(`INSERT INTO mediation_party (case_id, name, role)
      SELECT c.id, p.name, p.role FROM mediation_case c, (VALUES ('楼上住户', 'applicant'), ('楼下住户', 'respondent')) AS
        p(name, role)`);
    await db.query(`INSERT INTO mediation_session (case_id, held_at, place, notes, recorded_by)
      SELECT id, now() - interval '2 days', '调解室', '双方陈述诉求，约定晚十点后不再装修，下周回访。', 'seed' FROM mediation_case`);
    out.mediation_case = await count(db, 'mediation_case');
  }
  if (await has(db, 'model_resident')) {
    await db.query(`INSERT INTO model_resident (resident_id, site_id, region_code, title, reason, year, status,
      nominated_by, nominated_at,
        decided_by, decided_at)
      SELECT r.id, r.site_id, r.region_code, t.title, t.reason, extract(year FROM current_date)::int, t.status, 'seed',
        now() - interval '40 days',
             CASE WHEN t.status = 'recognized' THEN 'seed' END, CASE WHEN t.status = 'recognized' THEN now() - interval
               '10 days' END
        FROM (SELECT *, row_number() OVER (PARTITION BY site_id ORDER BY id) AS k FROM resident WHERE moved_out_on IS
          NULL) r
        JOIN (VALUES (1, '好邻居', '长期照顾同楼独居老人', 'recognized'), (2, '创业带头人', '开办扶贫车间带动12户就业', 'nominated'))
          AS t(k, title, reason, status) ON t.k = r.k`);
    out.model_resident = await count(db, 'model_resident');
  }
  if (await has(db, 'proposal', 'proposal_comment', 'proposal_vote', 'council_meeting')) {
    // Per site: one proposal under discussion, one put to the vote (votes cast), one adopted (its list item made).
    await db.query(`WITH heads AS (
        SELECT r.*, row_number() OVER (PARTITION BY r.site_id ORDER BY r.household_id) AS k FROM resident r
         WHERE r.relation_to_head = 'head' AND r.moved_out_on IS NULL),
      sized AS (SELECT site_id, count(*)::int AS households FROM household GROUP BY site_id)
      INSERT INTO proposal (site_id, region_code, title, body, raised_by, raised_by_role, raised_by_resident_id,
        raised_at, status,
          voting_opens_at, voting_closes_at, eligible_households, quorum_households, list_kind, owner_name,
            item_due_on, decided_at)
      SELECT h.site_id, h.region_code, p.title, p.body, 'seed', 'resident', h.id, now() - (p.age || ' days')::interval,
        p.status,
             CASE WHEN p.status <> 'open' THEN now() - ((p.age - 5) || ' days')::interval END,
             CASE p.status WHEN 'voting' THEN now() + interval '5 days' WHEN 'adopted' THEN now() - interval '3 days'
               END,
             CASE WHEN p.status <> 'open' THEN z.households END, CASE WHEN p.status <> 'open' THEN ceil(z.households /
               2.0)::int END,
             CASE WHEN p.status <> 'open' THEN p.kind END, CASE WHEN p.status <> 'open' THEN p.owner END,
             CASE WHEN p.status <> 'open' THEN current_date + 30 END, CASE WHEN p.status = 'adopted' THEN now() -
               interval '3 days' END
        FROM heads h JOIN sized z ON z.site_id = h.site_id
        JOIN (VALUES (1, '在小区增设电动车充电棚', '楼道充电有火灾隐患，建议在空地建充电棚。', 'open', 4, NULL, NULL),
                     (2, '调整垃圾清运时间', '早上六点清运太吵，建议改到七点半以后。', 'voting', 12, 'property', '物业公司'),
                     (3, '设立儿童四点半课堂', '双职工家庭孩子放学无人照看。', 'adopted', 30, 'party_service', '社区党委'))
          AS p(k, title, body, status, age, kind, owner) ON p.k = h.k`);
    await db.query(`INSERT INTO proposal_comment (proposal_id, author, author_role, author_resident_id, body, at)
      SELECT p.id, 'seed', 'resident', r.id, c.body, p.raised_at + (c.no || ' days')::interval
        FROM proposal p JOIN LATERAL (SELECT id FROM resident WHERE site_id = p.site_id AND moved_out_on IS NULL
                                       AND id <> p.raised_by_resident_id ORDER BY id LIMIT 1) r ON true,
        (VALUES (1, '赞成，另外希望装监控。'), (2, '费用由谁出，请社区说明。')) AS c(no, body)`);
    await db.query(`INSERT INTO council_meeting (proposal_id, held_on, attendee_resident_ids, decision, note,
      recorded_by, recorded_at)
      SELECT p.id, (p.voting_opens_at)::date, ARRAY[p.raised_by_resident_id], 'put_to_vote', '居民议事会同意提交表决', 'seed',
        p.voting_opens_at
        FROM proposal p WHERE p.status IN ('voting', 'adopted')`);
    // Household heads vote: two in three for the adopted one (quorate), a third of households so far on the one
    // still voting.
    await db.query(`INSERT INTO proposal_vote (proposal_id, household_id, voter_resident_id, choice, cast_at)
      SELECT p.id, r.household_id, r.id, CASE WHEN abs(hashtext(r.id::text)) % 4 = 0 THEN 'against' ELSE 'for' END,
             p.voting_opens_at + interval '1 day'
        FROM proposal p JOIN resident r ON r.site_id = p.site_id AND r.relation_to_head = 'head' AND r.moved_out_on IS
          NULL
       WHERE (p.status = 'adopted' AND abs(hashtext(r.household_id::text)) % 3 <> 0)
          OR (p.status = 'voting' AND abs(hashtext(r.household_id::text)) % 3 = 0)`);
    await db.query(`WITH tally AS (
        SELECT proposal_id, count(*) FILTER (WHERE choice = 'for')::int AS yes, count(*) FILTER (WHERE choice =
          'against')::int AS no,
               count(*) FILTER (WHERE choice = 'abstain')::int AS abstain FROM proposal_vote GROUP BY proposal_id),
      items AS (INSERT INTO list_item (site_id, region_code, kind, title, owner_name, due_on, status)
        SELECT site_id, region_code, list_kind, title, owner_name, item_due_on, 'open' FROM proposal WHERE status =
          'adopted'
        RETURNING id, site_id, title)
      UPDATE proposal p SET votes_for = t.yes, votes_against = t.no, votes_abstain = t.abstain,
             list_item_id = (SELECT i.id FROM items i WHERE i.site_id = p.site_id AND i.title = p.title AND p.status =
               'adopted')
        FROM tally t WHERE t.proposal_id = p.id AND p.status = 'adopted'`);
    out.proposal = await count(db, 'proposal');
  }
  if (await has(db, 'supervisory_member', 'supervision_finding', 'list_item')) {
    await db.query(`INSERT INTO supervisory_member (site_id, resident_id, region_code, appointed_on, appointed_by)
      SELECT site_id, id, region_code, current_date - 300, 'seed'
        FROM (SELECT *, row_number() OVER (PARTITION BY site_id ORDER BY id DESC) AS k FROM resident
               WHERE moved_out_on IS NULL AND labour_capacity <> 'none') r WHERE k <= 3`);
    // The committee flags an overdue list item; the site has not answered yet.
    await db.query(`INSERT INTO supervision_finding (site_id, region_code, target_kind, target_id, action, description,
      member_resident_id,
        recorded_by, recorded_at)
      SELECT DISTINCT ON (i.site_id) i.site_id, i.region_code, 'list_item', i.id::text, 'flag', '事项已超期未办结，请说明原因和办结时间。',
             m.resident_id, 'seed', now() - interval '1 day'
        FROM list_item i JOIN supervisory_member m ON m.site_id = i.site_id
       WHERE i.due_on < current_date AND i.status IN ('open', 'in_progress') ORDER BY i.site_id, i.due_on,
         m.resident_id`);
    out.supervision_finding = await count(db, 'supervision_finding');
  }
  if (await has(db, 'lawyer_visit_booking', 'building_helper', 'micro_issue_step')) {
    // Three residents of each site booked next week's lawyer visit; two helpers per building (楼栋长助手); the
    // ladder's history.
    await db.query(`INSERT INTO lawyer_visit_booking (visit_id, resident_id, topic, booked_at)
      SELECT v.id, r.id, '房屋租赁合同纠纷咨询', now() - interval '1 day' FROM lawyer_visit v
        JOIN LATERAL (SELECT id FROM resident WHERE site_id = v.site_id AND moved_out_on IS NULL ORDER BY id LIMIT 3) r
          ON true
       WHERE v.starts_at > now()`);
    await db.query(`INSERT INTO building_helper (building_id, resident_id, since)
      SELECT b.id, r.id, current_date - 180 FROM building b
        JOIN LATERAL (SELECT r.id FROM resident r JOIN household h ON h.id = r.household_id
                       WHERE h.building_id = b.id AND r.moved_out_on IS NULL AND r.labour_capacity <> 'none' ORDER BY
                         r.id LIMIT 2) r ON true`);
    // Each micro-issue's steps up its ladder: every rung below its level left at its deadline, its own level entered.
    await db.query(`INSERT INTO micro_issue_step (micro_issue_id, level, entered_at, due_at, left_at, left_because)
      SELECT mi.id, l.level, mi.opened_at + (l.rung || ' days')::interval, mi.opened_at + ((l.rung + 1) ||
        ' days')::interval,
             CASE WHEN l.rung < mi.escalations THEN mi.opened_at + ((l.rung + 1) || ' days')::interval
                  WHEN mi.status = 'resolved' THEN mi.resolved_at END,
             CASE WHEN l.rung < mi.escalations THEN 'deadline' WHEN mi.status = 'resolved' THEN 'resolved' END
        FROM micro_issue mi JOIN (VALUES (0, 'building_leader'), (1, 'grid_worker'), (2, 'mediation'), (3,
          'legal_adviser')) AS l(rung, level)
          ON l.rung <= mi.escalations`);
    out.micro_issue_step = await count(db, 'micro_issue_step');
  }
  if (await has(db, 'survey', 'survey_question', 'survey_respondent', 'survey_group', 'survey_tally')) {
    // Per site a closed satisfaction survey with its counts by building, and a sense-of-belonging survey still open.
    // As the service stores them: who answered apart from what was answered, counts only (never an answer per
    // resident).
    await db.query(`INSERT INTO survey (site_id, region_code, kind, title, status, opens_at, closes_at, created_by,
      closed_at)
      SELECT s.id, s.region_code, v.kind, v.title, v.status, now() - (v.opened || ' days')::interval, now() + (v.closes
        || ' days')::interval,
             'seed', CASE WHEN v.status = 'closed' THEN now() + (v.closes || ' days')::interval END
        FROM site s, (VALUES ('satisfaction', '物业服务满意度调查', 'closed', 40, -10), ('belonging', '社区归属感调查', 'open', 3, 11))
          AS v(kind, title, status, opened, closes)`);
    await db.query(`INSERT INTO survey_question (survey_id, no, text, kind, scale_max, options)
      SELECT s.id, q.no, q.text, q.kind, q.scale_max, q.options FROM survey s
        JOIN (VALUES ('satisfaction', 1, '您对物业服务总体是否满意？', 'scale', 5, '{}'::text[]),
                     ('satisfaction', 2, '最希望改进的方面', 'choice', NULL, ARRAY['环境卫生', '安全巡逻', '维修响应', '停车管理']),
                     ('belonging', 1, '您觉得自己是这个社区的一员吗？', 'scale', 5, '{}'::text[]),
                     ('belonging', 2, '您最常参加的社区活动', 'choice', NULL, ARRAY['文艺活动', '志愿服务', '议事协商', '很少参加']))
          AS q(survey_kind, no, text, kind, scale_max, options) ON q.survey_kind = s.kind`);
    await db.query(`WITH answered AS (
        SELECT sv.id AS survey_id, r.id AS resident_id, coalesce(h.building_id::text, 'none') AS group_key,
               (1 + abs(hashtext(r.id::text || sv.id::text)) % 5)::text AS scale,
               (ARRAY['环境卫生', '安全巡逻', '维修响应', '停车管理', '文艺活动', '志愿服务', '议事协商', '很少参加'])
                 [CASE sv.kind WHEN 'satisfaction' THEN 1 ELSE 5 END + abs(hashtext(sv.id::text || r.id::text)) % 4] AS
                   choice
          FROM survey sv JOIN resident r ON r.site_id = sv.site_id AND r.moved_out_on IS NULL
          JOIN household h ON h.id = r.household_id
         WHERE abs(hashtext(r.id::text || sv.kind)) % (CASE sv.status WHEN 'closed' THEN 3 ELSE 8 END) = 0),
      respondents AS (INSERT INTO survey_respondent (survey_id, resident_id) SELECT survey_id, resident_id FROM
        answered),
      groups AS (INSERT INTO survey_group (survey_id, group_key, respondents)
        SELECT survey_id, group_key, count(*) FROM answered GROUP BY 1, 2)
      INSERT INTO survey_tally (survey_id, question_no, group_key, answer, count)
      SELECT survey_id, no, group_key, answer, count(*) FROM answered,
             LATERAL (VALUES (1, scale), (2, choice)) AS a(no, answer) GROUP BY 1, 2, 3, 4`);
    out.survey_respondent = await count(db, 'survey_respondent');
  }
  return out;
}

/** Social-orgs: contracts with milestones, a venture call with graded projects, cases with referrals (one overdue). */
export async function socialOrgsStory(db: SchemaWriter): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (await has(db, 'service_contract', 'contract_milestone')) {
    await db.query(`INSERT INTO service_contract (organization_id, title, purchaser, budget_yuan, starts_on, ends_on,
      deliverables,
        created_by, region_code)
      SELECT o.id, o.name || '社区服务项目（政府购买服务）', '县民政局', 200000, current_date - 120, current_date + 240,
             ARRAY['四点半课堂每周5次', '独居老人每月探访', '季度服务报告'], 'seed', o.service_region_codes[1]
        FROM organization o ORDER BY o.id`);
    await db.query(`INSERT INTO contract_milestone (contract_id, organization_id, title, due_on, evidence, evidence_at,
      accepted_at,
        accepted_by, region_code)
      SELECT c.id, c.organization_id, m.title, current_date + m.due, m.evidence, CASE WHEN m.evidence IS NOT NULL THEN
        now() END,
             CASE WHEN m.evidence IS NOT NULL THEN now() END, CASE WHEN m.evidence IS NOT NULL THEN 'seed' END,
               c.region_code
        FROM service_contract c, (VALUES ('第一季度服务报告', -30, '报告及签到表已提交'), ('第二季度服务报告', 60, NULL)) AS m(title, due,
          evidence)`);
    out.contract_milestone = await count(db, 'contract_milestone');
  }
  if (await has(db, 'venture_call', 'venture_application', 'venture_review')) {
    await db.query(`INSERT INTO venture_call (title, region_code, budget_yuan, applications_close_on, created_by)
      SELECT DISTINCT '公益创投大赛 ' || extract(year FROM current_date), service_region_codes[1], 300000, current_date - 60,
        'seed'
        FROM organization`);
    await db.query(`INSERT INTO venture_application (call_id, organization_id, title, summary, requested_yuan, status,
      funded_yuan,
        midterm_score, midterm_grade, region_code)
      SELECT v.id, o.id, o.name || '：邻里互助小组培育', '培育楼栋互助小组，帮扶独居老人和留守儿童。', 50000,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN 'UNDER_REVIEW' ELSE 'MIDTERM_EVALUATED' END,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN NULL ELSE 45000 END,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN NULL ELSE 70 + 8 * row_number() OVER (ORDER BY o.id)
               END,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN NULL WHEN row_number() OVER (ORDER BY o.id) = 2 THEN
               'B' ELSE 'A' END,
             v.region_code
        FROM venture_call v JOIN organization o ON v.region_code = o.service_region_codes[1]`);
    await db.query(`INSERT INTO venture_review (application_id, organization_id, reviewer, score, comment, region_code)
      SELECT a.id, a.organization_id, r.reviewer, r.score, '方案可行', a.region_code
        FROM venture_application a, (VALUES ('评审专家甲', 82), ('评审专家乙', 88)) AS r(reviewer, score)`);
    out.venture_application = await count(db, 'venture_application');
  }
  if (await has(db, 'social_case', 'referral', 'resident_directory')) {
    await db.query(`INSERT INTO social_case (organization_id, kind, title, household_id, site_id, status, region_code)
      SELECT DISTINCT ON (o.id) o.id, 'FAMILY_THERAPY', '家庭关系调适个案', d.household_id, d.site_id, 'OPEN', d.region_code
        FROM organization o JOIN resident_directory d ON d.region_code LIKE o.service_region_codes[1] || '%'
       ORDER BY o.id, d.household_id`);
    await db.query(`INSERT INTO referral (case_id, organization_id, agency, reason, due_on, overdue_since, outcome,
      outcome_at, region_code)
      SELECT c.id, c.organization_id, f.agency, f.reason, current_date + f.due, CASE WHEN f.due < 0 AND f.outcome IS
        NULL THEN now() END,
             f.outcome, CASE WHEN f.outcome IS NOT NULL THEN now() END, c.region_code
        FROM social_case c, (VALUES ('CIVIL_AFFAIRS', '申请临时救助', -3, NULL), ('WOMENS_FEDERATION', '妇女权益咨询', 10, NULL),
                                    ('JUSTICE', '法律援助', -15, '已获法律援助')) AS f(agency, reason, due, outcome)`);
    out.referral = await count(db, 'referral');
  }
  if (await has(db, 'case_session', 'social_case')) {
    await db.query(`INSERT INTO case_session (case_id, organization_id, site_id, region_code, held_at, what_was_done,
      next_step,
        next_step_due_on, recorded_by, recorded_at)
      SELECT id, organization_id, site_id, region_code, now() - interval '7 days', '入户面谈，了解家庭关系与经济状况',
             '联系民政办申请临时救助', current_date + 7, 'seed', now() FROM social_case WHERE site_id IS NOT NULL`);
    out.case_session = await count(db, 'case_session');
  }
  if (await has(db, 'social_case', 'case_member', 'resident_directory')) {
    // A mutual-aid group (互助小组) of five residents at each organization's first site, one of them leading it.
    await db.query(`WITH groups AS (
        INSERT INTO social_case (organization_id, kind, title, site_id, status, region_code, opened_at)
        SELECT DISTINCT ON (c.organization_id) c.organization_id, 'MUTUAL_AID_GROUP', '留守老人互助小组', c.site_id, 'OPEN',
          c.region_code,
               now() - interval '45 days'
          FROM social_case c WHERE c.site_id IS NOT NULL ORDER BY c.organization_id, c.id
        RETURNING id, organization_id, site_id, opened_at)
      INSERT INTO case_member (case_id, organization_id, site_id, resident_id, household_id, role, joined_at)
      SELECT g.id, g.organization_id, g.site_id, d.resident_id, d.household_id, CASE WHEN d.k = 1 THEN 'LEADER' ELSE
        'MEMBER' END, g.opened_at
        FROM groups g JOIN LATERAL (SELECT resident_id, household_id, row_number() OVER (ORDER BY resident_id) AS k
          FROM resident_directory
                                     WHERE site_id = g.site_id AND moved_out_on IS NULL ORDER BY resident_id LIMIT 5) d
                                       ON true`);
    out.case_member = await count(db, 'case_member');
  }
  if (await has(db, 'aid_fund', 'aid_payment', 'venture_application')) {
    // Each county's funds by source, and payments tied to them: venture grants to the funded projects, a direct grant.
    await db.query(`WITH grants AS (
        SELECT a.id, a.organization_id, a.region_code, a.funded_yuan FROM venture_application a WHERE a.funded_yuan IS
          NOT NULL),
      counties AS (SELECT DISTINCT region_code FROM venture_application),
      fiscal AS (INSERT INTO aid_fund (region_code, source, name, amount_yuan, spent_yuan, received_on, recorded_by,
        recorded_at)
        SELECT c.region_code, 'FISCAL', '财政衔接推进乡村振兴补助资金', 500000,
               coalesce((SELECT sum(funded_yuan) FROM grants g WHERE g.region_code = c.region_code), 0), current_date -
                 90, 'seed', now()
          FROM counties c RETURNING id, region_code),
      donation AS (INSERT INTO aid_fund (region_code, source, name, donor, amount_yuan, spent_yuan, received_on,
        recorded_by, recorded_at)
        SELECT c.region_code, 'SOCIAL_DONATION', '爱心企业捐赠', '东莞市某电子企业', 100000, 2000, current_date - 60, 'seed', now()
          FROM counties c RETURNING id, region_code),
      venture AS (INSERT INTO aid_payment (fund_id, region_code, use, organization_id, venture_application_id,
        amount_yuan, paid_on,
          recorded_by, recorded_at)
        SELECT f.id, g.region_code, 'VENTURE_GRANT', g.organization_id, g.id, g.funded_yuan, current_date - 30, 'seed',
          now()
          FROM grants g JOIN fiscal f ON f.region_code = g.region_code)
      INSERT INTO aid_payment (fund_id, region_code, use, organization_id, purpose, amount_yuan, paid_on, recorded_by,
        recorded_at)
      SELECT d.id, d.region_code, 'DIRECT_GRANT', (SELECT o.id FROM organization o ORDER BY o.id LIMIT 1),
        '困难家庭助学金（直接资助）', 2000,
             current_date - 20, 'seed', now() FROM donation d`);
    out.aid_payment = await count(db, 'aid_payment');
  }
  Object.assign(out, await socialOrgsPeopleStory(db));
  return out;
}

/** The province's calendar quarter of a timestamp (2026-Q4), as feedback periods are written. */
const QUARTER_SQL = (t: string) => `to_char((${t}) AT TIME ZONE 'Asia/Shanghai', 'YYYY"-Q"Q')`;

/**
 * Social-orgs, people and programmes: this month's legal study (法治宣传) and cultural activities with attendance,
 * social workers assessed with residents' feedback (进管考出), an expert committee with consultations, micro
 * services at the sites, an organization's incubation steps, and a contract payment out of an aid fund.
 */
async function socialOrgsPeopleStory(db: SchemaWriter): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (await has(db, 'activity', 'activity_registration', 'resident_directory')) {
    // Ids from the site and title, so that the same seed still gives the same rows (the seed's determinism test).
    await db.query(`WITH made AS (
        INSERT INTO activity (id, organization_id, site_id, title, kind, starts_at, ends_at, capacity, legal_topic,
          cultural_form)
        SELECT md5(d.site_id::text || a.title)::uuid, o.id, d.site_id, a.title, a.kind, date_trunc('day', now()) -
          interval '2 days' + a.at,
               date_trunc('day', now()) - interval '2 days' + a.at + interval '2 hours', 60, a.topic, a.form
          FROM (SELECT DISTINCT site_id, region_code FROM resident_directory) d
          JOIN LATERAL (SELECT id FROM organization WHERE service_region_codes[1] = d.region_code ORDER BY id LIMIT 1)
            o ON true,
          (VALUES ('民法典进社区宣讲', 'EDUCATION', 'CIVIL_CODE', NULL, interval '1 hour'),
                  ('周末广场电影：《我和我的家乡》', 'CULTURAL', NULL, 'FILM', interval '11 hours')) AS a(title, kind, topic, form, at)
        RETURNING id, organization_id, site_id, starts_at)
      INSERT INTO activity_registration (id, activity_id, organization_id, resident_id, participant_name, status,
        registered_by,
          registered_at, attended_at)
      SELECT md5(m.id::text || r.resident_id::text)::uuid, m.id, m.organization_id, r.resident_id, '居民', 'ATTENDED',
        'seed', m.starts_at - interval '3 days', m.starts_at
        FROM made m JOIN resident_directory r ON r.site_id = m.site_id AND r.moved_out_on IS NULL
       WHERE abs(hashtext(r.resident_id::text || m.id::text)) % 12 = 0`);
    out.activity = await count(db, 'activity');
    out.activity_registration = await count(db, 'activity_registration');
  }
  if (
    await has(db, 'social_worker', 'worker_assignment', 'worker_assessment', 'worker_feedback', 'resident_directory')
  ) {
    await db.query(`INSERT INTO worker_assignment (worker_id, organization_id, site_ids, assigned_at, assigned_by)
      SELECT id, organization_id, site_ids, joined_on + interval '9 hours', 'seed' FROM social_worker WHERE
        cardinality(site_ids) > 0`);
    // Last quarter's assessment for every worker (scores spread over the grades) and this quarter's for half of them.
    await db.query(`INSERT INTO worker_assessment (worker_id, organization_id, period, score, comments, assessed_by,
      assessed_at)
      SELECT w.id, w.organization_id, ${QUARTER_SQL(`now() - q.back`)}, 55 + abs(hashtext(w.id::text || q.back::text))
        % 45,
             '服务记录完整，居民反映良好', 'seed', now() - q.back
        FROM social_worker w, (VALUES (interval '92 days'), (interval '1 day')) AS q(back)
       WHERE q.back = interval '92 days' OR abs(hashtext(w.id::text)) % 2 = 0`);
    // A few residents of each worker's first site rate them this quarter and last.
    await db.query(`INSERT INTO worker_feedback (worker_id, organization_id, resident_id, rating, comment, period,
      given_at)
      SELECT w.id, w.organization_id, r.resident_id, 3 + abs(hashtext(r.resident_id::text || w.id::text)) % 3, '耐心细致',
             ${QUARTER_SQL(`now() - q.back`)}, now() - q.back
        FROM social_worker w JOIN LATERAL (SELECT resident_id FROM resident_directory WHERE site_id = w.site_ids[1]
                                            AND moved_out_on IS NULL ORDER BY resident_id LIMIT 4) r ON true,
        (VALUES (interval '92 days'), (interval '1 day')) AS q(back)`);
    out.worker_assessment = await count(db, 'worker_assessment');
    out.worker_feedback = await count(db, 'worker_feedback');
  }
  if (await has(db, 'committee', 'committee_member', 'consultation')) {
    await db.query(`INSERT INTO committee (name, field, region_code, created_by)
      SELECT DISTINCT '社会工作专家委员会', '社会工作', service_region_codes[1], 'seed' FROM organization`);
    await db.query(`INSERT INTO committee_member (committee_id, name, expertise, affiliation)
      SELECT c.id, m.name, m.expertise, m.affiliation FROM committee c,
        (VALUES ('何教授', '社区治理', '云南大学'), ('林督导', '个案管理', '昆明市社会工作协会'), ('马老师', '儿童保护', '昭通学院'))
          AS m(name, expertise, affiliation)`);
    await db.query(`INSERT INTO consultation (committee_id, organization_id, topic, problem, status, advice,
      advised_by, advised_at,
        requested_by, requested_at)
      SELECT c.id, o.id, q.topic, q.problem, q.status, CASE WHEN q.status = 'ADVISED' THEN q.advice END,
             CASE WHEN q.status = 'ADVISED' THEN (SELECT array_agg(id ORDER BY id) FROM committee_member WHERE
               committee_id = c.id)
                  ELSE '{}'::uuid[] END,
             CASE WHEN q.status = 'ADVISED' THEN now() - interval '5 days' END, 'seed', now() - (q.age ||
               ' days')::interval
        FROM committee c JOIN LATERAL (SELECT id FROM organization WHERE service_region_codes[1] = c.region_code ORDER
          BY id LIMIT 1) o ON true,
        (VALUES ('留守儿童心理疏导', '部分儿童沉默寡言，家长常年在外。', 'ADVISED', '建立一对一陪伴小组，每月家访。', 20),
                ('老年人防诈骗宣传', '近期有老人收到冒充医保的诈骗电话。', 'OPEN', NULL, 2)) AS q(topic, problem, status, advice, age)`);
    out.consultation = await count(db, 'consultation');
  }
  if (await has(db, 'micro_service', 'social_worker')) {
    await db.query(`INSERT INTO micro_service (organization_id, site_id, kind, name, weekdays, start_time, end_time,
      capacity,
        runner_worker_id, runner_name)
      SELECT DISTINCT ON (w.site_ids[1], m.kind) w.organization_id, w.site_ids[1], m.kind, m.name, m.days, m.starts,
        m.ends, m.cap, w.id, w.name
        FROM social_worker w,
        (VALUES ('AFTER_SCHOOL_CLASS', '四点半课堂', ARRAY[1, 2, 3, 4, 5]::smallint[], time '16:30', time '18:30', 30),
                ('ELDERLY_CARE', '长者饭堂与日间照料', ARRAY[1, 3, 5]::smallint[], time '09:00', time '12:00', 20))
          AS m(kind, name, days, starts, ends, cap)
       WHERE cardinality(w.site_ids) > 0 ORDER BY w.site_ids[1], m.kind, w.id`);
    out.micro_service = await count(db, 'micro_service');
  }
  if (await has(db, 'incubation_step')) {
    await db.query(`INSERT INTO incubation_step (organization_id, from_stage, to_stage, support, funding_yuan,
      recorded_by, recorded_at)
      SELECT o.id, s.from_stage, s.to_stage, s.support, s.funding, 'seed', o.registered_at + s.after
        FROM organization o,
        (VALUES ('applied', 'incubating', '入驻孵化基地，提供办公场地和财务托管', 20000, interval '30 days'),
                ('incubating', 'registered', '协助完成民政登记，督导培训12课时', NULL, interval '200 days')) AS s(from_stage,
                  to_stage, support,
                  funding, after)
       WHERE o.stage = 'registered' OR (o.stage = 'incubating' AND s.to_stage = 'incubating')`);
    out.incubation_step = await count(db, 'incubation_step');
  }
  if (await has(db, 'contract_payment', 'contract_milestone', 'aid_fund', 'aid_payment')) {
    // The first quarter's accepted milestone is paid out of the county's fiscal fund (its balance and the payment
    // in one go).
    await db.query(`WITH due AS (
        SELECT m.id AS milestone_id, c.id AS contract_id, c.organization_id, c.region_code, f.id AS fund_id, 50000 AS
          amount
          FROM contract_milestone m JOIN service_contract c ON c.id = m.contract_id
          JOIN LATERAL (SELECT id FROM aid_fund WHERE region_code = c.region_code AND source = 'FISCAL'
                         AND amount_yuan - spent_yuan >= 50000 ORDER BY id LIMIT 1) f ON true
         WHERE m.accepted_at IS NOT NULL),
      paid AS (INSERT INTO contract_payment (contract_id, organization_id, milestone_id, amount_yuan, paid_on,
        recorded_by, region_code, fund_id)
        SELECT contract_id, organization_id, milestone_id, amount, current_date - 25, 'seed', region_code, fund_id FROM
          due
        RETURNING id, fund_id, organization_id, region_code, amount_yuan),
      spent AS (UPDATE aid_fund f SET spent_yuan = spent_yuan + x.total
        FROM (SELECT fund_id, sum(amount_yuan) AS total FROM paid GROUP BY fund_id) x WHERE x.fund_id = f.id)
      INSERT INTO aid_payment (fund_id, region_code, use, organization_id, contract_payment_id, amount_yuan, paid_on,
        recorded_by, recorded_at)
      SELECT p.fund_id, f.region_code, 'CONTRACT_PAYMENT', p.organization_id, p.id, p.amount_yuan, current_date - 25,
        'seed', now()
        FROM paid p JOIN aid_fund f ON f.id = p.fund_id`);
    out.contract_payment = await count(db, 'contract_payment');
  }
  return out;
}

/** Matching: volunteers' availability, and proposed and accepted assignments on open demands. */
export async function matchingStory(db: SchemaWriter): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (await has(db, 'volunteer_availability', 'assignment')) {
    await db.query(`INSERT INTO volunteer_availability (volunteer_id, starts_at, ends_at)
      SELECT v.id, date_trunc('day', now()) + (d || ' days')::interval + interval '9 hours',
             date_trunc('day', now()) + (d || ' days')::interval + interval '17 hours'
        FROM volunteer v, generate_series(1, 7, 2) d`);
    // The two oldest open demands of each site: one proposed to a volunteer of the site, one accepted (in progress).
    await db.query(`WITH pick AS (
        SELECT d.id, d.hours, row_number() OVER (PARTITION BY d.site_id ORDER BY d.recorded_at, d.id) AS k, v.id AS
          volunteer_id
          FROM demand d JOIN LATERAL (SELECT id FROM volunteer WHERE home_site_id = d.site_id ORDER BY id LIMIT 1) v ON
            true
         WHERE d.status = 'open'),
      chosen AS (SELECT * FROM pick WHERE k <= 2),
      started AS (UPDATE demand SET status = 'in_progress', status_changed_at = now() WHERE id IN (SELECT id FROM
        chosen WHERE k = 2))
      INSERT INTO assignment (demand_id, volunteer_id, hours, score, explanation, source, status, responded_at)
      SELECT id, volunteer_id, hours, 0.8, '{"skills": 1, "distance": 0.6, "language": 1}'::jsonb, 'batch',
             CASE WHEN k = 1 THEN 'proposed' ELSE 'accepted' END, CASE WHEN k = 2 THEN now() END FROM chosen`);
    out.assignment = await count(db, 'assignment');
  }
  if (await has(db, 'service_record', 'assignment')) {
    // Hours served so far on the accepted assignments, the older ones verified by the site.
    await db.query(`INSERT INTO service_record (volunteer_id, assignment_id, demand_id, site_id, region_code, hours,
      served_on, recorded_by,
        recorded_at, verified_by, verified_at)
      SELECT a.volunteer_id, a.id, d.id, d.site_id, d.region_code, least(a.hours, 2), current_date - v.back, 'seed',
        now() - (v.back || ' days')::interval,
             CASE WHEN v.back > 2 THEN 'seed' END, CASE WHEN v.back > 2 THEN now() - ((v.back - 1) ||
               ' days')::interval END
        FROM assignment a JOIN demand d ON d.id = a.demand_id, (VALUES (1), (5)) AS v(back)
       WHERE a.status = 'accepted'`);
    out.service_record = await count(db, 'service_record');
  }
  return out;
}
