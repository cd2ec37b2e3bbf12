import type { DataSource, EntityManager } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  audit,
  coversPlace,
  requireRole,
  returning,
  type Clock,
  type Principal,
  PROVINCE_ZONE_SQL,
  isUuid,
  keysetPage,
  desc,
} from '@anju/kit';
import { SurveyNeed, publishSelect } from '@anju/contracts';
import { siteForWrite } from '../grid/grid.service';
import { siteCommunityScope } from '../scope';
import { parseTime } from '../notice/notice.service';
import { suppressSmallGroups, MINIMUM_GROUP } from './survey-aggregates';

export type SurveyKind = 'satisfaction' | 'belonging';
export type QuestionKind = 'scale' | 'choice' | 'need';
export const NEEDS = SurveyNeed.options;
export type Need = (typeof NEEDS)[number];

export interface SurveyRow {
  id: string;
  siteId: string;
  regionCode: string;
  kind: SurveyKind;
  title: string;
  status: 'open' | 'closed';
  opensAt: Date;
  closesAt: Date;
  closedAt: Date | null;
}
export interface QuestionRow {
  surveyId: string;
  no: number;
  text: string;
  kind: QuestionKind;
  scaleMax: number | null;
  options: string[];
}

export interface CreateSurveyInput {
  siteId: string;
  kind: SurveyKind;
  title: string;
  closesAt: string;
  questions: { text: string; kind: QuestionKind; scaleMax?: number | null; options?: string[] | null }[];
}
export interface AnswerInput {
  questionNo: number;
  scale?: number | null;
  choice?: number | null;
  needs?: Need[] | null;
}

const COLUMNS = `s.id, s.site_id AS "siteId", s.region_code AS "regionCode", s.kind, s.title, s.status,
    s.opens_at AS "opensAt",
  s.closes_at AS "closesAt", s.closed_at AS "closedAt"`;

/** Closes the surveys named (or every open one past its deadline) and reports the needs they counted to matching. */
export async function closeSurveys(m: EntityManager, now: Date, ids: string[] | null): Promise<number> {
  const closed = `closed AS (
      UPDATE survey SET status = 'closed', closed_at = $1
       WHERE status = 'open' AND ($2::uuid[] IS NOT NULL AND id = ANY($2::uuid[]) OR $2::uuid[] IS NULL
         AND closes_at <= $1)
      RETURNING id, site_id, region_code)`;
  // One event per survey and need named at least once, summed over the buildings.
  await publishSelect(
    m,
    'survey.needs_reported',
    `SELECT c.id AS "surveyId", c.site_id AS "siteId", c.region_code AS "regionCode", t.answer AS need,
              sum(t.count)::int AS residents,
            to_char($1::timestamptz AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD') AS "closedOn"
       FROM closed c JOIN survey_question q ON q.survey_id = c.id AND q.kind = 'need'
       JOIN survey_tally t ON t.survey_id = c.id AND t.question_no = q.no
      GROUP BY c.id, c.site_id, c.region_code, t.answer HAVING sum(t.count) > 0`,
    [now, ids],
    { with: closed },
  );
  const [{ n }] = await m.query(
    `SELECT count(*)::int AS n FROM survey WHERE closed_at = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))`,
    [now, ids],
  );
  return n;
}

/** 满意度、归属感调查 — surveys of a site, answered anonymously, read only as aggregates. */
export class SurveyService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  private scope(n: number): { sql: string; params: unknown[] } {
    return siteCommunityScope(this.principal, 's', n);
  }

  byIds(ids: readonly string[]): Promise<SurveyRow[]> {
    const scope = this.scope(2);
    return this.db.query(`SELECT ${COLUMNS} FROM survey s WHERE s.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  async list(args: { siteId?: string | null; first?: number | null; after?: string | null }) {
    const scope = this.scope(2);
    const params: unknown[] = [args.siteId ?? null, ...scope.params];
    const where = `($1::text IS NULL OR s.site_id = as_uuid($1)) AND ${scope.sql}`;
    const list = { columns: COLUMNS, from: 'survey s', where, params };
    const sort = desc<SurveyRow>(['s.opens_at', 'timestamp', 'opensAt'], ['s.id', 'uuid', 'id']);
    return keysetPage(this.db, list, args, sort);
  }

  questions(surveyIds: readonly string[]): Promise<QuestionRow[]> {
    return this.db.query(
      `SELECT survey_id AS "surveyId", no, text, kind, scale_max AS "scaleMax", options FROM survey_question
        WHERE survey_id = ANY(as_uuids($1)) ORDER BY survey_id, no`,
      [surveyIds],
    );
  }

  /** Respondents so far, for officers (a count only); null for everyone else. */
  async respondentCounts(surveyIds: readonly string[]): Promise<Map<string, number> | null> {
    if (!['province', 'county', 'site_officer'].includes(this.principal.role)) return null;
    const rows: { id: string; n: number }[] = await this.db.query(
      `SELECT survey_id AS id, count(*)::int AS n FROM survey_respondent WHERE survey_id = ANY(as_uuids($1))
       GROUP BY survey_id`,
      [surveyIds],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Whether the calling resident has answered each survey. */
  async answeredByMe(surveyIds: readonly string[]): Promise<Set<string>> {
    if (this.principal.role !== 'resident') return new Set();
    const rows: { id: string }[] = await this.db.query(
      `SELECT survey_id AS id FROM survey_respondent WHERE survey_id = ANY(as_uuids($1)) AND resident_id = $2::uuid`,
      [surveyIds, this.principal.residentId],
    );
    return new Set(rows.map((r) => r.id));
  }

  async create(input: CreateSurveyInput): Promise<SurveyRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    const site = await siteForWrite(this.db, p, input.siteId, 'input.siteId');
    const now = this.clock.now();
    const title = input.title.trim();
    if (title.length < 2 || title.length > 200) throw new InputError('input.title', 'A title has 2 to 200 characters.');
    const closesAt = parseTime(input.closesAt, 'input.closesAt');
    if (closesAt <= now) throw new InputError('input.closesAt', 'The survey closes in the future.', 'PAST');
    if (!input.questions.length || input.questions.length > 30)
      throw new InputError('input.questions', 'A survey has 1 to 30 questions.', 'COUNT');
    const questions = input.questions.map((q, i) => {
      const field = `input.questions.${i}`;
      const text = q.text.trim();
      if (text.length < 2 || text.length > 500)
        throw new InputError(`${field}.text`, 'A question has 2 to 500 characters.');
      if (q.kind === 'scale') {
        if (!Number.isInteger(q.scaleMax) || q.scaleMax! < 3 || q.scaleMax! > 10)
          throw new InputError(`${field}.scaleMax`, 'A scale runs from 1 to 3…10.', 'RANGE');
        if (q.options?.length)
          throw new InputError(`${field}.options`, 'A scale question has no options.', 'UNEXPECTED');
        return { text, kind: q.kind, scaleMax: q.scaleMax!, options: [] as string[] };
      }
      if (q.scaleMax != null)
        throw new InputError(`${field}.scaleMax`, 'Only a scale question has a scale.', 'UNEXPECTED');
      if (q.kind === 'need') {
        if (q.options?.length)
          throw new InputError(
            `${field}.options`,
            "A need question offers the demand list's categories.",
            'UNEXPECTED',
          );
        return { text, kind: q.kind, scaleMax: null, options: [] as string[] };
      }
      const options = (q.options ?? []).map((o) => o.trim());
      if (
        options.length < 2 ||
        options.length > 12 ||
        options.some((o) => !o || o.length > 100) ||
        new Set(options).size !== options.length
      ) {
        throw new InputError(`${field}.options`, 'A choice offers 2 to 12 different options of 1 to 100 characters.');
      }
      return { text, kind: q.kind, scaleMax: null, options };
    });
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO survey (site_id, region_code, kind, title, opens_at, closes_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [site.id, site.regionCode, input.kind, title, now, closesAt, p.subject],
      );
      await m.query(
        `INSERT INTO survey_question (survey_id, no, text, kind, scale_max, options)
         SELECT $1, q.no, q.text, q.kind, q.scale_max, ARRAY(SELECT jsonb_array_elements_text(q.options))
           FROM jsonb_to_recordset($2::jsonb) AS q(no int, text text, kind text, scale_max int, options jsonb)`,
        [
          id,
          JSON.stringify(
            questions.map((q, i) => ({
              no: i + 1,
              text: q.text,
              kind: q.kind,
              scale_max: q.scaleMax,
              options: q.options,
            })),
          ),
        ],
      );
      await audit(m, p, {
        action: 'survey.create',
        entityType: 'Survey',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      const [row] = await m.query(`SELECT ${COLUMNS} FROM survey s WHERE s.id = $1`, [id]);
      return row;
    });
  }

  /**
   * A resident answers a survey of their site, once. The answer is added to counters (by the
   * building of their household) and is not kept; that they answered is recorded apart, to refuse a second one.
   * Every counter of the group is rewritten, the ones not answered with nothing added: a row version's
   * transaction (xmin) is shared with the respondent record, so it must not single out what was said.
   */
  async answer(surveyId: string, answers: AnswerInput[]): Promise<{ surveyId: string; accepted: boolean }> {
    const p = this.principal;
    requireRole(p, 'resident');
    const survey = await this.visible(surveyId, 'surveyId');
    const now = this.clock.now();
    if (survey.status !== 'open' || new Date(survey.closesAt) <= now)
      throw new ConflictError('surveyId', 'The survey has closed.', 'CLOSED');
    const [home] = await this.db.query(
      `SELECT coalesce(h.building_id::text, 'none') AS "groupKey" FROM resident r JOIN household h
        ON h.id = r.household_id
        WHERE r.id = $1::uuid AND r.moved_out_on IS NULL`,
      [p.residentId],
    );
    if (!home) throw new ForbiddenError('Only residents living at the site answer its surveys.');
    const questions = await this.questions([survey.id]);
    const said = new Set(checkAnswers(questions, answers).map((t) => `${t.no}:${t.answer}`));
    const grid = counterGrid(questions).map((c) => ({ ...c, add: said.has(`${c.no}:${c.answer}`) ? 1 : 0 }));
    return this.db.transaction(async (m) => {
      const first = returning(
        await m.query(
          `INSERT INTO survey_respondent (survey_id, resident_id) VALUES ($1, $2) ON CONFLICT DO NOTHING
           RETURNING survey_id`,
          [survey.id, p.residentId],
        ),
      );
      if (!first.length)
        throw new ConflictError('surveyId', 'You have already answered this survey.', 'ALREADY_ANSWERED');
      await m.query(
        `INSERT INTO survey_group (survey_id, group_key, respondents) VALUES ($1, $2, 1)
         ON CONFLICT (survey_id, group_key) DO UPDATE SET respondents = survey_group.respondents + 1`,
        [survey.id, home.groupKey],
      );
      // The group's row above is locked until commit: answers of one group write its counters one after another.
      await m.query(
        `INSERT INTO survey_tally (survey_id, question_no, group_key, answer, count)
         SELECT $1, t.no, $2, t.answer, t.add FROM unnest($3::int[], $4::text[], $5::int[]) AS t(no, answer, add)
         ON CONFLICT (survey_id, question_no, group_key, answer)
         DO UPDATE SET count = survey_tally.count + EXCLUDED.count`,
        [survey.id, home.groupKey, grid.map((t) => t.no), grid.map((t) => t.answer), grid.map((t) => t.add)],
      );
      // The audit row says that the resident answered, as the respondent record does; never what.
      await audit(m, p, {
        action: 'survey.answer',
        entityType: 'Survey',
        entityId: survey.id,
        siteId: survey.siteId,
        regionCode: survey.regionCode,
      });
      return { surveyId: survey.id, accepted: true };
    });
  }

  /**
   * Officers close a survey before its deadline (the scheduler closes it at the deadline); its needs go to the demand
   * list.
   */
  async close(surveyId: string): Promise<SurveyRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    const survey = await this.visible(surveyId, 'surveyId');
    if (!coversPlace(p, { siteId: survey.siteId, regionCode: survey.regionCode }))
      throw new ForbiddenError('The survey is outside your scope.');
    if (survey.status !== 'open') throw new ConflictError('surveyId', 'The survey is already closed.', 'CLOSED');
    return this.db.transaction(async (m) => {
      await closeSurveys(m, this.clock.now(), [survey.id]);
      await audit(m, p, {
        action: 'survey.close',
        entityType: 'Survey',
        entityId: survey.id,
        siteId: survey.siteId,
        regionCode: survey.regionCode,
      });
      const [row] = await m.query(`SELECT ${COLUMNS} FROM survey s WHERE s.id = $1`, [survey.id]);
      return row;
    });
  }

  /**
   * The results of a closed survey, for officers: by building and for the whole site, each group
   * only when at least MINIMUM_GROUP residents of it answered (and enough others are hidden with a
   * small one that it cannot be worked out by subtraction). Open surveys show no results, so that
   * no one can read one resident's answer off the difference between two looks.
   */
  async results(surveyId: string) {
    const p = this.principal;
    requireRole(p, 'province', 'county', 'site_officer');
    const survey = await this.visible(surveyId, 'surveyId');
    if (survey.status !== 'closed')
      throw new ConflictError('surveyId', 'Results are shown once the survey has closed.', 'NOT_CLOSED');
    const groups: { key: string; respondents: number }[] = await this.db.query(
      `SELECT group_key AS key, respondents FROM survey_group WHERE survey_id = $1 ORDER BY group_key`,
      [survey.id],
    );
    const shown = suppressSmallGroups(groups);
    const total = groups.reduce((n, g) => n + g.respondents, 0);
    const keys = [...(total >= MINIMUM_GROUP ? ['site'] : []), ...shown.map((g) => g.key)];
    const tallies: { no: number; key: string; answer: string; count: number }[] = keys.length
      ? await this.db.query(
          `SELECT question_no AS no, group_key AS key, answer, count FROM survey_tally WHERE survey_id = $1
         AND group_key = ANY($2::text[])
       UNION ALL
       SELECT question_no, 'site', answer, sum(count)::int FROM survey_tally WHERE survey_id = $1 AND $3
       GROUP BY question_no, answer`,
          [survey.id, shown.map((g) => g.key), total >= MINIMUM_GROUP],
        )
      : [];
    const questions = await this.questions([survey.id]);
    const groupOf = (key: string, respondents: number): SurveyGroupRow => ({
      buildingId: key === 'site' || key === 'none' ? null : key,
      wholeSite: key === 'site',
      respondents,
      questions: questions.map((q) =>
        questionResult(
          q,
          tallies.filter((t) => t.key === key && t.no === q.no),
          respondents,
        ),
      ),
    });
    return {
      survey,
      minimumGroupSize: MINIMUM_GROUP,
      respondents: total >= MINIMUM_GROUP ? total : null,
      hiddenGroups: groups.length - shown.length,
      groups: [
        ...(total >= MINIMUM_GROUP ? [groupOf('site', total)] : []),
        ...shown.map((g) => groupOf(g.key, g.respondents)),
      ],
    };
  }

  private async visible(id: string, field: string): Promise<SurveyRow> {
    if (!isUuid(id)) throw new InputError(field, 'Not a survey id.', 'FORMAT');
    const [row] = await this.byIds([id]);
    if (!row) throw new NotFoundError(field, 'No such survey.');
    return row;
  }
}

/** Every question answered once, each answer of its question's kind; what to add to the counters. */
function checkAnswers(questions: QuestionRow[], answers: AnswerInput[]): { no: number; answer: string }[] {
  const byNo = new Map(answers.map((a, i) => [a.questionNo, { a, i }]));
  if (byNo.size !== answers.length) throw new InputError('answers', 'Answer each question once.', 'DUPLICATE');
  const out: { no: number; answer: string }[] = [];
  for (const [no, { i }] of byNo)
    if (!questions.some((q) => q.no === no))
      throw new InputError(`answers.${i}.questionNo`, 'No such question.', 'UNKNOWN');
  for (const q of questions) {
    const hit = byNo.get(q.no);
    if (!hit) throw new InputError('answers', `Question ${q.no} is not answered.`, 'MISSING');
    const { a, i } = hit;
    const field = `answers.${i}`;
    const given = [a.scale != null, a.choice != null, a.needs != null].filter(Boolean).length;
    const expected = q.kind === 'scale' ? a.scale != null : q.kind === 'choice' ? a.choice != null : a.needs != null;
    if (given !== 1 || !expected)
      throw new InputError(
        field,
        `Question ${q.no} takes ${q.kind === 'need' ? 'needs' : q.kind} and nothing else.`,
        'WRONG_KIND',
      );
    if (q.kind === 'scale') {
      if (!Number.isInteger(a.scale) || a.scale! < 1 || a.scale! > q.scaleMax!)
        throw new InputError(`${field}.scale`, `From 1 to ${q.scaleMax}.`, 'RANGE');
      out.push({ no: q.no, answer: String(a.scale) });
    } else if (q.kind === 'choice') {
      if (!Number.isInteger(a.choice) || a.choice! < 0 || a.choice! >= q.options.length)
        throw new InputError(`${field}.choice`, 'Not one of the options.', 'RANGE');
      out.push({ no: q.no, answer: String(a.choice) });
    } else {
      const needs = [...new Set(a.needs!)];
      for (const need of needs) out.push({ no: q.no, answer: need });
    }
  }
  return out;
}

/** Every counter a group of a survey holds: each scale value, option index and need of each question. */
function counterGrid(questions: QuestionRow[]): { no: number; answer: string }[] {
  return questions.flatMap((q) => {
    const answers =
      q.kind === 'scale'
        ? Array.from({ length: q.scaleMax! }, (_, v) => String(v + 1))
        : q.kind === 'choice'
          ? q.options.map((_, i) => String(i))
          : [...NEEDS];
    return answers.map((answer) => ({ no: q.no, answer }));
  });
}

/** One group of a closed survey's results: a building, or the whole site. */
export interface SurveyGroupRow {
  buildingId: string | null;
  wholeSite: boolean;
  respondents: number;
  questions: ReturnType<typeof questionResult>[];
}

function questionResult(q: QuestionRow, tallies: { answer: string; count: number }[], respondents: number) {
  const count = (answer: string) => tallies.find((t) => t.answer === answer)?.count ?? 0;
  const answers =
    q.kind === 'scale'
      ? Array.from({ length: q.scaleMax! }, (_, v) => ({ answer: String(v + 1), count: count(String(v + 1)) }))
      : q.kind === 'choice'
        ? q.options.map((o, i) => ({ answer: o, count: count(String(i)) }))
        : NEEDS.map((need) => ({ answer: need, count: count(need) }));
  const mean =
    q.kind === 'scale' && respondents
      ? Math.round((answers.reduce((s, a) => s + Number(a.answer) * a.count, 0) / respondents) * 100) / 100
      : null;
  return { no: q.no, text: q.text, kind: q.kind, mean, answers };
}
