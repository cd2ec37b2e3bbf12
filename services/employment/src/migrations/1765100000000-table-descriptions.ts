import { tableDescriptionsMigration } from '@anju/kit';

/** What each table of this schema holds, as COMMENT ON TABLE: one description per table, for portal developers. */
export const TableDescriptions1765100000000 = tableDescriptionsMigration(1765100000000, {
  employer: 'An employer at a site; kind poverty_workshop is a 扶贫车间.',
  employment_record: "A resident's job of any kind (就业形式), from start to end, with monthly income.",
  enrollment: "A resident's place on a course: enrolled → completed | dropped.",
  household_gap:
    'A gap (缺口): the income-stability rules a household newly failed, open until none of them fails; a ' +
    'grid task follows it.',
  household_place: 'Where a household lives, as the latest resident event said.',
  household_status: "A household's latest verdict against the four rules, with the figures it rests on.",
  industry_project: '产业项目 — an industry project at a site.',
  job_posting: 'A job posting; kind public_welfare_post is a 公益性岗位 with funding source and term.',
  labour_profile: '劳动力档案 — one per resident, created from resident.registered.',
  land_asset: '三块地 — a land asset of a household: contracted, forest or homestead land.',
  monitoring_run:
    'One night of income-stability monitoring: its day, timing, households checked, gaps opened and ' +
    'closed, full or steady pass.',
  monitoring_snapshot: "One day's roll-up of one place (grid, site, county, prefecture or province).",
  project_link: "利益联结 — a household's share in an industry project, with its annual dividend.",
  skill: '职业技能 — a skill a resident mastered, with its certificate.',
  training_course: '技能培训 — a training course at a site.',
});
