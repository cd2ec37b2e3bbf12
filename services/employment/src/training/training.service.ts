import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  type Principal,
  uuidsOf,
  uuidParam,
  requireDate,
  requireText,
  keysetPage,
  asc,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import { residentForWrite, rowForWrite, scopeSql, siteForWrite } from '../scope';
import { auditWrite } from '../audit';
import { changeAndRecheck } from '../monitoring/recheck';

export const SKILL_LEVELS = ['beginner', 'intermediate', 'advanced', 'technician', 'senior_technician'] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];

export interface CourseRow {
  id: string;
  siteId: string;
  regionCode: string;
  skill: string;
  provider: string;
  place: string;
  startsOn: string;
  endsOn: string;
  capacity: number;
  enrolled: number;
}
export interface EnrollmentRow {
  id: string;
  courseId: string;
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  status: 'enrolled' | 'completed' | 'dropped';
  attendancePercent: number | null;
  completedOn: string | null;
  droppedReason: string | null;
}
export interface SkillRow {
  id: string;
  residentId: string;
  name: string;
  level: SkillLevel;
  certificateNumber: string | null;
  certifiedOn: string | null;
  enrollmentId: string | null;
}

const COURSE = `c.id, c.site_id AS "siteId", c.region_code AS "regionCode", c.skill, c.provider, c.place,
  to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn", c.capacity,
    c.enrolled`;
const ENROLLMENT = `e.id, e.course_id AS "courseId", e.resident_id AS "residentId", e.household_id AS "householdId",
    e.site_id AS "siteId",
  e.region_code AS "regionCode", e.status, e.attendance_percent AS "attendancePercent",
    to_char(e.completed_on, 'YYYY-MM-DD') AS "completedOn",
  e.dropped_reason AS "droppedReason"`;
const SKILL = `k.id, k.resident_id AS "residentId", k.name, k.level, k.certificate_number AS "certificateNumber",
  to_char(k.certified_on, 'YYYY-MM-DD') AS "certifiedOn", k.enrollment_id AS "enrollmentId"`;

export interface CreateCourseInput {
  siteId: string;
  skill: string;
  provider: string;
  place: string;
  startsOn: string;
  endsOn: string;
  capacity: number;
}
export interface CompleteEnrollmentInput {
  enrollmentId: string;
  completedOn: string;
  attendancePercent: number;
  skillLevel: SkillLevel;
  certificateNumber?: string | null;
}
export interface RecordSkillInput {
  residentId: string;
  name: string;
  level: SkillLevel;
  certificateNumber?: string | null;
  certifiedOn?: string | null;
}

function attendance(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 100)
    throw new InputError(field, 'Attendance is a whole percentage from 0 to 100.', 'RANGE');
  return v;
}
function certificate(v: string | null | undefined, field: string): string | null {
  const t = v?.trim() || null;
  if (t && !/^[A-Za-z0-9-]{4,40}$/.test(t))
    throw new InputError(field, 'A certificate number has 4 to 40 letters, digits or dashes.', 'FORMAT');
  return t;
}

/** 技能培训 — courses, enrollments and the skills residents master. */
export class TrainingService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly now: () => Date,
  ) {}

  coursesByIds(ids: readonly string[]): Promise<CourseRow[]> {
    const s = scopeSql(this.principal, 'c', 2, 'site');
    return this.db.query(`SELECT ${COURSE} FROM training_course c WHERE c.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async courses(siteId: string, first?: number | null, after?: string | null) {
    const s = scopeSql(this.principal, 'c', 2, 'site');
    const where = `c.site_id = ${uuidParam(1)} AND ${s.sql}`;
    const params = [siteId, ...s.params];
    const list = { columns: COURSE, from: 'training_course c', where, params };
    const sort = asc<CourseRow>(['c.starts_on', 'date', 'startsOn'], ['c.id', 'uuid', 'id']);
    return keysetPage(this.db, list, { first, after }, sort);
  }

  enrollmentsOfCourses(courseIds: readonly string[]): Promise<EnrollmentRow[]> {
    const s = scopeSql(this.principal, 'e', 2);
    return this.db.query(
      `SELECT ${ENROLLMENT} FROM enrollment e WHERE e.course_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY e.enrolled_at, e.id`,
      [uuidsOf(courseIds), ...s.params],
    );
  }

  enrollmentsOfResidents(residentIds: readonly string[]): Promise<EnrollmentRow[]> {
    const s = scopeSql(this.principal, 'e', 2);
    return this.db.query(
      `SELECT ${ENROLLMENT} FROM enrollment e WHERE e.resident_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY e.enrolled_at, e.id`,
      [uuidsOf(residentIds), ...s.params],
    );
  }

  skillsOfResidents(residentIds: readonly string[]): Promise<SkillRow[]> {
    const s = scopeSql(this.principal, 'k', 2);
    return this.db.query(
      `SELECT ${SKILL} FROM skill k WHERE k.resident_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY k.created_at, k.id`,
      [uuidsOf(residentIds), ...s.params],
    );
  }

  async createCourse(input: CreateCourseInput): Promise<CourseRow> {
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const skill = requireText(input.skill, 'input.skill', 60);
    const provider = requireText(input.provider, 'input.provider', 100);
    const place = requireText(input.place, 'input.place', 200);
    const startsOn = requireDate(input.startsOn, 'input.startsOn');
    const endsOn = requireDate(input.endsOn, 'input.endsOn');
    if (endsOn < startsOn)
      throw new InputError('input.endsOn', 'A course cannot end before it starts.', 'ENDS_BEFORE_START');
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 10_000) {
      throw new InputError('input.capacity', 'Capacity is a whole number of places, 1 to 10000.', 'RANGE');
    }
    return this.db.transaction(async (m) => {
      const [row]: CourseRow[] = await m.query(
        `INSERT INTO training_course AS c (site_id, region_code, skill, provider, place, starts_on, ends_on, capacity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COURSE}`,
        [site.siteId, site.regionCode, skill, provider, place, startsOn, endsOn, input.capacity],
      );
      await auditWrite(m, this.principal, 'training_course.create', row, {
        fields: ['skill', 'provider', 'place', 'startsOn', 'endsOn', 'capacity'],
      });
      return row;
    });
  }

  /** Enrolls a resident; the course's places are taken atomically (a full course → CONFLICT). */
  async enroll(courseId: string, residentId: string): Promise<EnrollmentRow> {
    const course = await this.courseForWrite(courseId, 'courseId');
    const resident = await residentForWrite(this.db, this.principal, residentId, 'residentId');
    return this.db.transaction(async (m) => {
      const rows: EnrollmentRow[] = await m.query(
        `INSERT INTO enrollment AS e (course_id, resident_id, household_id, site_id, region_code)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (course_id, resident_id) DO NOTHING RETURNING ${ENROLLMENT}`,
        [course.id, resident.residentId, resident.householdId, resident.siteId, resident.regionCode],
      );
      if (!rows.length)
        throw new ConflictError('residentId', 'The resident is already enrolled in this course.', 'ALREADY_ENROLLED');
      const taken = await m.query(
        `WITH u AS (UPDATE training_course SET enrolled = enrolled + 1 WHERE id = $1 AND enrolled < capacity
           RETURNING id) SELECT * FROM u`,
        [course.id],
      );
      if (!taken.length) throw new ConflictError('courseId', 'The course is full.', 'COURSE_FULL');
      await auditWrite(m, this.principal, 'enrollment.enroll', rows[0], { courseId: course.id });
      return rows[0];
    });
  }

  /** Completion: the skill the course teaches is recorded, training.completed published, the household re-checked. */
  async complete(input: CompleteEnrollmentInput): Promise<EnrollmentRow> {
    const enrollment = await this.enrollmentForWrite(input.enrollmentId, 'input.enrollmentId');
    const completedOn = requireDate(input.completedOn, 'input.completedOn');
    const percent = attendance(input.attendancePercent, 'input.attendancePercent');
    if (!(SKILL_LEVELS as readonly string[]).includes(input.skillLevel))
      throw new InputError('input.skillLevel', 'Unknown skill level.', 'FORMAT');
    const certificateNumber = certificate(input.certificateNumber, 'input.certificateNumber');
    const [course] = await this.db.query(
      `SELECT skill, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn" FROM training_course WHERE id = $1`,
      [enrollment.courseId],
    );
    if (completedOn < course.startsOn)
      throw new InputError('input.completedOn', 'A course cannot be completed before it starts.', 'BEFORE_START');
    return changeAndRecheck(
      this.db,
      () => this.now(),
      async (m, mark) => {
        const rows: EnrollmentRow[] = await m.query(
          `WITH u AS (UPDATE enrollment e SET status = 'completed', completed_on = $2, attendance_percent = $3
             WHERE e.id = $1 AND e.status = 'enrolled' RETURNING ${ENROLLMENT}) SELECT * FROM u`,
          [enrollment.id, completedOn, percent],
        );
        if (!rows.length)
          throw new ConflictError(
            'input.enrollmentId',
            `The enrollment is already ${enrollment.status}.`,
            'NOT_ENROLLED',
          );
        const e = rows[0];
        await m.query(
          `INSERT INTO skill (resident_id, household_id, site_id, region_code, name, level, certificate_number,
           certified_on, enrollment_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            e.residentId,
            e.householdId,
            e.siteId,
            e.regionCode,
            course.skill,
            input.skillLevel,
            certificateNumber,
            completedOn,
            e.id,
          ],
        );
        await publish(m, 'training.completed', {
          enrollmentId: e.id,
          courseId: e.courseId,
          residentId: e.residentId,
          householdId: e.householdId,
          siteId: e.siteId,
          completedOn,
          skill: course.skill,
        });
        await mark([e.householdId]);
        await auditWrite(m, this.principal, 'enrollment.complete', e, {
          fields: ['completedOn', 'attendancePercent', 'skillLevel', 'certificateNumber'],
        });
        return e;
      },
    );
  }

  async drop(
    enrollmentId: string,
    reason: string,
    attendancePercent: number | null | undefined,
  ): Promise<EnrollmentRow> {
    const enrollment = await this.enrollmentForWrite(enrollmentId, 'enrollmentId');
    const why = requireText(reason, 'reason', 200);
    const percent = attendancePercent == null ? null : attendance(attendancePercent, 'attendancePercent');
    return this.db.transaction(async (m) => {
      const rows: EnrollmentRow[] = await m.query(
        `WITH u AS (UPDATE enrollment e SET status = 'dropped', dropped_reason = $2,
            attendance_percent = coalesce($3, e.attendance_percent)
          WHERE e.id = $1 AND e.status = 'enrolled' RETURNING ${ENROLLMENT}) SELECT * FROM u`,
        [enrollment.id, why, percent],
      );
      if (!rows.length)
        throw new ConflictError('enrollmentId', `The enrollment is already ${enrollment.status}.`, 'NOT_ENROLLED');
      await m.query(`UPDATE training_course SET enrolled = enrolled - 1 WHERE id = $1`, [enrollment.courseId]);
      await auditWrite(m, this.principal, 'enrollment.drop', rows[0], {
        fields: ['droppedReason', 'attendancePercent'],
      });
      return rows[0];
    });
  }

  /** A skill learnt elsewhere (a certificate from outside a course here). */
  async recordSkill(input: RecordSkillInput): Promise<SkillRow> {
    const resident = await residentForWrite(this.db, this.principal, input.residentId, 'input.residentId');
    const name = requireText(input.name, 'input.name', 60);
    if (!(SKILL_LEVELS as readonly string[]).includes(input.level))
      throw new InputError('input.level', 'Unknown skill level.', 'FORMAT');
    const certificateNumber = certificate(input.certificateNumber, 'input.certificateNumber');
    const certifiedOn = input.certifiedOn ? requireDate(input.certifiedOn, 'input.certifiedOn') : null;
    return changeAndRecheck(
      this.db,
      () => this.now(),
      async (m, mark) => {
        const [row] = await m.query(
          `INSERT INTO skill AS k (resident_id, household_id, site_id, region_code, name, level, certificate_number,
           certified_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SKILL}`,
          [
            resident.residentId,
            resident.householdId,
            resident.siteId,
            resident.regionCode,
            name,
            input.level,
            certificateNumber,
            certifiedOn,
          ],
        );
        await mark([resident.householdId]);
        await auditWrite(
          m,
          this.principal,
          'skill.record',
          { id: row.id, ...resident },
          { fields: ['name', 'level', 'certificateNumber', 'certifiedOn'] },
        );
        return row;
      },
    );
  }

  private courseForWrite(id: string, field: string) {
    return rowForWrite<CourseRow>(
      this.db,
      this.principal,
      `SELECT ${COURSE} FROM training_course c WHERE c.id = $1`,
      id,
      field,
      'a course',
    );
  }

  private enrollmentForWrite(id: string, field: string) {
    return rowForWrite<EnrollmentRow>(
      this.db,
      this.principal,
      `SELECT ${ENROLLMENT} FROM enrollment e WHERE e.id = $1`,
      id,
      field,
      'an enrollment',
    );
  }
}
