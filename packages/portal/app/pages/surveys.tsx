import { useState } from 'preact/hooks';
import { request, useQuery } from '../api';
import {
  ANSWER_SURVEY,
  CLOSE_SURVEY,
  CREATE_SURVEY,
  SURVEY_PAGE,
  SURVEY_RESULTS,
  SURVEYS,
  type SurveyAnswerInput,
  type SurveyKind,
  type SurveyNeed,
  type SurveyPageQuery,
  type SurveyQuestionKind,
} from '../generated/operations';
import { QUESTION_KIND, SURVEY_KIND, SURVEY_NEED, SURVEY_STATUS, choices, say } from '../labels';
import { when } from '../dates';
import { Crumbs } from '../ui/crumbs';
import { DataTable, useCursor } from '../ui/table';
import { Empty, Show } from '../ui/states';
import { FormError, Submit, provinceInstant, useAction } from '../ui/action';
import { isClerk, isOfficer, isResident, useMySites } from './voice';

type Survey = NonNullable<SurveyPageQuery['survey']>;

/** 问卷调查 — the surveys of the caller's sites: residents answer them, officers create, close and read them. */
export function SurveysPage() {
  const cursor = useCursor(20);
  const [r, retry] = useQuery(SURVEYS, { after: cursor.after });
  return (
    <>
      <h1>
        问卷调查<small>满意度、归属感调查，匿名作答，只按人数汇总</small>
      </h1>
      {isClerk() && <CreateSurvey />}
      <section class="block">
        <h2>问卷</h2>
        <Show result={r} retry={retry} what="问卷">
          {({ surveys }) => (
            <>
              <DataTable
                name="surveys"
                exportName="问卷"
                rows={surveys.nodes}
                empty="还没有问卷。"
                columns={[
                  { label: '问卷', value: (s) => s.title, render: (s) => <a href={`#/survey/${s.id}`}>{s.title}</a> },
                  { label: '类别', value: (s) => say(SURVEY_KIND, s.kind) },
                  { label: '安置点', value: (s) => s.site.name },
                  { label: '截止', value: (s) => when(s.closesAt) },
                  { label: '状态', value: (s) => say(SURVEY_STATUS, s.status) },
                  isResident()
                    ? { label: '我', value: (s) => (s.answeredByMe ? '已作答' : s.status === 'OPEN' ? '未作答' : '—') }
                    : { label: '作答人数', numeric: true, value: (s) => s.respondentCount },
                ]}
              />
              {cursor.pager(surveys)}
            </>
          )}
        </Show>
      </section>
    </>
  );
}

type Draft = { text: string; kind: SurveyQuestionKind; scaleMax: string; options: string };
const blank = (): Draft => ({ text: '', kind: 'SCALE', scaleMax: '5', options: '' });

/** 发布问卷: a site, a title, a deadline and the questions (scale, choice or needs). */
function CreateSurvey() {
  const sites = useMySites();
  const [open, setOpen] = useState(false);
  const [siteId, setSiteId] = useState('');
  const [kind, setKind] = useState<SurveyKind>('SATISFACTION');
  const [title, setTitle] = useState('');
  const [closesAt, setClosesAt] = useState('');
  const [questions, setQuestions] = useState<Draft[]>([blank()]);
  const act = useAction();
  const edit = (i: number, change: Partial<Draft>) =>
    setQuestions(questions.map((q, j) => (i === j ? { ...q, ...change } : q)));
  if (!open) {
    return (
      <p>
        <button type="button" class="primary" data-survey-open onClick={() => setOpen(true)}>
          发布问卷
        </button>
      </p>
    );
  }
  return (
    <Show result={sites} what="安置点">
      {(list) => {
        const site = siteId || list[0]?.id || '';
        const input = {
          siteId: site,
          kind,
          title,
          closesAt: provinceInstant(closesAt),
          questions: questions.map((q) => ({
            text: q.text,
            kind: q.kind,
            scaleMax: q.kind === 'SCALE' ? Number(q.scaleMax) : undefined,
            options:
              q.kind === 'CHOICE'
                ? q.options
                    .split(/[\n；;]/)
                    .map((o) => o.trim())
                    .filter(Boolean)
                : undefined,
          })),
        };
        return (
          <form
            class="block form"
            data-form="create-survey"
            onSubmit={async (e) => {
              e.preventDefault();
              let id = '';
              const ok = await act.run(async () => {
                id = (await request(CREATE_SURVEY, { input })).createSurvey.id;
              });
              if (ok) location.hash = `#/survey/${id}`;
            }}
          >
            <h2>发布问卷</h2>
            <div class="filters">
              <label>
                安置点
                <select name="siteId" value={site} onChange={(e) => setSiteId(e.currentTarget.value)}>
                  {list.map((s) => (
                    <option value={s.id}>{s.name}</option>
                  ))}
                </select>
              </label>
              <label>
                类别
                <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as SurveyKind)}>
                  {Object.entries(SURVEY_KIND).map(([k, v]) => (
                    <option value={k}>{v}</option>
                  ))}
                </select>
              </label>
              <label>
                标题
                <input
                  name="title"
                  value={title}
                  onInput={(e) => setTitle(e.currentTarget.value)}
                  placeholder="例如：2026年度居民满意度调查"
                />
              </label>
              <label>
                截止时间（北京时间）
                <input
                  type="datetime-local"
                  name="closesAt"
                  value={closesAt}
                  onInput={(e) => setClosesAt(e.currentTarget.value)}
                />
              </label>
            </div>
            <ol class="questions">
              {questions.map((q, i) => (
                <li data-question={i + 1}>
                  <label>
                    题目
                    <input
                      name={`q${i + 1}.text`}
                      value={q.text}
                      onInput={(e) => edit(i, { text: e.currentTarget.value })}
                    />
                  </label>
                  <label>
                    题型
                    <select
                      name={`q${i + 1}.kind`}
                      value={q.kind}
                      onChange={(e) => edit(i, { kind: e.currentTarget.value as SurveyQuestionKind })}
                    >
                      {Object.entries(QUESTION_KIND).map(([k, v]) => (
                        <option value={k}>{v}</option>
                      ))}
                    </select>
                  </label>
                  {q.kind === 'SCALE' && (
                    <label>
                      最高分（3–10）
                      <input
                        type="number"
                        name={`q${i + 1}.scaleMax`}
                        min={3}
                        max={10}
                        value={q.scaleMax}
                        onInput={(e) => edit(i, { scaleMax: e.currentTarget.value })}
                      />
                    </label>
                  )}
                  {q.kind === 'CHOICE' && (
                    <label>
                      选项（每行一个）
                      <textarea
                        name={`q${i + 1}.options`}
                        rows={3}
                        value={q.options}
                        onInput={(e) => edit(i, { options: e.currentTarget.value })}
                      />
                    </label>
                  )}
                  {q.kind === 'NEED' && (
                    <span class="hint">居民从需求清单的类别中多选；问卷结束后汇总进需求清单。</span>
                  )}
                  {questions.length > 1 && (
                    <button
                      type="button"
                      class="link"
                      onClick={() => setQuestions(questions.filter((_, j) => j !== i))}
                    >
                      删除此题
                    </button>
                  )}
                </li>
              ))}
            </ol>
            <span>
              <button type="button" data-add-question onClick={() => setQuestions([...questions, blank()])}>
                添加题目
              </button>
            </span>
            <Submit act={act} label="发布" running="正在发布…" cancel={() => setOpen(false)} />
          </form>
        );
      }}
    </Show>
  );
}

/** One survey: a resident's answer form, or for officers the count of answers, closing it, and its results. */
export function SurveyPage({ id }: { id: string }) {
  const [r, retry] = useQuery(SURVEY_PAGE, { id });
  const act = useAction();
  return (
    <Show result={r} retry={retry} what="问卷">
      {({ survey: s }) => {
        if (!s) return <p class="state empty">没有这份问卷，或它不在您的范围内。</p>;
        const open = s.status === 'OPEN';
        return (
          <>
            <Crumbs items={[{ label: '问卷调查', href: '#/surveys' }, { label: s.title }]} />
            <h1>
              {s.title}
              <small data-survey-status={s.status}>
                {say(SURVEY_KIND, s.kind)} · {say(SURVEY_STATUS, s.status)}
              </small>
            </h1>
            <p class="hint">
              {s.site.name} · {when(s.opensAt)} 至 {when(s.closesAt)}
              {s.closedAt ? `（${when(s.closedAt)} 结束）` : ''}
            </p>
            {s.respondentCount != null && (
              <p>
                已有 <b data-count="respondents">{s.respondentCount}</b> 位居民作答。
              </p>
            )}
            {isResident() &&
              (s.answeredByMe ? (
                <p class="state" data-answered>
                  您已作答，谢谢参与。您的回答是匿名的，只计入汇总人数。
                </p>
              ) : open ? (
                <AnswerForm s={s} done={retry} />
              ) : (
                <Empty>问卷已结束。</Empty>
              ))}
            {isClerk() && open && (
              <p>
                <button
                  type="button"
                  data-close-survey
                  disabled={act.busy}
                  onClick={() => act.run(() => request(CLOSE_SURVEY, { surveyId: s.id })).then((ok) => ok && retry())}
                >
                  提前结束问卷
                </button>
                <span class="hint">结束后可看结果，居民填写的需求汇总进需求清单。</span>
              </p>
            )}
            <FormError error={act.error} />
            {isOfficer() &&
              (open ? (
                <Empty>问卷结束后才显示结果（作答期间不显示，以免推算出个人的回答）。</Empty>
              ) : (
                <SurveyResults id={s.id} />
              ))}
          </>
        );
      }}
    </Show>
  );
}

type Answer = Omit<SurveyAnswerInput, 'questionNo'>;

function AnswerForm({ s, done }: { s: Survey; done: () => void }) {
  const [answers, setAnswers] = useState<Record<number, Answer>>({});
  const act = useAction();
  const set = (no: number, a: Answer) => setAnswers({ ...answers, [no]: a });
  const toggleNeed = (no: number, need: SurveyNeed) => {
    const now = new Set(answers[no]?.needs ?? []);
    if (!now.delete(need)) now.add(need);
    set(no, { needs: [...now] });
  };
  return (
    <form
      class="block form"
      data-form="answer-survey"
      onSubmit={async (e) => {
        e.preventDefault();
        // A need question left blank is an answer too: "none of these".
        const list = s.questions.map((q) => ({
          questionNo: q.no,
          ...(q.kind === 'NEED' ? { needs: [] } : {}),
          ...answers[q.no],
        }));
        if (await act.run(() => request(ANSWER_SURVEY, { surveyId: s.id, answers: list }))) done();
      }}
    >
      <p class="hint">匿名作答：您的回答不会和您的姓名一起保存，只计入汇总人数。每人只能作答一次。</p>
      <ol class="questions">
        {s.questions.map((q) => (
          <li data-question={q.no}>
            <b>{q.text}</b>
            <span class="choices">
              {q.kind === 'SCALE' &&
                Array.from({ length: q.scaleMax ?? 5 }, (_, i) => i + 1).map((v) => (
                  <label class="check">
                    <input
                      type="radio"
                      name={`q${q.no}`}
                      value={v}
                      checked={answers[q.no]?.scale === v}
                      onChange={() => set(q.no, { scale: v })}
                    />
                    {v} 分
                  </label>
                ))}
              {q.kind === 'CHOICE' &&
                q.options.map((o, i) => (
                  <label class="check">
                    <input
                      type="radio"
                      name={`q${q.no}`}
                      value={i}
                      checked={answers[q.no]?.choice === i}
                      onChange={() => set(q.no, { choice: i })}
                    />
                    {o}
                  </label>
                ))}
              {q.kind === 'NEED' &&
                choices(SURVEY_NEED).map(([need, words]) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      name={`q${q.no}`}
                      value={need}
                      checked={answers[q.no]?.needs?.includes(need) ?? false}
                      onChange={() => toggleNeed(q.no, need)}
                    />
                    {words}
                  </label>
                ))}
            </span>
          </li>
        ))}
      </ol>
      <Submit act={act} label="提交" />
    </form>
  );
}

/** The counts of a closed survey: the whole site, then each building shown (none under the minimum group). */
function SurveyResults({ id }: { id: string }) {
  const [r, retry] = useQuery(SURVEY_RESULTS, { id });
  return (
    <section class="block" data-block="results">
      <h2>结果</h2>
      <Show result={r} retry={retry} what="结果">
        {({ surveyResults: x }) => (
          <>
            <p class="hint">
              作答 <b data-count="result-respondents">{x.respondents ?? `不足${x.minimumGroupSize}人`}</b>
              {x.respondents == null ? '，为保护作答居民，不显示结果。' : '人'}
              {x.hiddenGroups > 0 &&
                `；${x.hiddenGroups} 个楼栋作答不足${x.minimumGroupSize}人（或可被推算），未单独显示`}
              。
            </p>
            {x.groups.map((g) => (
              <div class="group" data-group={g.wholeSite ? 'site' : (g.building?.id ?? 'none')}>
                <h3>
                  {g.wholeSite ? '全安置点' : (g.building?.name ?? '未分楼栋')}
                  <small>{g.respondents} 人作答</small>
                </h3>
                {g.questions.map((q) => (
                  <DataTable
                    name={`result-${g.wholeSite ? 'site' : (g.building?.id ?? 'none')}-${q.no}`}
                    exportName={`${q.no}. ${q.text}`}
                    rows={q.answers}
                    columns={[
                      {
                        label: `${q.no}. ${q.text}${q.mean != null ? `（平均 ${q.mean} 分）` : ''}`,
                        value: (a) =>
                          q.kind === 'NEED'
                            ? say(SURVEY_NEED, a.answer.toUpperCase())
                            : q.kind === 'SCALE'
                              ? `${a.answer} 分`
                              : a.answer,
                      },
                      { label: '人数', numeric: true, value: (a) => a.count },
                    ]}
                  />
                ))}
              </div>
            ))}
          </>
        )}
      </Show>
    </section>
  );
}
