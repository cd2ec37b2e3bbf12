import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byGroupLoader, byIdLoader, byKeyLoader, lazyObject, type RequestBase } from '@anju/kit';
import { LabourProfileService, type LabourProfileRow } from './labour-profile/labour-profile.service';
import { TrainingService, type CourseRow, type EnrollmentRow, type SkillRow } from './training/training.service';
import { JobsService, type EmployerRow, type EmploymentRow, type PostingRow } from './jobs/jobs.service';
import { LandService, type LandRow, type LinkRow, type ProjectRow } from './land/land.service';
import { MonitoringService, type GapRow, type StatusRow } from './monitoring/monitoring.service';
import { SitePictureService, type SitePicture } from './site-picture/site-picture.service';

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
    sitePicture: DataLoader<string, SitePicture>;
  };
}

/**
 * Services are per request because they carry the caller; loaders batch and cache per request.
 * Each is built on first use: a dashboard's labour profiles touch one service and no loader.
 */
export function buildContext(db: DataSource) {
  return (base: RequestBase): EmploymentContext => {
    const p = base.principal;
    const now = () => base.clock.now();
    return lazyObject<Omit<EmploymentContext, keyof RequestBase>, RequestBase>(
      {
        labourProfiles: () => new LabourProfileService(db, p),
        training: () => new TrainingService(db, p, now),
        jobs: () => new JobsService(db, p, now),
        land: () => new LandService(db, p, now),
        monitoring: () => new MonitoringService(db, p),
        loaders: (c) =>
          lazyObject<EmploymentContext['loaders']>({
            labourProfile: () =>
              byKeyLoader(
                (ids) => c.labourProfiles.byResidentIds(ids),
                (r) => r.residentId,
              ),
            course: () => byIdLoader((ids) => c.training.coursesByIds(ids)),
            enrollmentsOfCourse: () =>
              byGroupLoader(
                (ids) => c.training.enrollmentsOfCourses(ids),
                (e) => e.courseId,
              ),
            enrollmentsOfResident: () =>
              byGroupLoader(
                (ids) => c.training.enrollmentsOfResidents(ids),
                (e) => e.residentId,
              ),
            skillsOfResident: () =>
              byGroupLoader(
                (ids) => c.training.skillsOfResidents(ids),
                (k) => k.residentId,
              ),
            employer: () => byIdLoader((ids) => c.jobs.employersByIds(ids)),
            posting: () => byIdLoader((ids) => c.jobs.postingsByIds(ids)),
            employmentsOfResident: () =>
              byGroupLoader(
                (ids) => c.jobs.employmentsOfResidents(ids),
                (r) => r.residentId,
              ),
            landOfHousehold: () =>
              byGroupLoader(
                (ids) => c.land.landOfHouseholds(ids),
                (l) => l.householdId,
              ),
            linksOfHousehold: () =>
              byGroupLoader(
                (ids) => c.land.linksOfHouseholds(ids),
                (l) => l.householdId,
              ),
            linksOfProject: () =>
              byGroupLoader(
                (ids) => c.land.linksOfProjects(ids),
                (l) => l.projectId,
              ),
            project: () => byIdLoader((ids) => c.land.projectsByIds(ids)),
            status: () =>
              byKeyLoader(
                (ids) => c.monitoring.statusByHouseholds(ids),
                (r) => r.householdId,
              ),
            openGaps: () =>
              byGroupLoader(
                (ids) => c.monitoring.openGapsOfHouseholds(ids),
                (g) => g.householdId,
              ),
            sitePicture: () => new SitePictureService(db, p).loader(),
          }),
      },
      base,
    );
  };
}
