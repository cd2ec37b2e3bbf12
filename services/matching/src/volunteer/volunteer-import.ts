import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ImportRaceError,
  NATIONAL_ID_PROBLEMS,
  SheetImport,
  auditImported,
  batches,
  codeOf,
  coversPlace,
  isMobilePhone,
  normalizeDate,
  parseAmount,
  parseNationalId,
  type Clock,
  type ColumnSpec,
  type ImportMode,
  type ImportProgress,
  type ImportRow,
  type LookupHasher,
  type Principal,
  type SheetRow,
  type SpreadsheetLimits,
} from '@anju/kit';

export type VolunteerSheetKey =
  | 'name'
  | 'nationalId'
  | 'phone'
  | 'site'
  | 'skill'
  | 'moreSkills'
  | 'language'
  | 'moreLanguages'
  | 'weeklyHours'
  | 'windows';

export const VOLUNTEER_COLUMNS: readonly ColumnSpec<VolunteerSheetKey>[] = [
  { key: 'name', header: '姓名', required: true, aliases: ['志愿者姓名'] },
  { key: 'nationalId', header: '身份证号', aliases: ['身份证号码', '公民身份号码'] },
  { key: 'phone', header: '联系电话', aliases: ['手机号', '手机号码', '电话'] },
  { key: 'site', header: '安置点', required: true, aliases: ['所属安置点', '服务安置点'] },
  { key: 'skill', header: '技能', aliases: ['特长'] },
  { key: 'moreSkills', header: '其他技能' },
  { key: 'language', header: '语言', aliases: ['常用语言'] },
  { key: 'moreLanguages', header: '其他语言' },
  {
    key: 'weeklyHours',
    header: '每周可服务时长（小时）',
    required: true,
    aliases: ['每周可服务时长', '每周服务时长(小时)', '每周时长'],
  },
  { key: 'windows', header: '可服务时段', aliases: ['服务时段'] },
];

/** The engine's skill codes in a clerk's words (demands ask for the codes). */
export const SKILL_LABELS: Record<string, string> = {
  job_coaching: '就业指导',
  elderly_care: '养老照护',
  tutoring: '课业辅导',
  first_aid: '急救',
  legal: '法律咨询',
  counselling: '心理疏导',
  repairs: '家电维修',
  cooking: '烹饪',
  driving: '驾驶',
  computer: '电脑操作',
};
const SKILLS: Record<string, string> = Object.fromEntries(
  Object.entries(SKILL_LABELS).map(([code, label]) => [label, code]),
);
/** The languages matching knows (a demand asks for one its household speaks); stored as written. */
export const VOLUNTEER_LANGUAGES = [
  '普通话',
  '彝语',
  '苗语',
  '哈尼语',
  '白语',
  '傣语',
  '壮语',
  '傈僳语',
  '拉祜语',
  '佤语',
  '纳西语',
  '瑶语',
  '藏语',
  '景颇语',
];
const LANGUAGES: Record<string, string> = Object.fromEntries(VOLUNTEER_LANGUAGES.map((l) => [l, l]));

export const VOLUNTEER_TEMPLATE = {
  fileName: '志愿者导入模板.xlsx',
  sheet: '志愿者',
  // One skill and one language from a list; more in the next column, separated by 、 (a list cell holds one value).
  columns: VOLUNTEER_COLUMNS.map((c) => ({
    header: `${c.header}${c.required ? '*' : ''}`,
    width: c.key === 'nationalId' || c.key === 'windows' ? 24 : undefined,
    list: c.key === 'skill' ? Object.values(SKILL_LABELS) : c.key === 'language' ? VOLUNTEER_LANGUAGES : undefined,
  })),
  example: [
    '张三',
    '530627198503121231',
    '',
    '安居家园',
    '就业指导',
    '电脑操作',
    '普通话',
    '彝语',
    '6',
    '2026-12-05 09:00-12:00',
  ],
};

const SEPARATORS = /[、,，;；/\s]+/;
const WINDOW = new RegExp(
  '^(\\d{4}[-/.年]\\d{1,2}[-/.月]\\d{1,2}日?)\\s*(\\d{1,2})[:：](\\d{2})\\s*[-~～至到]\\s*(\\d{1,2})[:：](\\d{2})$',
);

interface Window {
  start: string;
  end: string;
}

interface Row extends ImportRow<VolunteerSheetKey> {
  name: string;
  /** The natural key: the resident's ID-number hash, or (not a resident) name and phone's. */
  idHash?: Buffer;
  contactHash?: Buffer;
  residentId?: string;
  site?: { siteId: string; regionCode: string };
  skills: string[];
  languages: string[];
  weeklyHours?: number;
  windows: Window[];
  existingId?: string;
  /** Windows the volunteer does not have yet (all, for a new one). */
  newWindows: Window[];
}

interface Existing {
  id: string;
  residentId: string | null;
  contactHash: Buffer | null;
  displayName: string;
  homeSiteId: string;
  regionCode: string;
  skills: string[];
  languages: string[];
  weeklyHours: number;
  windows: Window[] | null;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
/** A batch's site, region, skills, languages and hours, as parameters of a set-based write. */
const facts = (rows: Row[]) => [
  rows.map((r) => r.site!.siteId),
  rows.map((r) => r.site!.regionCode),
  rows.map((r) => JSON.stringify(r.skills)),
  rows.map((r) => JSON.stringify(r.languages)),
  rows.map((r) => r.weeklyHours),
];

/**
 * 志愿者导入: volunteers at their home sites (安置点), resident or not. A resident volunteer is named
 * by their ID number, hashed with governance's key (PII_HASH_KEY) and found in the resident
 * directory by the hash resident.registered brought (never stored, never sent): the resident is
 * the natural key, as `volunteer.resident_id` is unique. A volunteer who is not a resident has no
 * number to be known by: their natural key is the keyed hash of name and phone (a household's
 * phone is shared by its members, a name by strangers; both together tell people apart), kept
 * in `contact_hash`; the phone itself is not kept. A known volunteer whose name, site, skills,
 * languages or hours changed is updated; windows not yet recorded are added (none removed). A
 * site, resident or volunteer outside the caller's scope is a row error; every write is audited
 * as `registerVolunteer` does, in the transaction that writes it.
 */
export class VolunteerImport extends SheetImport<VolunteerSheetKey, Row> {
  protected readonly columns = VOLUNTEER_COLUMNS;

  constructor(
    private readonly db: DataSource,
    private readonly hasher: LookupHasher,
    private readonly principal: Principal,
    private readonly clock: Clock,
    limits: SpreadsheetLimits,
  ) {
    super(limits);
  }

  protected checkRow(sheet: SheetRow<VolunteerSheetKey>): Row {
    const v = sheet.values;
    const r: Row = { sheet, errors: [], name: v.name, skills: [], languages: [], windows: [], newWindows: [] };
    this.requireCells(r);
    if (v.name.length > 100) this.fail(r, 'name', 'TOO_LONG', '姓名最多 100 个字');
    const id = v.nationalId.replace(/\s/g, '');
    const phone = v.phone.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
    if (phone && !isMobilePhone(phone)) this.fail(r, 'phone', 'PHONE_FORMAT', '联系电话应为 11 位手机号码');
    if (id) {
      const parsed = parseNationalId(id, this.clock.now());
      if (parsed.ok) r.idHash = this.hasher.lookupHash(parsed.facts.normalized);
      else this.fail(r, 'nationalId', `NATIONAL_ID_${parsed.problem}`, NATIONAL_ID_PROBLEMS[parsed.problem]);
    } else if (!phone) {
      this.fail(r, 'phone', 'REQUIRED', '不是居民的志愿者须填写联系电话（居民请填写身份证号）');
    } else if (v.name && isMobilePhone(phone)) {
      // Domain-separated from ID-number hashes: the same key hashes both.
      r.contactHash = this.hasher.lookupHash(`volunteer-contact|${v.name}|${phone}`);
    }
    for (const [cells, what, labels, into] of [
      [['skill', 'moreSkills'], '技能', SKILLS, r.skills],
      [['language', 'moreLanguages'], '语言', LANGUAGES, r.languages],
    ] as const) {
      for (const col of cells) {
        for (const word of v[col].split(SEPARATORS).filter(Boolean)) {
          const value = codeOf(labels, word);
          if (!value) {
            this.fail(r, col, 'UNKNOWN_VALUE', `${what}“${word}”无法识别：应为${Object.keys(labels).join('、')}之一`);
          } else if (!into.includes(value)) into.push(value);
        }
      }
    }
    const hours = v.weeklyHours ? parseAmount(v.weeklyHours) : null;
    if (v.weeklyHours && (hours === null || hours > 80 || Math.round(hours * 10) !== hours * 10)) {
      this.fail(r, 'weeklyHours', 'RANGE', '每周可服务时长应为 0 到 80 之间的小时数（最多一位小数），如 6 或 2.5');
    } else if (hours !== null) r.weeklyHours = hours;
    for (const part of v.windows
      .split(/[;；\n]+/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      const w = this.window(part);
      if (w === 'FORMAT') {
        this.fail(
          r,
          'windows',
          'WINDOW_FORMAT',
          `时段“${part}”应写作 2026-12-05 09:00-12:00（北京时间），多个时段用；分隔`,
        );
      } else if (w === 'REVERSED') this.fail(r, 'windows', 'WINDOW_REVERSED', `时段“${part}”的结束时间早于开始时间`);
      else if (!r.windows.some((x) => x.start === w.start && x.end === w.end)) r.windows.push(w);
    }
    return r;
  }

  /** "2026-12-05 09:00-12:00", Beijing time (the province's), as two instants. */
  private window(text: string): Window | 'FORMAT' | 'REVERSED' {
    const m = WINDOW.exec(text);
    const day = m && normalizeDate(m[1]);
    const [hours, minutes] = [
      [m?.[2], m?.[4]],
      [m?.[3], m?.[5]],
    ].map((pair) => pair.map(Number));
    if (!m || !day || hours[0] > 23 || hours[1] > 24 || minutes.some((x) => x > 59)) return 'FORMAT';
    const at = (h: string, min: string) => new Date(`${day}T${h.padStart(2, '0')}:${min}:00+08:00`);
    const start = at(m[2], m[3]);
    // 24:00 is the end of the day.
    const end = m[4] === '24' ? new Date(at('23', '59').getTime() + 60_000) : at(m[4], m[5]);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return 'FORMAT';
    if (end <= start) return 'REVERSED';
    return { start: start.toISOString(), end: end.toISOString() };
  }

  protected async checkRows(rows: Row[], _mode: ImportMode, _jobId: string, progress: ImportProgress): Promise<void> {
    await this.findSites(rows);
    await this.findResidents(rows);
    const first = new Map<string, number>();
    for (const r of rows) {
      const key = r.idHash?.toString('hex') ?? r.contactHash?.toString('hex');
      if (!key || r.errors.length) continue;
      const seen = first.get(key);
      if (seen === undefined) first.set(key, r.sheet.row);
      else this.fail(r, r.idHash ? 'nationalId' : 'phone', 'DUPLICATE_IN_FILE', `这位志愿者已在第 ${seen} 行填写`);
    }
    const good = rows.filter((r) => !r.errors.length);
    const existing: Existing[] = good.length
      ? await this.db.query(
          `SELECT v.id, v.resident_id AS "residentId", v.contact_hash AS "contactHash", v.display_name AS "displayName",
              v.home_site_id AS "homeSiteId", v.region_code AS "regionCode", v.skills, v.languages,
              v.weekly_hours::float8 AS "weeklyHours",
              (SELECT json_agg(json_build_object('start', a.starts_at, 'end', a.ends_at)) FROM volunteer_availability a
                WHERE a.volunteer_id = v.id) AS windows
         FROM volunteer v WHERE v.resident_id = ANY($1::uuid[]) OR v.contact_hash = ANY($2::bytea[])`,
          [
            good.flatMap((r) => (r.residentId ? [r.residentId] : [])),
            good.flatMap((r) => (r.contactHash ? [r.contactHash] : [])),
          ],
        )
      : [];
    const byResident = new Map(existing.filter((e) => e.residentId).map((e) => [e.residentId!, e]));
    const byContact = new Map(existing.filter((e) => e.contactHash).map((e) => [e.contactHash!.toString('hex'), e]));
    for (const r of good) {
      const e = r.residentId ? byResident.get(r.residentId) : byContact.get(r.contactHash!.toString('hex'));
      if (!e) {
        r.outcome = 'create';
        r.newWindows = r.windows;
        continue;
      }
      if (!coversPlace(this.principal, { siteId: e.homeSiteId, regionCode: e.regionCode })) {
        this.fail(r, 'site', 'OTHER_SCOPE', '这位志愿者已在您管辖范围以外的安置点登记，请联系其所在县区修改');
        continue;
      }
      r.existingId = e.id;
      const had = (e.windows ?? []).map((w) => `${new Date(w.start).toISOString()}|${new Date(w.end).toISOString()}`);
      r.newWindows = r.windows.filter((w) => !had.includes(`${w.start}|${w.end}`));
      const changes: [boolean, VolunteerSheetKey][] = [
        [e.displayName !== r.name, 'name'],
        [e.homeSiteId !== r.site!.siteId, 'site'],
        [!sameSet(e.skills, r.skills), 'skill'],
        [!sameSet(e.languages, r.languages), 'language'],
        [e.weeklyHours !== r.weeklyHours, 'weeklyHours'],
        [r.newWindows.length > 0, 'windows'],
      ];
      r.changed = changes.filter(([changed]) => changed).map(([, key]) => this.header(key));
      r.outcome = r.changed.length ? 'update' : 'unchanged';
    }
    await progress.checked(rows.length);
  }

  /** The home sites by name, among those the caller covers (one outside is UNKNOWN_SITE too: a sheet cannot probe). */
  private async findSites(rows: Row[]): Promise<void> {
    const names = [...new Set(rows.map((r) => r.sheet.values.site).filter(Boolean))];
    const sites: { siteId: string; regionCode: string; name: string }[] = names.length
      ? await this.db.query(
          `SELECT site_id AS "siteId", region_code AS "regionCode", name FROM site_directory
           WHERE name = ANY($1::text[])`,
          [names],
        )
      : [];
    const mine = sites.filter((s) => coversPlace(this.principal, s));
    for (const r of rows) {
      const name = r.sheet.values.site;
      if (!name) continue;
      const found = mine.filter((s) => s.name === name);
      if (found.length > 1) {
        this.fail(
          r,
          'site',
          'AMBIGUOUS_SITE',
          `您管辖范围内有 ${found.length} 个名为“${name}”的安置点，请在系统中逐个登记`,
        );
      } else if (!found.length) this.fail(r, 'site', 'UNKNOWN_SITE', `您管辖范围内没有名为“${name}”的安置点`);
      else r.site = found[0];
    }
  }

  /** The residents of rows with an ID number, by its hash, in the caller's scope and still living there. */
  private async findResidents(rows: Row[]): Promise<void> {
    const keyed = rows.filter((r) => r.idHash);
    type Found = { hash: Buffer; residentId: string; siteId: string; regionCode: string; movedOutOn: string | null };
    const found: Found[] = keyed.length
      ? await this.db.query(
          `SELECT national_id_hash AS hash, resident_id AS "residentId", site_id AS "siteId",
                region_code AS "regionCode",
              to_char(moved_out_on, 'YYYY-MM-DD') AS "movedOutOn"
         FROM resident_directory WHERE national_id_hash = ANY($1::bytea[])`,
          [keyed.map((r) => r.idHash)],
        )
      : [];
    const byHash = new Map(found.map((f) => [f.hash.toString('hex'), f]));
    for (const r of keyed) {
      const resident = byHash.get(r.idHash!.toString('hex'));
      if (!resident || !coversPlace(this.principal, resident)) {
        const words = '您管辖范围内没有登记此身份证号的居民（不是居民的志愿者请只填联系电话）';
        this.fail(r, 'nationalId', 'UNKNOWN_RESIDENT', words);
      } else if (resident.movedOutOn) this.fail(r, 'nationalId', 'MOVED_OUT', `该居民已于 ${resident.movedOutOn} 迁出`);
      else r.residentId = resident.residentId;
    }
  }

  protected write(rows: Row[], jobId: string, progress: ImportProgress): Promise<number> {
    const p = this.principal;
    const audited = `SELECT id::text, home_site_id AS site_id, region_code FROM volunteer WHERE id = ANY($1::uuid[])`;
    return this.db.transaction(async (m) => {
      let written = 0;
      for (const part of batches(rows.filter((r) => r.outcome === 'create'))) {
        // Ids made here, so each row knows its volunteer without relying on the order RETURNING gives.
        for (const r of part) r.existingId = randomUUID();
        await m
          .query(
            `INSERT INTO volunteer
             (id, display_name, resident_id, contact_hash, home_site_id, region_code, skills, languages, weekly_hours)
           SELECT id, n, rid, ch, s, rc, ARRAY(SELECT jsonb_array_elements_text(sk)),
                  ARRAY(SELECT jsonb_array_elements_text(la)), h
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bytea[], $5::uuid[], $6::varchar[], $7::jsonb[],
                         $8::jsonb[], $9::numeric[]) AS t(id, n, rid, ch, s, rc, sk, la, h)`,
            [
              part.map((r) => r.existingId),
              part.map((r) => r.name),
              part.map((r) => r.residentId ?? null),
              part.map((r) => r.contactHash ?? null),
              ...facts(part),
            ],
          )
          .catch((err: { code?: string }) => {
            // Registered meanwhile (another import, registerVolunteer): nothing is written.
            if (err.code === '23505') throw new ImportRaceError();
            throw err;
          });
        await auditImported(m, p, 'volunteer.register', 'volunteer', audited, [part.map((r) => r.existingId)], jobId);
        written += part.length;
        await progress.written(written);
      }
      for (const part of batches(rows.filter((r) => r.outcome === 'update'))) {
        await m.query(
          `UPDATE volunteer v SET display_name = u.n, home_site_id = u.s, region_code = u.rc, weekly_hours = u.h,
                  skills = ARRAY(SELECT jsonb_array_elements_text(u.sk)),
                  languages = ARRAY(SELECT jsonb_array_elements_text(u.la))
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::varchar[], $5::jsonb[], $6::jsonb[], $7::numeric[])
               AS u(id, n, s, rc, sk, la, h)
            WHERE v.id = u.id`,
          [part.map((r) => r.existingId), part.map((r) => r.name), ...facts(part)],
        );
        await auditImported(m, p, 'volunteer.update', 'volunteer', audited, [part.map((r) => r.existingId)], jobId);
        written += part.length;
        await progress.written(written);
      }
      const windows = rows.flatMap((r) => r.newWindows.map((w) => ({ id: r.existingId!, ...w })));
      for (const part of batches(windows)) {
        await m.query(
          `INSERT INTO volunteer_availability (volunteer_id, starts_at, ends_at)
           SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[])`,
          [part.map((w) => w.id), part.map((w) => w.start), part.map((w) => w.end)],
        );
      }
      return written;
    });
  }
}
