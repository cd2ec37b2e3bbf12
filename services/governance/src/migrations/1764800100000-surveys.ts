import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Satisfaction and belonging surveys (满意度、归属感调查) answered anonymously. An answer is never
 * stored as a row: it only adds one to counters (`survey_tally`, per question, building and
 * answer; `survey_group`, respondents per building). Who has answered (`survey_respondent`, to
 * refuse a second answer) is kept apart and holds nothing else — no time, no sequence, no answer —
 * so no column joins a resident to what they said.
 */
export class Surveys1764800100000 implements MigrationInterface {
  name = 'Surveys1764800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE survey (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('satisfaction', 'belonging')),
        title text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        created_by text NOT NULL,
        closed_at timestamptz,
        CHECK (closes_at > opens_at)
      )`);
    await q.query(`CREATE INDEX survey_site ON survey (site_id, opens_at DESC, id)`);
    await q.query(`CREATE INDEX survey_region ON survey (region_code text_pattern_ops)`);
    await q.query(`CREATE INDEX survey_due ON survey (closes_at) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE survey_question (
        survey_id uuid NOT NULL REFERENCES survey (id),
        no int NOT NULL CHECK (no > 0),
        text text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('scale', 'choice', 'need')),
        scale_max int CHECK (scale_max BETWEEN 3 AND 10),
        options text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (survey_id, no),
        CHECK ((kind = 'scale') = (scale_max IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE survey_respondent (
        survey_id uuid NOT NULL REFERENCES survey (id),
        resident_id uuid NOT NULL REFERENCES resident (id),
        PRIMARY KEY (survey_id, resident_id)
      )`);
    await q.query(`COMMENT ON TABLE survey_respondent IS 'Who has answered a survey (已答记录), to refuse a second answer. '
      'Deliberately no time, sequence or answer column: nothing joins a respondent to the counters.'`);
    // group_key: the respondent's building id, or 'none' for a household without one.
    await q.query(`
      CREATE TABLE survey_group (
        survey_id uuid NOT NULL REFERENCES survey (id),
        group_key text NOT NULL,
        respondents int NOT NULL CHECK (respondents > 0),
        PRIMARY KEY (survey_id, group_key)
      )`);
    // answer: the scale value ('1'…'10'), the option's index ('0'…), or the need category.
    await q.query(`
      CREATE TABLE survey_tally (
        survey_id uuid NOT NULL REFERENCES survey (id),
        question_no int NOT NULL,
        group_key text NOT NULL,
        answer text NOT NULL,
        count int NOT NULL CHECK (count > 0),
        PRIMARY KEY (survey_id, question_no, group_key, answer)
      )`);
    await q.query(
      `COMMENT
       ON TABLE survey_tally IS 'Answers only as counts (匿名): one is added per answer; no answer is stored as a row.'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE survey_tally; DROP TABLE survey_group; DROP TABLE survey_respondent; DROP TABLE survey_question;
       DROP TABLE survey`,
    );
  }
}
