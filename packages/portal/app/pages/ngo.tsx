import { useState } from 'preact/hooks';
import { ApiError, request, session, useQuery } from '../api';
import { ACTIVITIES, ACTIVITY_ROSTER, CHECK_IN, NGO_PAGE } from '../generated/operations';
import { REGISTRATION_STATUS, say } from '../labels';
import { when } from '../dates';
import { DataTable } from '../ui/table';
import { ErrorBox, Show } from '../ui/states';

/** A partner NGO's own page (社会组织): only its organization's records reach it (the API scopes them). */
export function NgoPage() {
  const orgId = session.get()?.scope.org ?? '';
  const [r, retry] = useQuery(NGO_PAGE, { orgId });
  const [acts, retryActs] = useQuery(ACTIVITIES, { organizationId: orgId });
  const [roster, setRoster] = useState<string | null>(null);
  return (
    <Show result={r} retry={retry} what="本组织">
      {(d) => (
        <>
          <h1>
            {d.organization?.name ?? '本组织'}
            <small>社会组织工作台</small>
          </h1>
          <section class="block">
            <h2>活动</h2>
            <Show result={acts} retry={retryActs} what="活动">
              {({ activities }) => (
                <DataTable
                  name="ngo-activities"
                  exportName="本组织活动"
                  rows={activities.nodes}
                  empty="本组织还没有活动。"
                  columns={[
                    {
                      label: '活动',
                      value: (a) => a.title,
                      render: (a) => (
                        <button type="button" class="link" onClick={() => setRoster(a.id)}>
                          {a.title}
                        </button>
                      ),
                    },
                    { label: '组织', value: (a) => a.organizationName },
                    { label: '开始', value: (a) => when(a.startsAt) },
                    { label: '名额', numeric: true, value: (a) => a.capacity },
                    { label: '报名', numeric: true, value: (a) => a.registeredCount },
                    { label: '候补', numeric: true, value: (a) => a.waitlistCount },
                    { label: '出席', numeric: true, value: (a) => a.attendedCount },
                  ]}
                />
              )}
            </Show>
            {roster && <Roster id={roster} />}
          </section>
          <section class="block">
            <h2>
              社工<small>{d.socialWorkers.totalCount} 人</small>
            </h2>
            <DataTable
              name="workers"
              exportName="本组织社工"
              rows={d.socialWorkers.nodes}
              empty="本组织还没有登记社工。"
              columns={[
                { label: '姓名', value: (w) => w.name },
                { label: '资格', value: (w) => w.qualification },
                { label: '状态', value: (w) => w.status },
                { label: '考核平均分', numeric: true, value: (w) => w.averageScore },
                { label: '服务安置点数', numeric: true, value: (w) => w.siteIds.length },
              ]}
            />
          </section>
          <section class="block">
            <h2>
              个案与转介<small>{d.socialCases.totalCount} 个个案</small>
            </h2>
            <DataTable
              name="cases"
              exportName="本组织个案"
              rows={d.socialCases.nodes}
              empty="本组织还没有个案。"
              columns={[
                { label: '个案', value: (c) => c.title },
                { label: '状态', value: (c) => c.status },
                { label: '转介', numeric: true, value: (c) => c.referrals.length },
                {
                  label: '逾期未反馈的转介',
                  numeric: true,
                  value: (c) => c.referrals.filter((x) => x.overdueSince && !x.outcome).length,
                },
              ]}
            />
          </section>
          <section class="block">
            <h2>购买服务合同</h2>
            <DataTable
              name="contracts"
              exportName="购买服务合同"
              rows={d.serviceContracts.nodes}
              empty="本组织还没有购买服务合同。"
              columns={[
                { label: '合同', value: (c) => c.title },
                { label: '购买方', value: (c) => c.purchaser },
                { label: '预算（元）', numeric: true, value: (c) => c.budgetYuan },
                { label: '已付（元）', numeric: true, value: (c) => c.paidYuan },
                {
                  label: '里程碑',
                  value: (c) => `${c.milestones.filter((m) => m.acceptedAt).length}/${c.milestones.length} 已验收`,
                },
              ]}
            />
          </section>
        </>
      )}
    </Show>
  );
}

/** Registrations, the waiting list and check-in (签到) of one activity. */
function Roster({ id }: { id: string }) {
  const [r, retry] = useQuery(ACTIVITY_ROSTER, { id });
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <Show result={r} retry={retry} what="报名名单">
      {({ activity: a }) =>
        a && (
          <div class="card" data-roster={a.id}>
            <h3>
              {a.title}：报名 {a.registeredCount}/{a.capacity}，候补 {a.waitlistCount}，出席 {a.attendedCount}
            </h3>
            {error && <ErrorBox error={error} />}
            <DataTable
              name="roster"
              exportName={`${a.title}报名名单`}
              whole={{ path: '/files/social-orgs/exports/activity-roster', params: { activityId: a.id } }}
              rows={a.registrations}
              empty="还没有人报名。"
              columns={[
                { label: '姓名', value: (x) => x.participantName },
                { label: '电话', value: (x) => x.contactMasked },
                {
                  label: '状态',
                  value: (x) =>
                    x.waitlistPosition ? `候补第 ${x.waitlistPosition} 位` : say(REGISTRATION_STATUS, x.status),
                },
                {
                  label: '签到',
                  value: (x) => when(x.attendedAt),
                  render: (x) =>
                    x.attendedAt ? (
                      when(x.attendedAt)
                    ) : x.status === 'REGISTERED' ? (
                      <button
                        type="button"
                        data-check-in={x.id}
                        onClick={() =>
                          request(CHECK_IN, { registrationId: x.id }).then(retry, (e: unknown) =>
                            setError(e instanceof ApiError ? e : new ApiError(String(e))),
                          )
                        }
                      >
                        签到
                      </button>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          </div>
        )
      }
    </Show>
  );
}
