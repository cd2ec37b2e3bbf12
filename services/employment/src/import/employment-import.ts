import {
  ImportRaceError,
  auditImported,
  returning,
  batches,
  codeOf,
  normalizeDate,
  parseAmount,
  provinceDate,
  type ColumnSpec,
  type ImportMode,
  type ImportProgress,
  type SheetRow,
} from '@anju/kit';
import { publishSelect } from '@anju/contracts';
import { markForRecheck } from '../monitoring/recheck';
import type { EmploymentKind } from '../monitoring/rules';
import {
  RESIDENT_COLUMNS,
  ResidentSheetImport,
  takePlaces,
  templateColumns,
  type ResidentKey,
  type ResidentRow,
} from './resident-sheet';

export type EmploymentSheetKey =
  | 'name'
  | ResidentKey
  | 'kind'
  | 'employer'
  | 'post'
  | 'destination'
  | 'startedOn'
  | 'endedOn'
  | 'endReason'
  | 'income';

export const EMPLOYMENT_COLUMNS: readonly ColumnSpec<EmploymentSheetKey>[] = [
  { key: 'name', header: '姓名' },
  RESIDENT_COLUMNS.nationalId,
  { key: 'kind', header: '就业形式', required: true, aliases: ['就业类型'] },
  { key: 'employer', header: '就业单位', aliases: ['用工单位', '扶贫车间'] },
  { key: 'post', header: '公益性岗位', aliases: ['岗位名称'] },
  { key: 'destination', header: '务工地点', aliases: ['务工地'] },
  { key: 'startedOn', header: '开始日期', required: true, aliases: ['就业时间', '上岗时间'] },
  { key: 'endedOn', header: '结束日期', aliases: ['离岗时间'] },
  { key: 'endReason', header: '结束原因', aliases: ['离岗原因'] },
  { key: 'income', header: '月收入（元）', required: true, aliases: ['月收入', '月收入(元)', '月工资'] },
  RESIDENT_COLUMNS.residentId,
];

export const KIND_LABELS: Record<EmploymentKind, string> = {
  workshop: '扶贫车间',
  public_welfare_post: '公益性岗位',
  migrant_work: '外出务工',
  self_employed: '自主创业',
  flexible: '灵活就业',
};
const KINDS: Record<string, EmploymentKind> = {
  ...Object.fromEntries(Object.entries(KIND_LABELS).map(([code, label]) => [label, code as EmploymentKind])),
  就业帮扶车间: 'workshop',
  务工: 'migrant_work',
};

export const EMPLOYMENT_TEMPLATE = {
  fileName: '就业信息导入模板.xlsx',
  sheet: '就业信息',
  columns: templateColumns(EMPLOYMENT_COLUMNS, (c) => ({
    list: c.key === 'kind' ? Object.values(KIND_LABELS) : undefined,
  })),
  example: ['张三', '530627198503121231', '外出务工', '', '', '广东省东莞市', '2024-03-01', '', '', '4500'],
};

/** A post's places: a new open job takes one, a job the import ends frees one. */
const POST_PLACES = { table: 'job_posting', taken: 'filled' } as const;

interface Row extends ResidentRow<EmploymentSheetKey> {
  kind?: EmploymentKind;
  startedOn?: string;
  endedOn: string | null;
  endReason: string | null;
  income?: number;
  destination: string | null;
  employerId: string | null;
  postingId: string | null;
  existingId?: string;
  /** The import ends a job that was open: employment.ended, and its post's place freed. */
  ends?: boolean;
}

/**
 * 就业信息导入: residents' jobs of every kind (扶贫车间, 公益性岗位, 外出务工, 自主创业, 灵活就业), one
 * row per job, the resident named by ID number. The natural key is the resident, the kind and the
 * start date: a job already recorded is updated when its income, place or end changed. As
 * `startEmployment` does: migrant work names its destination; a public-welfare post names a
 * public-welfare posting of the resident's site and takes one of its places (a full post is
 * POST_FULL); an employer is one registered at the site. A new job publishes employment.started
 * (and employment.ended when the row ends it), a job the row ends employment.ended, set-based in
 * the transaction that writes them; each marks its household for re-check and is audited.
 */
export class EmploymentImport extends ResidentSheetImport<EmploymentSheetKey, Row> {
  protected readonly columns = EMPLOYMENT_COLUMNS;

  protected checkRow(sheet: SheetRow<EmploymentSheetKey>): Row {
    const v = sheet.values;
    const r: Row = {
      sheet,
      errors: [],
      endedOn: null,
      endReason: v.endReason || null,
      destination: v.destination || null,
      employerId: null,
      postingId: null,
    };
    this.requireCells(r);
    this.readResident(r);
    r.kind = codeOf(KINDS, v.kind);
    if (v.kind && !r.kind)
      this.fail(
        r,
        'kind',
        'UNKNOWN_VALUE',
        `就业形式“${v.kind}”无法识别：应为${Object.values(KIND_LABELS).join('、')}`,
      );
    if (r.kind === 'migrant_work' && !v.destination) this.fail(r, 'destination', 'REQUIRED', '外出务工应填写务工地点');
    if (r.kind === 'public_welfare_post' && !v.post)
      this.fail(r, 'post', 'REQUIRED', '公益性岗位应填写岗位名称（须是本安置点已设立的公益性岗位）');
    if (v.post && r.kind && r.kind !== 'public_welfare_post')
      this.fail(r, 'post', 'MISMATCH', '只有“公益性岗位”的就业才填写岗位名称');
    const today = provinceDate(this.clock.now());
    const date = (key: 'startedOn' | 'endedOn') => {
      if (!v[key]) return null;
      const d = normalizeDate(v[key]);
      if (!d) this.fail(r, key, 'DATE_FORMAT', `${this.header(key)}应为日期，如 2024-03-01`);
      else if (d > today) this.fail(r, key, 'FUTURE_DATE', `${this.header(key)}不能晚于今天`);
      return d;
    };
    r.startedOn = date('startedOn') ?? undefined;
    r.endedOn = date('endedOn');
    if (r.startedOn && r.endedOn && r.endedOn < r.startedOn)
      this.fail(r, 'endedOn', 'ENDS_BEFORE_START', '结束日期不能早于开始日期');
    if (r.endedOn && !r.endReason) this.fail(r, 'endReason', 'REQUIRED', '填写了结束日期，应同时填写结束原因');
    const income = v.income ? parseAmount(v.income) : null;
    if (v.income && (income === null || income > 1e9))
      this.fail(r, 'income', 'AMOUNT_FORMAT', '月收入应为不小于 0 的金额（元），如 4500');
    else if (income !== null) r.income = income;
    for (const key of ['employer', 'post', 'destination', 'endReason'] as const) {
      if (v[key].length > 100) this.fail(r, key, 'TOO_LONG', `${this.header(key)}最多 100 个字`);
    }
    return r;
  }

  protected async checkRows(rows: Row[], _mode: ImportMode, _jobId: string, progress: ImportProgress): Promise<void> {
    await this.findResidents(rows);
    await this.checkPlacesOfWork(rows.filter((r) => r.resident));
    const first = new Map<string, number>();
    for (const r of rows) {
      if (!r.resident || !r.kind || !r.startedOn) continue;
      const key = `${r.resident.residentId}|${r.kind}|${r.startedOn}`;
      const seen = first.get(key);
      if (seen === undefined) first.set(key, r.sheet.row);
      else this.fail(r, 'startedOn', 'DUPLICATE_IN_FILE', `同一人同一就业形式同一开始日期的记录已在第 ${seen} 行填写`);
    }
    await this.compareWithRecorded(rows.filter((r) => !r.errors.length));
    await this.checkPlacesLeft(rows);
    await progress.checked(rows.length);
  }

  /** Employers and public-welfare posts by name, at the resident's site. */
  private async checkPlacesOfWork(rows: Row[]): Promise<void> {
    const sites = [...new Set(rows.map((r) => r.resident!.siteId))];
    const employers: { id: string; siteId: string; name: string }[] = sites.length
      ? await this.db.query(`SELECT id, site_id AS "siteId", name FROM employer WHERE site_id = ANY($1::uuid[])`, [
          sites,
        ])
      : [];
    const posts: { id: string; siteId: string; title: string }[] = sites.length
      ? await this.db.query(
          `SELECT id, site_id AS "siteId", title FROM job_posting WHERE site_id = ANY($1::uuid[])
             AND kind = 'public_welfare_post'`,
          [sites],
        )
      : [];
    for (const r of rows) {
      const v = r.sheet.values;
      if (v.employer) {
        const found = employers.filter((e) => e.siteId === r.resident!.siteId && e.name === v.employer);
        if (found.length === 1) r.employerId = found[0].id;
        else
          this.fail(
            r,
            'employer',
            found.length ? 'AMBIGUOUS_EMPLOYER' : 'UNKNOWN_EMPLOYER',
            found.length
              ? `本安置点有多个名为“${v.employer}”的就业单位`
              : `本安置点没有登记名为“${v.employer}”的就业单位`,
          );
      }
      if (v.post && r.kind === 'public_welfare_post') {
        const found = posts.filter((x) => x.siteId === r.resident!.siteId && x.title === v.post);
        if (found.length === 1) r.postingId = found[0].id;
        else
          this.fail(
            r,
            'post',
            found.length ? 'AMBIGUOUS_POST' : 'UNKNOWN_POST',
            found.length ? `本安置点有多个名为“${v.post}”的公益性岗位` : `本安置点没有名为“${v.post}”的公益性岗位`,
          );
      }
    }
  }

  /** Each good row's job as recorded (by resident, kind and start date): new, changed or the same. */
  private async compareWithRecorded(rows: Row[]): Promise<void> {
    const recorded: {
      id: string;
      residentId: string;
      kind: EmploymentKind;
      startedOn: string;
      endedOn: string | null;
      endReason: string | null;
      destination: string | null;
      employerId: string | null;
      postingId: string | null;
      monthlyIncome: number;
    }[] = rows.length
      ? await this.db.query(
          `SELECT r.id, r.resident_id AS "residentId", r.kind, to_char(r.started_on, 'YYYY-MM-DD') AS "startedOn",
                to_char(r.ended_on, 'YYYY-MM-DD') AS "endedOn",
              r.end_reason AS "endReason", r.destination, r.employer_id AS "employerId", r.posting_id AS "postingId",
                r.monthly_income::float8 AS "monthlyIncome"
         FROM employment_record r WHERE r.resident_id = ANY($1::uuid[])`,
          [[...new Set(rows.map((r) => r.resident!.residentId))]],
        )
      : [];
    const byKey = new Map(recorded.map((e) => [`${e.residentId}|${e.kind}|${e.startedOn}`, e]));
    for (const r of rows) {
      const e = byKey.get(`${r.resident!.residentId}|${r.kind}|${r.startedOn}`);
      if (!e) {
        r.outcome = 'create';
        continue;
      }
      if (r.postingId && e.postingId && r.postingId !== e.postingId) {
        this.fail(r, 'post', 'POST_CHANGED', '已登记的这份工作在另一个公益性岗位上：换岗请先结束原记录，再新增一行');
        continue;
      }
      r.existingId = e.id;
      r.postingId = e.postingId;
      // An empty cell changes nothing; an end date ends the job once (a later sheet may correct the date or reason).
      if (!r.endedOn && e.endedOn) {
        r.endedOn = e.endedOn;
        r.endReason = e.endReason;
      }
      r.ends = !!r.endedOn && !e.endedOn;
      r.employerId ??= e.employerId;
      r.destination ??= e.destination;
      r.changed = [
        ...(r.income !== e.monthlyIncome ? [this.header('income')] : []),
        ...(r.destination !== e.destination ? [this.header('destination')] : []),
        ...(r.employerId !== e.employerId ? [this.header('employer')] : []),
        ...(r.endedOn !== e.endedOn ? [this.header('endedOn')] : []),
        ...(r.endReason !== e.endReason ? [this.header('endReason')] : []),
      ];
      r.outcome = r.changed.length ? 'update' : 'unchanged';
    }
  }

  /** New open jobs on a public-welfare post take its places: rows beyond the places left are POST_FULL. */
  private async checkPlacesLeft(rows: Row[]): Promise<void> {
    const taking = rows.filter((r) => !r.errors.length && r.outcome === 'create' && r.postingId && !r.endedOn);
    if (!taking.length) return;
    const left: { id: string; left: number }[] = await this.db.query(
      `SELECT id, capacity - filled AS left FROM job_posting WHERE id = ANY($1::uuid[])`,
      [[...new Set(taking.map((r) => r.postingId!))]],
    );
    const places = new Map(left.map((x) => [x.id, x.left]));
    for (const r of taking) {
      const n = places.get(r.postingId!) ?? 0;
      if (n <= 0) this.fail(r, 'post', 'POST_FULL', `公益性岗位“${r.sheet.values.post}”已满员`);
      else places.set(r.postingId!, n - 1);
    }
  }

  protected write(rows: Row[], jobId: string, progress: ImportProgress): Promise<number> {
    const p = this.principal;
    const cols = `r.id AS "employmentId", r.resident_id AS "residentId", r.household_id AS "householdId",
                    r.site_id AS "siteId", r.kind`;
    return this.db.transaction(async (m) => {
      let written = 0;
      for (const part of batches(rows.filter((r) => r.outcome === 'create'))) {
        const made: { id: string }[] = await m.query(
          `INSERT INTO employment_record (resident_id, household_id, site_id, region_code, kind, employer_id,
                posting_id, destination, started_on,
              ended_on, end_reason, monthly_income)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::text[], $6::uuid[], $7::uuid[],
             $8::text[], $9::date[],
              $10::date[], $11::text[], $12::numeric[]) RETURNING id`,
          [
            part.map((r) => r.resident!.residentId),
            part.map((r) => r.resident!.householdId),
            part.map((r) => r.resident!.siteId),
            part.map((r) => r.resident!.regionCode),
            part.map((r) => r.kind),
            part.map((r) => r.employerId),
            part.map((r) => r.postingId),
            part.map((r) => r.destination),
            part.map((r) => r.startedOn),
            part.map((r) => r.endedOn),
            part.map((r) => r.endReason),
            part.map((r) => r.income),
          ],
        );
        const ids = made.map((x) => x.id);
        await takePlaces(
          m,
          POST_PLACES,
          part.filter((r) => r.postingId && !r.endedOn).map((r) => r.postingId!),
        );
        await publishSelect(
          m,
          'employment.started',
          `SELECT ${cols}, to_char(r.started_on, 'YYYY-MM-DD') AS "startedOn",
               r.monthly_income::float8 AS "monthlyIncome"
             FROM employment_record r WHERE r.id = ANY($1::uuid[])`,
          [ids],
        );
        await publishSelect(
          m,
          'employment.ended',
          `SELECT ${cols}, to_char(r.ended_on, 'YYYY-MM-DD') AS "endedOn", r.end_reason AS reason
             FROM employment_record r WHERE r.id = ANY($1::uuid[]) AND r.ended_on IS NOT NULL`,
          [ids],
        );
        await auditImported(
          m,
          p,
          'employment_record.start',
          'employment_record',
          `SELECT id::text, site_id, region_code FROM employment_record WHERE id = ANY($1::uuid[])`,
          [ids],
          jobId,
        );
        written += part.length;
        await progress.written(written);
      }
      for (const part of batches(rows.filter((r) => r.outcome === 'update'))) {
        const ids = part.map((r) => r.existingId!);
        const updated = returning<{ id: string }>(
          await m.query(
            `UPDATE employment_record r SET monthly_income = u.income, destination = u.destination,
                employer_id = u.employer, ended_on = u.ended,
              end_reason = u.reason
             FROM unnest($1::uuid[], $2::numeric[], $3::text[], $4::uuid[], $5::date[], $6::text[]) AS u(id, income,
               destination, employer, ended, reason)
            WHERE r.id = u.id RETURNING r.id`,
            [
              ids,
              part.map((r) => r.income),
              part.map((r) => r.destination),
              part.map((r) => r.employerId),
              part.map((r) => r.endedOn),
              part.map((r) => r.endReason),
            ],
          ),
        );
        if (updated.length !== part.length) throw new ImportRaceError();
        const ending = part.filter((r) => r.ends);
        // Freed places: one per job this import ends on a post.
        await takePlaces(
          m,
          POST_PLACES,
          ending.filter((r) => r.postingId).map((r) => r.postingId!),
          -1,
        );
        await publishSelect(
          m,
          'employment.ended',
          `SELECT ${cols}, to_char(r.ended_on, 'YYYY-MM-DD') AS "endedOn", r.end_reason AS reason
           FROM employment_record r WHERE r.id = ANY($1::uuid[])`,
          [ending.map((r) => r.existingId!)],
        );
        await auditImported(
          m,
          p,
          'employment_record.update',
          'employment_record',
          `SELECT id::text, site_id, region_code FROM employment_record WHERE id = ANY($1::uuid[])`,
          [ids],
          jobId,
        );
        written += part.length;
        await progress.written(written);
      }
      await markForRecheck(
        m,
        rows.filter((r) => r.outcome !== 'unchanged').map((r) => r.resident!.householdId),
      );
      return written;
    });
  }
}
