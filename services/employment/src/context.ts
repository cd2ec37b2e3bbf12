import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, byKeyLoader, type RequestBase } from '@anju/kit';
import { LabourProfileService, type LabourProfileRow } from './labour-profile/labour-profile.service';
import { TrainingService, type CourseRow, type EnrollmentRow, type SkillRow } from './training/training.service';
import { JobsService, type EmployerRow, type EmploymentRow, type PostingRow } from './jobs/jobs.service';
import { LandService, type LandRow, type LinkRow, type ProjectRow } from './land/land.service';
import { MonitoringService, type GapRow, type StatusRow } from './monitoring/monitoring.service';

export interface EmploymentContext extends RequestBase {
  labourProfiles: LabourProfileService;
  training: TrainingService;
  jobs: JobsService;
  land: LandService;
  monitoring: MonitoringService;
  loaders: {
    labourProfile: DataLoader<string, LabourProfileRow | null>;
    course: DataLoader<string, CourseRow | null>;
    enrollmentsOfCourse: DataLoader<string, EnrollmentRow[]>;
    enrollmentsOfResident: DataLoader<string, EnrollmentRow[]>;
    skillsOfResident: DataLoader<string, SkillRow[]>;
    employer: DataLoader<string, EmployerRow | null>;
    posting: DataLoader<string, PostingRow | null>;
    employmentsOfResident: DataLoader<string, EmploymentRow[]>;
    landOfHousehold: DataLoader<string, LandRow[]>;
    linksOfHousehold: DataLoader<string, LinkRow[]>;
    linksOfProject: DataLoader<string, LinkRow[]>;
    project: DataLoader<string, ProjectRow | null>;
    status: DataLoader<string, StatusRow | null>;
    openGaps: DataLoader<string, GapRow[]>;
  };
}

/** A loader of lists: one query for many keys, rows grouped back by key. */
function groupLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await fetch(keys);
    const by = new Map<string, T[]>();
    for (const r of rows) by.set(keyOf(r), [...(by.get(keyOf(r)) ?? []), r]);
    return keys.map((k) => by.get(k) ?? []);
  }, { maxBatchSize: 1_000 });
}

export function buildContext(db: DataSource) {
  return (base: RequestBase): EmploymentContext => {
    const now = () => base.clock.now();
    const labourProfiles = new LabourProfileService(db, base.principal);
    const training = new TrainingService(db, base.principal, now);
    const jobs = new JobsService(db, base.principal, now);
    const land = new LandService(db, base.principal, now);
    const monitoring = new MonitoringService(db, base.principal);
    return {
      ...base,
      labourProfiles,
      training,
      jobs,
      land,
      monitoring,
      loaders: {
        labourProfile: byKeyLoader((ids) => labourProfiles.byResidentIds(ids), (p) => p.residentId),
        course: byIdLoader((ids) => training.coursesByIds(ids)),
        enrollmentsOfCourse: groupLoader((ids) => training.enrollmentsOfCourses(ids), (e) => e.courseId),
        enrollmentsOfResident: groupLoader((ids) => training.enrollmentsOfResidents(ids), (e) => e.residentId),
        skillsOfResident: groupLoader((ids) => training.skillsOfResidents(ids), (k) => k.residentId),
        employer: byIdLoader((ids) => jobs.employersByIds(ids)),
        posting: byIdLoader((ids) => jobs.postingsByIds(ids)),
        employmentsOfResident: groupLoader((ids) => jobs.employmentsOfResidents(ids), (r) => r.residentId),
        landOfHousehold: groupLoader((ids) => land.landOfHouseholds(ids), (l) => l.householdId),
        linksOfHousehold: groupLoader((ids) => land.linksOfHouseholds(ids), (l) => l.householdId),
        linksOfProject: groupLoader((ids) => land.linksOfProjects(ids), (l) => l.projectId),
        project: byIdLoader((ids) => land.projectsByIds(ids)),
        status: byKeyLoader((ids) => monitoring.statusByHouseholds(ids), (s) => s.householdId),
        openGaps: groupLoader((ids) => monitoring.openGapsOfHouseholds(ids), (g) => g.householdId),
      },
    };
  };
}
