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

/** Governance: party organization, joint meeting and its resolutions, the three lists, notices, micro-issues, points. */
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
    await db.query(`INSERT INTO list_item (site_id, region_code, kind, title, owner_name, due_on, status, completed_by, completed_at,
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
    await db.query(`INSERT INTO notice_site (notice_id, site_id, region_code) SELECT n.id, s.id, s.region_code FROM notice n, site s`);
    // About a third of each site's residents read each notice.
    await db.query(`INSERT INTO notice_read (notice_id, resident_id, site_id)
      SELECT n.id, r.id, r.site_id FROM notice n JOIN notice_site ns ON ns.notice_id = n.id
        JOIN resident r ON r.site_id = ns.site_id WHERE abs(hashtext(r.id::text || n.title)) % 3 = 0`);
    out.notice_read = await count(db, 'notice_read');
  }
  if (await has(db, 'micro_issue')) {
    // One micro-issue at each step of the ladder (building leader → grid worker → mediation → legal adviser), and one resolved.
    await db.query(`INSERT INTO micro_issue (site_id, region_code, building_id, grid_id, kind, title, description, reported_by_subject,
        reported_by_role, level, level_due_at, status, escalations, opened_at, resolved_at, resolved_by, outcome)
      SELECT b.site_id, s.region_code, b.id, b.grid_id, l.kind, l.title, l.title || '，请协调处理。', 'seed', 'grid_worker', l.level,
             now() + interval '2 days', l.status, l.esc, now() - interval '5 days',
             CASE WHEN l.status = 'resolved' THEN now() - interval '1 day' END, CASE WHEN l.status = 'resolved' THEN 'seed' END,
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
          FROM (SELECT *, row_number() OVER (PARTITION BY site_id ORDER BY id) AS k FROM resident WHERE labour_capacity <> 'none') r
          JOIN LATERAL (SELECT id, price FROM points_reward WHERE site_id = r.site_id AND price <= 60 ORDER BY price, id LIMIT 1) w ON true
         WHERE r.k <= 10),
      accounts AS (INSERT INTO points_account (resident_id, balance, score)
        SELECT resident_id, CASE WHEN k <= 3 THEN 60 - price ELSE 60 END, 60 FROM granted ORDER BY resident_id RETURNING resident_id),
      grants AS (INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, reason, actor, occurred_at)
        SELECT g.resident_id, site_id, region_code, 'grant', 60, 60, '门前三包、环境卫生评比优秀', 'seed', now() - interval '20 days'
          FROM granted g JOIN accounts a ON a.resident_id = g.resident_id),
      redeemed AS (INSERT INTO points_redemption (reward_id, resident_id, site_id, region_code, points, status, requested_by, settled_by,
          settled_at)
        SELECT reward_id, g.resident_id, site_id, region_code, price, 'fulfilled', 'seed', 'seed', now() - interval '5 days'
          FROM granted g JOIN accounts a ON a.resident_id = g.resident_id WHERE k <= 3 RETURNING id, resident_id, site_id, region_code, points)
      INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, redemption_id, occurred_at)
      SELECT resident_id, site_id, region_code, 'redeem', -points, 60 - points, id, now() - interval '5 days' FROM redeemed`);
    out.points_redemption = await count(db, 'points_redemption');
  }
  return out;
}

/** Social-orgs: contracts with milestones, a venture call with graded projects, cases with referrals (one overdue). */
export async function socialOrgsStory(db: SchemaWriter): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (await has(db, 'service_contract', 'contract_milestone')) {
    await db.query(`INSERT INTO service_contract (organization_id, title, purchaser, budget_yuan, starts_on, ends_on, deliverables,
        created_by, region_code)
      SELECT o.id, o.name || '社区服务项目（政府购买服务）', '县民政局', 200000, current_date - 120, current_date + 240,
             ARRAY['四点半课堂每周5次', '独居老人每月探访', '季度服务报告'], 'seed', o.service_region_codes[1]
        FROM organization o ORDER BY o.id`);
    await db.query(`INSERT INTO contract_milestone (contract_id, organization_id, title, due_on, evidence, evidence_at, accepted_at,
        accepted_by, region_code)
      SELECT c.id, c.organization_id, m.title, current_date + m.due, m.evidence, CASE WHEN m.evidence IS NOT NULL THEN now() END,
             CASE WHEN m.evidence IS NOT NULL THEN now() END, CASE WHEN m.evidence IS NOT NULL THEN 'seed' END, c.region_code
        FROM service_contract c, (VALUES ('第一季度服务报告', -30, '报告及签到表已提交'), ('第二季度服务报告', 60, NULL)) AS m(title, due, evidence)`);
    out.contract_milestone = await count(db, 'contract_milestone');
  }
  if (await has(db, 'venture_call', 'venture_application', 'venture_review')) {
    await db.query(`INSERT INTO venture_call (title, region_code, budget_yuan, applications_close_on, created_by)
      SELECT DISTINCT '公益创投大赛 ' || extract(year FROM current_date), service_region_codes[1], 300000, current_date - 60, 'seed'
        FROM organization`);
    await db.query(`INSERT INTO venture_application (call_id, organization_id, title, summary, requested_yuan, status, funded_yuan,
        midterm_score, midterm_grade, region_code)
      SELECT v.id, o.id, o.name || '：邻里互助小组培育', '培育楼栋互助小组，帮扶独居老人和留守儿童。', 50000,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN 'UNDER_REVIEW' ELSE 'MIDTERM_EVALUATED' END,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN NULL ELSE 45000 END,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN NULL ELSE 70 + 8 * row_number() OVER (ORDER BY o.id) END,
             CASE WHEN row_number() OVER (ORDER BY o.id) = 1 THEN NULL WHEN row_number() OVER (ORDER BY o.id) = 2 THEN 'B' ELSE 'A' END,
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
    await db.query(`INSERT INTO referral (case_id, organization_id, agency, reason, due_on, overdue_since, outcome, outcome_at, region_code)
      SELECT c.id, c.organization_id, f.agency, f.reason, current_date + f.due, CASE WHEN f.due < 0 AND f.outcome IS NULL THEN now() END,
             f.outcome, CASE WHEN f.outcome IS NOT NULL THEN now() END, c.region_code
        FROM social_case c, (VALUES ('CIVIL_AFFAIRS', '申请临时救助', -3, NULL), ('WOMENS_FEDERATION', '妇女权益咨询', 10, NULL),
                                    ('JUSTICE', '法律援助', -15, '已获法律援助')) AS f(agency, reason, due, outcome)`);
    out.referral = await count(db, 'referral');
  }
  if (await has(db, 'case_session', 'social_case')) {
    await db.query(`INSERT INTO case_session (case_id, organization_id, site_id, region_code, held_at, what_was_done, next_step,
        next_step_due_on, recorded_by, recorded_at)
      SELECT id, organization_id, site_id, region_code, now() - interval '7 days', '入户面谈，了解家庭关系与经济状况',
             '联系民政办申请临时救助', current_date + 7, 'seed', now() FROM social_case WHERE site_id IS NOT NULL`);
    out.case_session = await count(db, 'case_session');
  }
  if (await has(db, 'aid_fund', 'aid_payment', 'venture_application')) {
    // Each county's funds by source, and payments tied to them: venture grants to the funded projects, a direct grant.
    await db.query(`WITH grants AS (
        SELECT a.id, a.organization_id, a.region_code, a.funded_yuan FROM venture_application a WHERE a.funded_yuan IS NOT NULL),
      counties AS (SELECT DISTINCT region_code FROM venture_application),
      fiscal AS (INSERT INTO aid_fund (region_code, source, name, amount_yuan, spent_yuan, received_on, recorded_by, recorded_at)
        SELECT c.region_code, 'FISCAL', '财政衔接推进乡村振兴补助资金', 500000,
               coalesce((SELECT sum(funded_yuan) FROM grants g WHERE g.region_code = c.region_code), 0), current_date - 90, 'seed', now()
          FROM counties c RETURNING id, region_code),
      donation AS (INSERT INTO aid_fund (region_code, source, name, donor, amount_yuan, spent_yuan, received_on, recorded_by, recorded_at)
        SELECT c.region_code, 'SOCIAL_DONATION', '爱心企业捐赠', '东莞市某电子企业', 100000, 2000, current_date - 60, 'seed', now()
          FROM counties c RETURNING id, region_code),
      venture AS (INSERT INTO aid_payment (fund_id, region_code, use, organization_id, venture_application_id, amount_yuan, paid_on,
          recorded_by, recorded_at)
        SELECT f.id, g.region_code, 'VENTURE_GRANT', g.organization_id, g.id, g.funded_yuan, current_date - 30, 'seed', now()
          FROM grants g JOIN fiscal f ON f.region_code = g.region_code)
      INSERT INTO aid_payment (fund_id, region_code, use, organization_id, purpose, amount_yuan, paid_on, recorded_by, recorded_at)
      SELECT d.id, d.region_code, 'DIRECT_GRANT', (SELECT o.id FROM organization o ORDER BY o.id LIMIT 1), '困难家庭助学金（直接资助）', 2000,
             current_date - 20, 'seed', now() FROM donation d`);
    out.aid_payment = await count(db, 'aid_payment');
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
        SELECT d.id, d.hours, row_number() OVER (PARTITION BY d.site_id ORDER BY d.recorded_at, d.id) AS k, v.id AS volunteer_id
          FROM demand d JOIN LATERAL (SELECT id FROM volunteer WHERE home_site_id = d.site_id ORDER BY id LIMIT 1) v ON true
         WHERE d.status = 'open'),
      chosen AS (SELECT * FROM pick WHERE k <= 2),
      started AS (UPDATE demand SET status = 'in_progress', status_changed_at = now() WHERE id IN (SELECT id FROM chosen WHERE k = 2))
      INSERT INTO assignment (demand_id, volunteer_id, hours, score, explanation, source, status, responded_at)
      SELECT id, volunteer_id, hours, 0.8, '{"skills": 1, "distance": 0.6, "language": 1}'::jsonb, 'batch',
             CASE WHEN k = 1 THEN 'proposed' ELSE 'accepted' END, CASE WHEN k = 2 THEN now() END FROM chosen`);
    out.assignment = await count(db, 'assignment');
  }
  return out;
}
