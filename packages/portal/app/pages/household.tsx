import { useState } from 'preact/hooks';
import { ApiError, request, session, useQuery } from '../api';
import {
  HOUSEHOLD_FOLLOW_UP,
  HOUSEHOLD_JOBS,
  HOUSEHOLD_PAGE,
  HOUSEHOLD_TRAINING,
  POINTS_ACCOUNT,
  REVEAL_CONTACT,
  type HouseholdPageQuery,
  type RevealContactMutation,
} from '../generated/operations';
import {
  DEMAND_CATEGORY,
  DEMAND_STATUS,
  EMPLOYMENT_KIND,
  GENDER,
  LABOUR,
  LAND_KIND,
  LAND_STATE,
  RELATION,
  RULES,
  say,
} from '../labels';
import { when } from '../dates';
import { Crumbs } from '../ui/crumbs';
import { DataTable } from '../ui/table';
import { ErrorBox, Show } from '../ui/states';

type Household = NonNullable<HouseholdPageQuery['household']>;
type Member = Household['residents'][number];

/** A household's page (户): officers of its site and region, and the grid worker of its grid. */
export function HouseholdPage({ id }: { id: string }) {
  const [r, retry] = useQuery(HOUSEHOLD_PAGE, { id });
  return (
    <Show result={r} retry={retry} what="家庭">
      {({ household: h }) => {
        if (!h) return <p class="state empty">没有这户，或它不在您的工作范围内。</p>;
        const s = session.get();
        const officer = s && ['province', 'county', 'site_officer'].includes(s.role);
        return (
          <>
            <Crumbs
              items={[
                ...(s?.role === 'grid_worker'
                  ? [{ label: '我的网格', href: '#/grid' }]
                  : [
                      {
                        label: h.site.region.name,
                        href: s?.role === 'site_officer' ? undefined : `#/region/${h.site.region.code}`,
                      },
                      { label: h.site.name, href: `#/site/${h.site.id}` },
                    ]),
                { label: `户号 ${h.householdNumber}` },
              ]}
            />
            <h1>
              户号 {h.householdNumber}
              <small>
                {h.address ?? ''}
                {h.building ? `（${h.building.name}）` : ''}
              </small>
            </h1>
            <Stability s={h.incomeStability} />
            <section class="block">
              <h2>家庭成员（信息已脱敏）</h2>
              <DataTable
                name="members"
                exportName={`户号${h.householdNumber}成员`}
                rows={h.residents}
                columns={[
                  { label: '姓名', value: (m) => m.name },
                  { label: '与户主关系', value: (m) => say(RELATION, m.relationToHead) },
                  { label: '身份证号', value: (m) => m.nationalIdMasked },
                  {
                    label: '电话',
                    value: (m) => m.phoneMasked,
                    render: (m) => <Phone member={m} canReveal={Boolean(officer)} />,
                  },
                  { label: '性别', value: (m) => say(GENDER, m.gender) },
                  { label: '年龄', numeric: true, value: (m) => m.age },
                  { label: '民族', value: (m) => m.ethnicity },
                  { label: '劳动能力', value: (m) => say(LABOUR, m.labourCapacity) },
                  { label: '就业意愿', value: (m) => (m.wantsWork ? '有' : '无') },
                  { label: '可外出务工', value: (m) => (m.canWorkAway ? '能' : '不能') },
                ]}
              />
            </section>
            <JobsBlock id={h.id} number={h.householdNumber} />
            <TrainingBlock id={h.id} number={h.householdNumber} />
            <section class="block">
              <h2>土地（三块地）</h2>
              <DataTable
                name="land"
                exportName={`户号${h.householdNumber}土地`}
                rows={h.landAssets}
                empty="这户没有登记土地。"
                columns={[
                  { label: '类别', value: (l) => say(LAND_KIND, l.kind) },
                  { label: '面积（亩）', numeric: true, value: (l) => l.areaMu },
                  { label: '状态', value: (l) => say(LAND_STATE, l.state) },
                  { label: '年收入（元）', numeric: true, value: (l) => l.annualIncome },
                ]}
              />
            </section>
            <FollowUp siteId={h.site.id} householdId={h.id} />
            <Points members={h.residents} />
          </>
        );
      }}
    </Show>
  );
}

function JobsBlock({ id, number }: { id: string; number: string }) {
  const [r, retry] = useQuery(HOUSEHOLD_JOBS, { id });
  return (
    <section class="block">
      <h2>就业</h2>
      <Show result={r} retry={retry} what="就业情况">
        {({ household }) => (
          <DataTable
            name="jobs"
            exportName={`户号${number}就业`}
            rows={(household?.residents ?? []).flatMap((m) => m.employments.map((e) => ({ ...e, who: m.name })))}
            empty="这户没有就业记录。"
            columns={[
              { label: '成员', value: (j) => j.who },
              { label: '就业方式', value: (j) => say(EMPLOYMENT_KIND, j.kind) },
              { label: '单位或去向', value: (j) => j.employer?.name ?? j.destination },
              { label: '开始', value: (j) => j.startedOn },
              { label: '结束', value: (j) => j.endedOn },
              { label: '月收入（元）', numeric: true, value: (j) => j.monthlyIncome },
            ]}
          />
        )}
      </Show>
    </section>
  );
}

function TrainingBlock({ id, number }: { id: string; number: string }) {
  const [r, retry] = useQuery(HOUSEHOLD_TRAINING, { id });
  return (
    <section class="block">
      <h2>培训与技能</h2>
      <Show result={r} retry={retry} what="培训情况">
        {({ household }) => {
          const members = household?.residents ?? [];
          return (
            <>
              <DataTable
                name="training"
                exportName={`户号${number}培训`}
                rows={members.flatMap((m) => m.enrollments.map((e) => ({ ...e, who: m.name })))}
                empty="这户没有参加培训。"
                columns={[
                  { label: '成员', value: (t) => t.who },
                  { label: '课程', value: (t) => (t.course ? `${t.course.skill}（${t.course.provider}）` : null) },
                  {
                    label: '状态',
                    value: (t) => ({ ENROLLED: '在学', COMPLETED: '已结业', DROPPED: '已退出' })[t.status] ?? t.status,
                  },
                  { label: '结业日期', value: (t) => t.completedOn },
                ]}
              />
              <DataTable
                name="skills"
                exportName={`户号${number}技能`}
                rows={members.flatMap((m) => m.skills.map((k) => ({ ...k, who: m.name })))}
                empty="这户还没有登记技能。"
                columns={[
                  { label: '成员', value: (k) => k.who },
                  { label: '技能', value: (k) => k.name },
                  { label: '等级', value: (k) => k.level },
                ]}
              />
            </>
          );
        }}
      </Show>
    </section>
  );
}

function Stability({ s }: { s: Household['incomeStability'] }) {
  if (!s) return <p class="state empty">这户还没有收入稳定监测结果（夜间监测运行后显示）。</p>;
  return (
    <section class="block" data-stability={s.passing ? 'passing' : 'failing'}>
      <h2>
        收入稳定监测
        <small>
          {s.passing ? '四条规则全部达标' : `${s.failedRules.length} 条未达标`}，更新于 {when(s.changedAt)}
        </small>
      </h2>
      <ul class="rules">
        {Object.entries(RULES).map(([rule, words]) => {
          const failure = s.reasons.find((x) => x.rule === rule);
          return (
            <li class={failure ? 'fail' : 'pass'} data-rule={rule}>
              <b>{failure ? '未达标' : '达标'}</b> {words}
              {failure && <p class="reason">原因：{failure.reason}</p>}
            </li>
          );
        })}
      </ul>
      <p class="hint">
        成员 {s.members} 人，有劳动力 {s.ableToWork} 人，就业 {s.employed} 人，公益性岗位 {s.welfarePosts}{' '}
        个，稳定收入来源 {s.incomeSources} 项。
      </p>
      <h3>未关闭的帮扶缺口</h3>
      <DataTable
        name="gaps"
        exportName="帮扶缺口"
        rows={s.openGaps}
        empty="没有未关闭的缺口。"
        columns={[
          { label: '发现日期', value: (g) => g.detectedOn },
          { label: '未达标规则', value: (g) => g.rules.map((r) => RULES[r] ?? r).join('；') },
          { label: '需要就业帮扶', value: (g) => (g.needsJobHelp ? '是' : '否') },
        ]}
      />
    </section>
  );
}

/** What is being done about the gaps: the grid worker's tasks and the demands raised for this household. */
function FollowUp({ siteId, householdId }: { siteId: string; householdId: string }) {
  const [r, retry] = useQuery(HOUSEHOLD_FOLLOW_UP, { siteId, householdId });
  return (
    <section class="block">
      <h2>正在做的帮扶</h2>
      <Show result={r} retry={retry} what="帮扶事项">
        {(d) => {
          const tasks = d.gridTasks.nodes;
          const demands = d.demands.nodes;
          return (
            <>
              <DataTable
                name="household-tasks"
                exportName="网格任务"
                rows={tasks}
                empty="没有这户的网格任务。"
                columns={[
                  { label: '网格任务', value: (t) => t.title },
                  {
                    label: '状态',
                    value: (t) =>
                      ({ OPEN: '未完成', DONE: '已完成', CLOSED: '已关闭（缺口已消除）' })[t.status] ?? t.status,
                  },
                  { label: '期限', value: (t) => t.dueOn },
                  { label: '办理情况', value: (t) => t.note },
                ]}
              />
              <DataTable
                name="household-demands"
                exportName="需求"
                rows={demands}
                empty="没有为这户登记的需求。"
                columns={[
                  { label: '需求', value: (x) => `${say(DEMAND_CATEGORY, x.category)}：${x.description}` },
                  { label: '状态', value: (x) => say(DEMAND_STATUS, x.status) },
                  { label: '认领单位', value: (x) => x.claimedBy?.name },
                  { label: '志愿者安排', numeric: true, value: (x) => x.assignments.length },
                ]}
              />
            </>
          );
        }}
      </Show>
    </section>
  );
}

function Points({ members }: { members: Member[] }) {
  const head = members.find((m) => m.relationToHead === 'HEAD') ?? members[0];
  const [r, retry] = useQuery(POINTS_ACCOUNT, { residentId: head?.id ?? '' }, !head);
  if (!head) return null;
  return (
    <section class="block">
      <h2>积分</h2>
      <Show result={r} retry={retry} what="积分">
        {({ pointsAccount: p }) => (
          <p>
            全户积分余额 <b data-fact="household-points">{p.householdBalance}</b> 分（户主 {head.name}：{p.balance} 分）
          </p>
        )}
      </Show>
    </section>
  );
}

/**
 * The masked phone, and for officers a "查看完整信息" that asks why (the reason goes into the
 * audit log with the reveal) before showing the full ID number and phone.
 */
function Phone({ member, canReveal }: { member: Member; canReveal: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [shown, setShown] = useState<RevealContactMutation['revealResidentContact'] | null>(null);
  if (shown)
    return (
      <span class="revealed" data-revealed={member.id}>
        {shown.phone ?? '（未登记电话）'}
        <br />
        <small>{shown.nationalId}</small>
      </span>
    );
  return (
    <span>
      {member.phoneMasked ?? '—'}
      {canReveal && !open && (
        <button type="button" class="link" data-reveal={member.id} onClick={() => setOpen(true)}>
          查看完整信息
        </button>
      )}
      {open && (
        <form
          class="reveal"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            try {
              const d = await request(REVEAL_CONTACT, { id: member.id, reason });
              setShown(d.revealResidentContact);
            } catch (err) {
              setError(err instanceof ApiError ? err : new ApiError(String(err)));
            } finally {
              setBusy(false);
            }
          }}
        >
          <label>
            查看原因（将记入审计日志）
            <input
              name="reason"
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
              placeholder="例如：电话回访就业情况"
            />
          </label>
          {error?.forField('reason') ? (
            <span class="field-error" data-field-error="reason">
              {error.forField('reason')}
            </span>
          ) : (
            error && <ErrorBox error={error} />
          )}
          <button type="submit" disabled={busy}>
            确认查看
          </button>
          <button type="button" class="link" onClick={() => setOpen(false)}>
            取消
          </button>
        </form>
      )}
    </span>
  );
}
