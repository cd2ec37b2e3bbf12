import type { EmploymentContext } from '../context';
import { lowerEnum } from '../enums';
import type {
  CompleteEnrollmentInput,
  CourseRow,
  CreateCourseInput,
  EnrollmentRow,
  RecordSkillInput,
} from './training.service';

export const trainingResolvers = {
  EnrollmentStatus: lowerEnum('ENROLLED', 'COMPLETED', 'DROPPED'),
  SkillLevel: lowerEnum('BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'TECHNICIAN', 'SENIOR_TECHNICIAN'),
  Query: {
    trainingCourses: (_: unknown, a: { siteId: string; first?: number; after?: string }, ctx: EmploymentContext) =>
      ctx.training.courses(a.siteId, a.first, a.after),
    trainingCourse: (_: unknown, a: { id: string }, ctx: EmploymentContext) => ctx.loaders.course.load(a.id),
  },
  Mutation: {
    createTrainingCourse: (_: unknown, a: { input: CreateCourseInput }, ctx: EmploymentContext) =>
      ctx.training.createCourse(a.input),
    enrollInCourse: (_: unknown, a: { courseId: string; residentId: string }, ctx: EmploymentContext) =>
      ctx.training.enroll(a.courseId, a.residentId),
    completeEnrollment: (_: unknown, a: { input: CompleteEnrollmentInput }, ctx: EmploymentContext) =>
      ctx.training.complete(a.input),
    dropEnrollment: (
      _: unknown,
      a: { enrollmentId: string; reason: string; attendancePercent?: number },
      ctx: EmploymentContext,
    ) => ctx.training.drop(a.enrollmentId, a.reason, a.attendancePercent),
    recordSkill: (_: unknown, a: { input: RecordSkillInput }, ctx: EmploymentContext) =>
      ctx.training.recordSkill(a.input),
  },
  TrainingCourse: {
    enrollments: (c: CourseRow, _: unknown, ctx: EmploymentContext) => ctx.loaders.enrollmentsOfCourse.load(c.id),
  },
  Enrollment: {
    course: (e: EnrollmentRow, _: unknown, ctx: EmploymentContext) => ctx.loaders.course.load(e.courseId),
    resident: (e: EnrollmentRow) => ({ id: e.residentId }),
  },
  Resident: {
    enrollments: (r: { id: string }, _: unknown, ctx: EmploymentContext) =>
      ctx.loaders.enrollmentsOfResident.load(r.id),
    skills: (r: { id: string }, _: unknown, ctx: EmploymentContext) => ctx.loaders.skillsOfResident.load(r.id),
  },
};
