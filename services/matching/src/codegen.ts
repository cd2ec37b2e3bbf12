/**
 * How `pnpm codegen` types this subgraph's resolvers (src/generated/graphql.ts): paths are relative
 * to that file; each mapper is the row a type's resolvers return and its field resolvers receive.
 */
export const codegen = {
  contextType: '../context#MatchingContext',
  mappers: {
    Site: '@anju/kit#EntityRef',
    Demand: '../demand/demand.service#DemandRow',
    Unit: '../unit/unit.service#UnitRow',
    ClaimBoardEntry: '../unit/unit.service#BoardEntry',
    Volunteer: '../volunteer/volunteer.service#VolunteerRow',
    Assignment: '../volunteer/volunteer.service#AssignmentRow',
    ServiceRecord: '../volunteer/volunteer.service#ServiceRecordRow',
    Candidate: '../engine#Explanation',
  },
  loadResolvers: async () => (await import('./resolvers')).resolvers,
};
