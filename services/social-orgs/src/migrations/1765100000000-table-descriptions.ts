import { tableDescriptionsMigration } from '@anju/kit';

/** What each table of this schema holds, as COMMENT ON TABLE: one description per table, for portal developers. */
export const TableDescriptions1765100000000 = tableDescriptionsMigration(1765100000000, {
  activity: '活动 — a community activity of an organization at a site, with capacity and waiting list.',
  activity_registration: "A resident's registration for an activity: registered, waiting, cancelled or attended.",
  aid_payment: 'A payment out of an aid fund, tied to its use: a contract payment, a venture grant or a direct grant.',
  case_member: "A resident in a case (a group's member or leader), from joining to leaving.",
  committee: '专业委员会 — a committee of experts for one field, in a region.',
  committee_member: 'An expert on a committee, and the organization they come from, if any.',
  consultation: "A question an organization put to a committee, and the experts' advice.",
  contract_milestone: 'A milestone of a service contract: due date, evidence submitted, acceptance.',
  contract_payment: 'A payment on a service contract, for a milestone or not.',
  incubation_step: "孵化 — one step of an organization's incubation (APPLIED → … → GRADUATED) and the support given.",
  micro_service:
    '微服务 — a regular service at a site (四点半课堂, elderly care, health checks…): schedule, capacity, who runs it.',
  organization: '社会组织 — a partner social organization (专业性/公益性/互助性).',
  referral: '转介 — a case referred to an agency (民政, 司法, 工会…), due by a date, and its answer.',
  service_contract:
    '购买服务 — a purchase-of-service contract with an organization: budget, period, deliverables, final rating.',
  social_case: '个案 — a case of social work (家庭治疗, 邻里互助小组, 个案支持) at a site, until its closing summary.',
  social_worker: '社工 — a social worker of an organization, from hiring to exit.',
  venture_application:
    "An organization's application to a venture call, through review, notice, funding and evaluations.",
  venture_call: '公益创投 — a call for public-interest projects in a region, with its budget and closing date.',
  venture_review: "One reviewer's score of a venture application.",
  worker_assessment: "A period's assessment of a social worker (0–100).",
  worker_assignment: 'The sites a social worker is assigned to, kept as history.',
  worker_feedback: "A resident's rating (1–5) of a social worker.",
});
