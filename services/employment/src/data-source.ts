import { LabourProfile } from './labour-profile/labour-profile.entity';
import { Enrollment, Skill, TrainingCourse } from './training/training.entity';
import { Employer, EmploymentRecord, JobPosting } from './jobs/jobs.entity';
import { IndustryProject, LandAsset, ProjectLink } from './land/land.entity';
import { HouseholdGap, HouseholdPlace, HouseholdStatus, MonitoringSnapshot } from './monitoring/monitoring.entity';
import { migrations } from './migrations';

/** Employment's tables live in the `employment` schema. */
export const employmentData = {
  schema: 'employment',
  entities: [
    LabourProfile,
    TrainingCourse,
    Enrollment,
    Skill,
    Employer,
    JobPosting,
    EmploymentRecord,
    LandAsset,
    IndustryProject,
    ProjectLink,
    HouseholdPlace,
    HouseholdStatus,
    HouseholdGap,
    MonitoringSnapshot,
  ],
  migrations,
  /** Created by its last migration: plain read/write on the schema's tables, no DDL. */
  runtimeRole: 'employment_app',
};
