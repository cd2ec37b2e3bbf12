import { tableDescriptionsMigration } from '@anju/kit';

/** What each table of this schema holds, as COMMENT ON TABLE: one description per table, for portal developers. */
export const TableDescriptions1765100000000 = tableDescriptionsMigration(1765100000000, {
  assignment: 'A volunteer proposed for a demand, and their answer.',
  demand: "需求 — one item of a site's demand list (需求清单).",
  demand_transition: "One timed step of a demand's lifecycle (who moved it, from which status to which).",
  service_record: 'Hours a volunteer served, verified by the claiming unit or an officer.',
  unit: '区域单位 — a regional unit (party organization, department, enterprise, social organization) that claims demands.',
  volunteer: '志愿者 — a volunteer, resident or not.',
  volunteer_availability: 'A window in which a volunteer can serve.',
});
