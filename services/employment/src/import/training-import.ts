import type { EntityManager } from 'typeorm';
import {
  ImportRaceError,
  auditImported,
  batches,
  codeOf,
  normalizeDate,
  provinceDate,
  returning,
  type ColumnSpec,
  type ImportMode,
  type ImportProgress,
  type SheetRow,
} from '@anju/kit';
import { publishSelect } from '@anju/contracts';
import { markForRecheck } from '../monitoring/recheck';
import type { SkillLevel } from '../training/training.service';
import {
  RESIDENT_COLUMNS,
  ResidentSheetImport,
  takePlaces,
  templateColumns,
  type ResidentKey,
  type ResidentRow,
} from './resident-sheet';

export type TrainingSheetKey =
  | 'name'
  | ResidentKey
  | 'skill'
  | 'provider'
  | 'place'
  | 'startsOn'
  | 'endsOn'
  | 'status'
  | 'attendance'
  | 'level'
  | 'certificate'
  | 'completedOn'
  | 'droppedReason';

export const TRAINING_COLUMNS: readonly ColumnSpec<TrainingSheetKey>[] = [
  { key: 'name', header: '姓名' },
  RESIDENT_COLUMNS.nationalId,
  { key: 'skill', header: '培训项目', required: true, aliases: ['培训工种', '培训内容', '培训专业'] },
  { key: 'provider', header: '培训机构', required: true, aliases: ['承办机构', '培训单位'] },
  { key: 'place', header: '培训地点', required: true },
  { key: 'startsOn', header: '开始日期', required: true, aliases: ['开班日期', '培训开始日期'] },
  { key: 'endsOn', header: '结束日期', required: true, aliases: ['结业日期（计划）', '培训结束日期'] },
  { key: 'status', header: '培训状态', required: true, aliases: ['状态', '培训结果'] },
  { key: 'attendance', header: '出勤率（%）', aliases: ['出勤率', '出勤率(%)'] },
  { key: 'level', header: '技能等级', aliases: ['等级'] },
  { key: 'certificate', header: '证书编号', aliases: ['职业技能等级证书编号'] },
  { key: 'completedOn', header: '结业日期', aliases: ['取证日期'] },
  { key: 'droppedReason', header: '退出原因' },
  RESIDENT_COLUMNS.residentId,
];

type Status = 'enrolled' | 'completed' | 'dropped';
const STATUS_LABELS: Record<Status, string> = { enrolled: '在训', completed: '已结业', dropped: '中途退出' };
const STATUSES: Record<string, Status> = {
  在训: 'enrolled',
  已报名: 'enrolled',
  已结业: 'completed',
  结业: 'completed',
  合格: 'completed',
  中途退出: 'dropped',
  退出: 'dropped',
};
const LEVEL_LABELS: Record<SkillLevel, string> = {
  beginner: '初级',
  intermediate: '中级',
  advanced: '高级',
  technician: '技师',
  senior_technician: '高级技师',
};
const LEVELS: Record<string, SkillLevel> = {
  ...Object.fromEntries(Object.entries(LEVEL_LABELS).map(([code, label]) => [label, code as SkillLevel])),
  五级: 'beginner',
  四级: 'intermediate',
  三级: 'advanced',
  二级: 'technician',
  一级: 'senior_technician',
};

export const TRAINING_TEMPLATE = {
  fileName: '培训信息导入模板.xlsx',
  sheet: '培训信息',
  columns: templateColumns(TRAINING_COLUMNS, (c) => ({
    list: { status: Object.values(STATUS_LABELS), level: Object.values(LEVEL_LABELS) }[c.key as 'status' | 'level'],
  })),
  example: [
    '张三',
    '530627198503121231',
    '中式烹调',
    '县就业培训中心',
    '安置点社区活动室',
    '2024-03-01',
    '2024-03-20',
    '已结业',
    '95',
    '初级',
    'ZY2024-0001',
    '2024-03-20',
    '',
  ],
};

/** A recorded course's places: a new enrollment takes one, a drop frees one. */
const COURSE_PLACES = { table: 'training_course', taken: 'enrolled' } as const;

interface Row extends ResidentRow<TrainingSheetKey> {
  startsOn?: string;
  endsOn?: string;
  status?: Status;
  attendance: number | null;
  level?: SkillLevel;
  certificate: string | null;
  completedOn: string | null;
  droppedReason: string | null;
  /** The course's natural key: the resident's site, the skill, the provider and the start date. */
  courseKey?: string;
  courseId?: string;
  existingId?: string;
}

interface RecordedCourse {
  id: string;
  key: string;
  endsOn: string;
  place: string;
  left: number;
}

/**
 * 培训信息导入: residents' skills trainings (技能培训), one row per resident and course. A course is
 * known by the resident's site, its skill (培训项目), its provider and its start date: one the site
 * does not have yet is opened by the import, with as many places as the file enrolls in it; one it
 * has keeps its dates, place and places (a row that names other dates or another place is
 * COURSE_MISMATCH, a row beyond its places COURSE_FULL). The natural key of a row is the course and
 * the resident: a resident already enrolled there is unchanged, or moves on from 在训 to 已结业 or 中途退出;
 * a completed or dropped enrollment is final (FINAL when a row would change it). As `completeEnrollment`
 * does, a completion records the skill the course teaches, publishes training.completed and marks the
 * household for re-check, in the transaction that writes it; every write is audited.
 */
export class TrainingImport extends ResidentSheetImport<TrainingSheetKey, Row> {
  protected readonly columns = TRAINING_COLUMNS;

  protected checkRow(sheet: SheetRow<TrainingSheetKey>): Row {
    const v = sheet.values;
    const r: Row = {
      sheet,
      errors: [],
      attendance: null,
      certificate: v.certificate.trim() || null,
      completedOn: null,
      droppedReason: v.droppedReason.trim() || null,
    };
    this.requireCells(r);
    this.readResident(r);
    for (const key of ['skill', 'provider'] as const)
      if (v[key].length > (key === 'skill' ? 60 : 100)) this.fail(r, key, 'TOO_LONG', `${this.header(key)}过长`);
    if (v.place.length > 200) this.fail(r, 'place', 'TOO_LONG', '培训地点最多 200 个字');
    if (v.droppedReason.length > 200) this.fail(r, 'droppedReason', 'TOO_LONG', '退出原因最多 200 个字');
    const today = provinceDate(this.clock.now());
    const date = (key: 'startsOn' | 'endsOn' | 'completedOn') => {
      if (!v[key]) return null;
      const d = normalizeDate(v[key]);
      if (!d) this.fail(r, key, 'DATE_FORMAT', `${this.header(key)}应为日期，如 2024-03-01`);
      return d;
    };
    r.startsOn = date('startsOn') ?? undefined;
    r.endsOn = date('endsOn') ?? undefined;
    r.completedOn = date('completedOn');
    if (r.startsOn && r.endsOn && r.endsOn < r.startsOn)
      this.fail(r, 'endsOn', 'ENDS_BEFORE_START', '结束日期不能早于开始日期');
    r.status = codeOf(STATUSES, v.status);
    if (v.status && !r.status)
      this.fail(
        r,
        'status',
        'UNKNOWN_VALUE',
        `培训状态“${v.status}”无法识别：应为${Object.values(STATUS_LABELS).join('、')}`,
      );
    if (v.attendance) {
      const n = Number(v.attendance.replace(/%$/, ''));
      if (!Number.isInteger(n) || n < 0 || n > 100) this.fail(r, 'attendance', 'RANGE', '出勤率应为 0 到 100 的整数');
      else r.attendance = n;
    }
    r.level = codeOf(LEVELS, v.level);
    if (v.level && !r.level)
      this.fail(
        r,
        'level',
        'UNKNOWN_VALUE',
        `技能等级“${v.level}”无法识别：应为${Object.values(LEVEL_LABELS).join('、')}`,
      );
    if (r.certificate && !/^[A-Za-z0-9-]{4,40}$/.test(r.certificate))
      this.fail(r, 'certificate', 'FORMAT', '证书编号为 4 到 40 位字母、数字或“-”');
    if (r.status === 'completed') {
      // 结业日期 defaults to the course's end: a county's sheet often has only the course's dates.
      r.completedOn ??= r.endsOn ?? null;
      if (!v.attendance) this.fail(r, 'attendance', 'REQUIRED', '已结业的培训应填写出勤率');
      if (!v.level) this.fail(r, 'level', 'REQUIRED', '已结业的培训应填写技能等级');
      if (r.completedOn && r.completedOn > today) this.fail(r, 'completedOn', 'FUTURE_DATE', '结业日期不能晚于今天');
      if (r.completedOn && r.startsOn && r.completedOn < r.startsOn)
        this.fail(r, 'completedOn', 'BEFORE_START', '结业日期不能早于开始日期');
    } else {
      for (const key of ['level', 'certificate', 'completedOn'] as const) {
        if (v[key]) this.fail(r, key, 'MISMATCH', `只有“已结业”的培训才填写${this.header(key)}`);
      }
    }
    if (r.status === 'dropped' && !r.droppedReason)
      this.fail(r, 'droppedReason', 'REQUIRED', '中途退出的培训应填写退出原因');
    if (r.status !== 'dropped' && r.droppedReason)
      this.fail(r, 'droppedReason', 'MISMATCH', '只有“中途退出”的培训才填写退出原因');
    return r;
  }

  protected async checkRows(rows: Row[], _mode: ImportMode, _jobId: string, progress: ImportProgress): Promise<void> {
    await this.findResidents(rows);
    const keyed = rows.filter((r) => r.resident && r.startsOn && !r.errors.length);
    for (const r of keyed)
      r.courseKey = [r.resident!.siteId, r.sheet.values.skill.trim(), r.sheet.values.provider.trim(), r.startsOn].join(
        '|',
      );
    const courses = await this.recordedCourses(keyed);
    // Rows of one course agree on its end and place, with the course as recorded or else with its first row.
    const firstOf = new Map<string, Row>();
    const enrolled = new Map<string, number>();
    for (const r of keyed) {
      const recorded = courses.get(r.courseKey!);
      const first = firstOf.get(r.courseKey!);
      const facts = recorded ?? (first && { endsOn: first.endsOn!, place: first.sheet.values.place.trim() });
      if (facts && (facts.endsOn !== r.endsOn || facts.place !== r.sheet.values.place.trim())) {
        this.fail(
          r,
          'endsOn',
          'COURSE_MISMATCH',
          recorded
            ? '系统中这期培训（项目、机构、开始日期相同）的结束日期或地点与本行不同'
            : `这期培训的结束日期或地点与第 ${first!.sheet.row} 行不同`,
        );
        continue;
      }
      if (!first) firstOf.set(r.courseKey!, r);
      r.courseId = recorded?.id;
      const seen = enrolled.get(`${r.courseKey}|${r.resident!.residentId}`);
      if (seen !== undefined) this.fail(r, 'skill', 'DUPLICATE_IN_FILE', `同一人同一期培训已在第 ${seen} 行填写`);
      else enrolled.set(`${r.courseKey}|${r.resident!.residentId}`, r.sheet.row);
    }
    await this.compareWithRecorded(rows.filter((r) => r.courseId && !r.errors.length));
    for (const r of rows) if (!r.errors.length && r.courseKey && !r.courseId) r.outcome = 'create';
    // New places taken on recorded courses: rows beyond the places left are COURSE_FULL.
    const left = new Map([...courses.values()].map((c) => [c.id, c.left]));
    const taking = rows.filter(
      (x) => !x.errors.length && x.courseId && x.outcome === 'create' && x.status !== 'dropped',
    );
    for (const r of taking) {
      const n = left.get(r.courseId!)!;
      if (n <= 0) this.fail(r, 'skill', 'COURSE_FULL', `这期培训“${r.sheet.values.skill}”已满员`);
      else left.set(r.courseId!, n - 1);
    }
    await progress.checked(rows.length);
  }

  private async recordedCourses(rows: Row[]): Promise<Map<string, RecordedCourse>> {
    if (!rows.length) return new Map();
    const found: RecordedCourse[] = await this.db.query(
      `SELECT c.id, concat_ws('|', c.site_id, c.skill, c.provider, to_char(c.starts_on, 'YYYY-MM-DD')) AS key,
        to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn",
              c.place, c.capacity - c.enrolled AS left
         FROM training_course c WHERE c.site_id = ANY($1::uuid[]) AND c.starts_on = ANY($2::date[])`,
      [[...new Set(rows.map((r) => r.resident!.siteId))], [...new Set(rows.map((r) => r.startsOn!))]],
    );
    // Two courses of one key (opened by hand) cannot be told apart by a sheet: the first by id.
    const byKey = new Map<string, RecordedCourse>();
    for (const c of found.sort((a, b) => (a.id < b.id ? -1 : 1))) if (!byKey.has(c.key)) byKey.set(c.key, c);
    return byKey;
  }

  /** Each row on a recorded course: a new enrollment, or the resident's enrollment there, unchanged or moving on. */
  private async compareWithRecorded(rows: Row[]): Promise<void> {
    if (!rows.length) return;
    const recorded: {
      id: string;
      courseId: string;
      residentId: string;
      status: Status;
      attendance: number | null;
      completedOn: string | null;
      droppedReason: string | null;
      level: SkillLevel | null;
      certificate: string | null;
    }[] = await this.db.query(
      `SELECT e.id, e.course_id AS "courseId", e.resident_id AS "residentId", e.status,
        e.attendance_percent AS attendance,
              to_char(e.completed_on, 'YYYY-MM-DD') AS "completedOn", e.dropped_reason AS "droppedReason", k.level,
              k.certificate_number AS certificate
         FROM enrollment e LEFT JOIN skill k ON k.enrollment_id = e.id
        WHERE e.course_id = ANY($1::uuid[]) AND e.resident_id = ANY($2::uuid[])`,
      [[...new Set(rows.map((r) => r.courseId!))], [...new Set(rows.map((r) => r.resident!.residentId))]],
    );
    const byKey = new Map(recorded.map((e) => [`${e.courseId}|${e.residentId}`, e]));
    for (const r of rows) {
      const e = byKey.get(`${r.courseId}|${r.resident!.residentId}`);
      if (!e) {
        r.outcome = 'create';
        continue;
      }
      r.existingId = e.id;
      if (e.status === 'enrolled') {
        r.outcome = r.status === 'enrolled' ? 'unchanged' : 'update';
        if (r.outcome === 'update') r.changed = [this.header('status')];
        continue;
      }
      const same =
        e.status === r.status &&
        (r.attendance ?? e.attendance) === e.attendance &&
        (e.status === 'dropped'
          ? r.droppedReason === e.droppedReason
          : r.completedOn === e.completedOn &&
            r.level === e.level &&
            (r.certificate ?? e.certificate) === e.certificate);
      if (same) r.outcome = 'unchanged';
      else this.fail(r, 'status', 'FINAL', `这条培训记录已是“${STATUS_LABELS[e.status]}”，不能通过导入修改`);
    }
  }

  protected write(rows: Row[], jobId: string, progress: ImportProgress): Promise<number> {
    const p = this.principal;
    return this.db.transaction(async (m) => {
      let written = 0;
      const opened = await this.openCourses(
        m,
        rows.filter((r) => r.outcome === 'create' && !r.courseId),
        jobId,
      );
      for (const r of rows) if (!r.courseId && r.courseKey) r.courseId = opened.get(r.courseKey);
      for (const part of batches(rows.filter((r) => r.outcome === 'create'))) {
        await takePlaces(
          m,
          COURSE_PLACES,
          part.filter((r) => !opened.has(r.courseKey!) && r.status !== 'dropped').map((r) => r.courseId!),
        );
        const made: { id: string }[] = await m.query(
          `INSERT INTO enrollment (course_id, resident_id, household_id, site_id, region_code, status,
            attendance_percent, completed_on, dropped_reason)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::varchar[], $6::text[], $7::int[],
             $8::date[], $9::text[])
           RETURNING id`,
          [
            part.map((r) => r.courseId),
            part.map((r) => r.resident!.residentId),
            part.map((r) => r.resident!.householdId),
            part.map((r) => r.resident!.siteId),
            part.map((r) => r.resident!.regionCode),
            part.map((r) => r.status),
            part.map((r) => r.attendance),
            part.map((r) => (r.status === 'completed' ? r.completedOn : null)),
            part.map((r) => (r.status === 'dropped' ? r.droppedReason : null)),
          ],
        );
        part.forEach((r, i) => (r.existingId = made[i].id));
        await auditImported(
          m,
          p,
          'enrollment.enroll',
          'enrollment',
          `SELECT id::text, site_id, region_code FROM enrollment WHERE id = ANY($1::uuid[])`,
          [made.map((x) => x.id)],
          jobId,
        );
        await this.complete(
          m,
          part.filter((r) => r.status === 'completed'),
        );
        written += part.length;
        await progress.written(written);
      }
      for (const part of batches(rows.filter((r) => r.outcome === 'update'))) {
        const moved = returning<{ id: string }>(
          await m.query(
            `UPDATE enrollment e SET status = u.status, attendance_percent = coalesce(u.attendance,
            e.attendance_percent), completed_on = u.completed,
                  dropped_reason = u.reason
             FROM unnest($1::uuid[], $2::text[], $3::int[], $4::date[], $5::text[]) AS u(id, status, attendance,
               completed, reason)
            WHERE e.id = u.id AND e.status = 'enrolled' RETURNING e.id`,
            [
              part.map((r) => r.existingId),
              part.map((r) => r.status),
              part.map((r) => r.attendance),
              part.map((r) => (r.status === 'completed' ? r.completedOn : null)),
              part.map((r) => (r.status === 'dropped' ? r.droppedReason : null)),
            ],
          ),
        );
        if (moved.length !== part.length) throw new ImportRaceError();
        // A dropped enrollment frees its place, as `dropEnrollment` does.
        await takePlaces(
          m,
          COURSE_PLACES,
          part.filter((r) => r.status === 'dropped').map((r) => r.courseId!),
          -1,
        );
        await auditImported(
          m,
          p,
          'enrollment.update',
          'enrollment',
          `SELECT id::text, site_id, region_code FROM enrollment WHERE id = ANY($1::uuid[])`,
          [part.map((r) => r.existingId)],
          jobId,
        );
        await this.complete(
          m,
          part.filter((r) => r.status === 'completed'),
        );
        written += part.length;
        await progress.written(written);
      }
      return written;
    });
  }

  /** Opens the courses the file names that the sites do not have, each with as many places as the file takes in it. */
  private async openCourses(m: EntityManager, rows: Row[], jobId: string): Promise<Map<string, string>> {
    const byKey = new Map<string, { row: Row; taken: number }>();
    for (const r of rows) {
      const c = byKey.get(r.courseKey!) ?? { row: r, taken: 0 };
      if (r.status !== 'dropped') c.taken += 1;
      byKey.set(r.courseKey!, c);
    }
    const list = [...byKey.values()];
    const opened = new Map<string, string>();
    for (const part of batches(list)) {
      const made: { id: string }[] = await m.query(
        `INSERT INTO training_course (site_id, region_code, skill, provider, place, starts_on, ends_on, capacity,
          enrolled)
         SELECT s, g, k, p, l, a, b, greatest(n, 1), n
           FROM unnest($1::uuid[], $2::varchar[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[],
             $8::int[]) AS t(s, g, k, p, l, a, b, n)
         RETURNING id`,
        [
          part.map((c) => c.row.resident!.siteId),
          part.map((c) => c.row.resident!.regionCode),
          part.map((c) => c.row.sheet.values.skill.trim()),
          part.map((c) => c.row.sheet.values.provider.trim()),
          part.map((c) => c.row.sheet.values.place.trim()),
          part.map((c) => c.row.startsOn),
          part.map((c) => c.row.endsOn),
          part.map((c) => c.taken),
        ],
      );
      part.forEach((c, i) => opened.set(c.row.courseKey!, made[i].id));
      await auditImported(
        m,
        this.principal,
        'training_course.create',
        'training_course',
        `SELECT id::text, site_id, region_code FROM training_course WHERE id = ANY($1::uuid[])`,
        [made.map((x) => x.id)],
        jobId,
      );
    }
    return opened;
  }

  /** Completions: the skill each course teaches, training.completed, the households marked for re-check. */
  private async complete(m: EntityManager, rows: Row[]): Promise<void> {
    if (!rows.length) return;
    const ids = rows.map((r) => r.existingId!);
    await m.query(
      `INSERT INTO skill (resident_id, household_id, site_id, region_code, name, level, certificate_number,
        certified_on, enrollment_id)
       SELECT e.resident_id, e.household_id, e.site_id, e.region_code, c.skill, u.level, u.certificate, e.completed_on,
         e.id
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, level, certificate)
         JOIN enrollment e ON e.id = u.id JOIN training_course c ON c.id = e.course_id`,
      [ids, rows.map((r) => r.level), rows.map((r) => r.certificate)],
    );
    await publishSelect(
      m,
      'training.completed',
      `SELECT e.id AS "enrollmentId", e.course_id AS "courseId", e.resident_id AS "residentId",
        e.household_id AS "householdId",
              e.site_id AS "siteId", to_char(e.completed_on, 'YYYY-MM-DD') AS "completedOn", c.skill
         FROM enrollment e JOIN training_course c ON c.id = e.course_id WHERE e.id = ANY($1::uuid[])`,
      [ids],
    );
    await markForRecheck(
      m,
      rows.map((r) => r.resident!.householdId),
    );
  }
}
