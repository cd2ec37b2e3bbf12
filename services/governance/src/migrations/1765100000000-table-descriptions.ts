import { tableDescriptionsMigration } from '@anju/kit';

/** What each table of this schema holds, as COMMENT ON TABLE: one description per table, for portal developers. */
export const TableDescriptions1765100000000 = tableDescriptionsMigration(1765100000000, {
  activity_reminder:
    "A resident's place at a community activity (from social-orgs' events), kept to remind them the day before.",
  building: '楼栋 — a building of a site, in at most one grid, with its building leader (楼栋长).',
  council_meeting:
    "居民议事会 — the residents' council meeting that decided a proposal: when, who attended, the decision.",
  grid: '网格 — a grid of buildings at one site, looked after by a grid worker (网格员).',
  grid_task: '网格员任务 — a follow-up for the grid worker, opened by an event of another service.',
  household: '户 — a resettled household, registered at one site.',
  joint_meeting:
    "联席会议 — a joint meeting of the site's party organization with units and residents, its agenda and resolutions.",
  lawyer_visit: "法律顾问驻点 — a legal adviser's scheduled visit to a site, with capacity for residents' bookings.",
  lawyer_visit_booking: "A resident's booking of a legal adviser's visit: the topic, and whether it was kept.",
  legal_adviser: '法律顾问 / 公职律师 — a legal adviser or public lawyer serving sites of a county.',
  legal_adviser_site: 'Which sites a legal adviser serves.',
  legal_study_attendance:
    "法治宣传 — attendance at a legal-study activity (from social-orgs' activity.attended), by site and topic.",
  list_item: '三张清单 — one item of the party-mass service, property management or grid management list.',
  list_item_reminder: 'A reminder sent for an overdue list item, one per item and day.',
  mediation_case: '人民调解 — a mediation case at a site, possibly from a micro-dispute, with its adviser and outcome.',
  mediation_party: 'A party to a mediation case: a resident or someone else, and their role.',
  mediation_session: 'A session of a mediation case: when, where, and what was said and agreed.',
  micro_issue: '微难题/微矛盾 — a micro-issue or micro-dispute of a building, routed up the levels until resolved.',
  micro_issue_step: 'One level a micro-issue passed through (楼栋长 → 网格员 → …): entered, due, left and why.',
  model_resident: '先进典范 — a resident nominated, then recognized (or not), as a model for the site.',
  notice: '居务公开 — a public notice for one or more sites.',
  notice_category_channel:
    'Which push channels (SMS, WeChat) each notice category uses; a category without a row goes to the inbox only.',
  notice_read: "A resident's reading of a notice (已读), once per notice and resident.",
  notice_site: 'The sites a notice is published to.',
  notification:
    "消息 — one message in a person's inbox (a resident, a volunteer or an officer), with what it is about.",
  notification_delivery:
    "One push of a notification over SMS or WeChat: its state, attempts and the provider's answer.",
  notification_preference: "A person's push settings: SMS and WeChat on or off, and quiet hours.",
  party_member: "A member of a site's party organization (党员), their position and unit.",
  party_organization: '党组织 — the party organization of a site (one per site) and its secretary.',
  points_account: "积分 — a resident's points: the balance to spend and the score earned in all.",
  points_redemption: "积分兑换 — a resident's redemption of a reward, and its state.",
  points_reward: "A reward of a site's points supermarket (积分超市): its price in points and stock.",
  proposal: "议事 — a resident's proposal for the site, through comments and votes to the council's decision.",
  proposal_comment: 'A comment on a proposal, by a resident or an officer.',
  proposal_vote: "One household's vote on a proposal (one per household and proposal, whoever of it votes).",
  region: '行政区划 — an administrative region, keyed by its GB/T 2260 code.',
  resident:
    '居民 — a resettled resident. The ID number and phone are sealed (AES-256-GCM) with a keyed hash for ' +
    'lookup; only their masked forms are ever read back by the API.',
  site: '安置点 — a centralized resettlement site in a county-level region.',
  supervision_finding:
    '监督 — a finding of a supervisory member on a list item, notice or other record of the site, and its answer.',
  supervisory_member: "居务监督委员会 — a resident appointed to the site's supervisory committee, for a term.",
  survey: '问卷 — a satisfaction or belonging survey of a site, open then closed with its results.',
  survey_group: "Respondents of a survey per building, so that small groups' answers are never shown apart.",
  survey_question: 'A question of a survey: a scale, a choice or a need.',
});
