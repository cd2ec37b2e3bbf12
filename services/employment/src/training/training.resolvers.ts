import type { Resolvers } from '../generated/graphql';
import { lowerEnum } from '@anju/kit';

export const trainingResolvers: Resolvers = {
  EnrollmentStatus: lowerEnum('ENROLLED', 'COMPLETED', 'DROPPED'),
  SkillLevel: lowerEnum('BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'TECHNICIAN', 'SENIOR_TECHNICIAN'),
  Query: {
    trainingCourses: (_, a, ctx) => ctx.training.courses(a.siteId, a.first, a.after),
    trainingCourse: (_, a, ctx) => ctx.loaders.course.load(a.id),
  },
  Mutation: {
    createTrainingCourse: (_, a, ctx) => ctx.training.createCourse(a.input),
    enrollInCourse: (_, a, ctx) => ctx.training.enroll(a.courseId, a.residentId),
    completeEnrollment: (_, a, ctx) => ctx.training.complete(a.input),
    dropEnrollment: (_, a, ctx) => ctx.training.drop(a.enrollmentId, a.reason, a.attendancePercent),
    recordSkill: (_, a, ctx) => ctx.training.recordSkill(a.input),
  },
  TrainingCourse: {
    enrollments: (c, _, ctx) => ctx.loaders.enrollmentsOfCourse.load(c.id),
  },
  Enrollment: {
    course: (e, _, ctx) => ctx.loaders.course.load(e.courseId),
    resident: (e) => ({ id: e.residentId }),
  },
  Resident: {
    enrollments: (r, _, ctx) => ctx.loaders.enrollmentsOfResident.load(r.id),
    skills: (r, _, ctx) => ctx.loaders.skillsOfResident.load(r.id),
  },
};
