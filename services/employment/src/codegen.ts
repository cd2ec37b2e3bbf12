/**
 * How `pnpm codegen` types this subgraph's resolvers (src/generated/graphql.ts): paths are relative
 * to that file; each mapper is the row a type's resolvers return and its field resolvers receive.
 */
export const codegen = {
  contextType: '../context#EmploymentContext',
  mappers: {
    Site: '@anju/kit#EntityRef',
    Household: '@anju/kit#EntityRef',
    Resident: '@anju/kit#EntityRef',
    LabourProfile: '../labour-profile/labour-profile.service#LabourProfileRow',
    TrainingCourse: '../training/training.service#CourseRow',
    Enrollment: '../training/training.service#EnrollmentRow',
    Skill: '../training/training.service#SkillRow',
    Employer: '../jobs/jobs.service#EmployerRow',
    JobPosting: '../jobs/jobs.service#PostingRow',
    EmploymentRecord: '../jobs/jobs.service#EmploymentRow',
    LandAsset: '../land/land.service#LandRow',
    IndustryProject: '../land/land.service#ProjectRow',
    ProjectLink: '../land/land.service#LinkRow',
    IncomeStability: '../monitoring/monitoring.service#StatusRow',
    HouseholdGap: '../monitoring/monitoring.service#GapRow',
    MonitoringRollup: '../monitoring/monitoring.service#RollupRow',
    MonitoringSnapshot: '../monitoring/monitoring.service#RollupRow',
  },
  loadResolvers: async () => (await import('./resolvers')).resolvers,
};
