import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every answer touches every counter of its group (issue 19, anonymity in the stored rows). Until
 * now an answer added one to the counters of what was said only, in the transaction that recorded
 * who answered: PostgreSQL stamps each row version with its transaction (xmin), so the counters a
 * respondent's transaction last wrote — a rare answer's above all — were joined to that respondent
 * (`survey_respondent.xmin = survey_tally.xmin`, or through the audit row). Now each group holds a
 * counter for every possible answer, zero included, and each answer rewrites all of them: the
 * counters' xmin names only the group's latest respondent, never what anyone said.
 */
export class SurveyTallyGrid1765310019000 implements MigrationInterface {
  name = 'SurveyTallyGrid1765310019000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE survey_tally DROP CONSTRAINT survey_tally_count_check, ADD CHECK (count >= 0)`);
    // The grid of each group answered so far: every scale value, option and need (the catalog's SurveyNeed of today).
    await q.query(`
      INSERT INTO survey_tally (survey_id, question_no, group_key, answer, count)
      SELECT g.survey_id, sq.no, g.group_key, a.answer, 0
        FROM survey_group g
        JOIN survey_question sq ON sq.survey_id = g.survey_id
        CROSS JOIN LATERAL (
          SELECT v::text AS answer FROM generate_series(1, sq.scale_max) v WHERE sq.kind = 'scale'
          UNION ALL SELECT (v - 1)::text FROM generate_series(1, cardinality(sq.options)) v WHERE sq.kind = 'choice'
          UNION ALL SELECT n FROM unnest(ARRAY['job_help', 'training', 'elderly_care', 'child_care', 'health',
            'legal_aid', 'integration', 'daily_life']) n WHERE sq.kind = 'need') a
      ON CONFLICT DO NOTHING`);
    // Every counter rewritten once here: none keeps the transaction of the answer that last changed it.
    await q.query(`UPDATE survey_tally SET count = count`);
    await q.query(`COMMENT ON TABLE survey_tally IS 'Answers only as counts (匿名): a counter per question, building and '
      'possible answer, zero included; each answer rewrites all of its building''s counters, so no row version marks '
      'what one respondent said.'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM survey_tally WHERE count = 0`);
    await q.query(`ALTER TABLE survey_tally DROP CONSTRAINT survey_tally_count_check, ADD CHECK (count > 0)`);
  }
}
