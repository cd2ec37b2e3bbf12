/**
 * The charts every level of the drill-down shares: income stability by child place, its daily
 * trend, the demand list by status, points earned and redeemed, activities and attendance.
 */
import { useQuery } from '../api';
import {
  ACTIVITIES,
  DEMANDS_BY_STATUS,
  GAP_FLOW,
  MONITORING_TREND,
  OVERDUE_CLAIMS,
  POINTS_MONTHLY,
  type MonitoringLevel,
  type MonitoringRollupQuery,
} from '../generated/operations';
import { DEMAND_CATEGORY, DEMAND_STATUS, RULES_SHORT, say } from '../labels';
import { daysAgo, monthsAgo, today, when } from '../dates';
import { Chart } from '../ui/chart';
import { Show } from '../ui/states';
import { DataTable, useCursor } from '../ui/table';

/** One child place's monitoring figures. */
export type Rollup = MonitoringRollupQuery['monitoringRollup'][number];

/** Pass rate and the four rules' failures, one bar per child place (named by `nameOf`). */
export function StabilityCharts({
  rows,
  nameOf,
  childWord,
}: {
  rows: Rollup[];
  nameOf: (code: string) => string;
  childWord: string;
}) {
  const category = { label: childWord, value: (r: Rollup) => nameOf(r.code) };
  return (
    <div class="charts">
      <Chart
        name="pass-rate"
        title={`收入稳定达标率（按${childWord}）`}
        kind="bar"
        percent
        rows={rows}
        category={category}
        series={[{ label: '达标率', value: (r) => r.passRate }]}
        empty="尚无监测结果：夜间监测运行后这里会显示各地达标率。"
      />
      <Chart
        name="rule-failures"
        title={`四条规则未达标户数（按${childWord}）`}
        kind="bar"
        rows={rows}
        category={category}
        series={[
          { label: RULES_SHORT.TRAINING_AND_SKILL, value: (r) => r.failingTraining, stack: 'f' },
          { label: RULES_SHORT.PUBLIC_WELFARE_POST, value: (r) => r.failingWelfarePost, stack: 'f' },
          { label: RULES_SHORT.EMPLOYED_MEMBER, value: (r) => r.failingEmployed, stack: 'f' },
          { label: RULES_SHORT.STABLE_INCOME, value: (r) => r.failingIncome, stack: 'f' },
        ]}
        empty="尚无监测结果。"
      />
    </div>
  );
}

export function TrendChart({ level, code }: { level: MonitoringLevel; code: string }) {
  const [r, retry] = useQuery(MONITORING_TREND, {
    level,
    code,
    from: daysAgo(30),
    to: today(),
  });
  return (
    <Show result={r} retry={retry} what="趋势">
      {(d) => (
        <Chart
          name="trend"
          title="近30天达标率走势"
          kind="line"
          percent
          rows={d.monitoringTrend}
          category={{ label: '日期', value: (s) => s.day }}
          series={[{ label: '达标率', value: (s) => s.passRate }]}
          empty="近30天还没有每日监测快照。"
        />
      )}
    </Show>
  );
}

/** Gaps the monitoring opened and gaps closed, day by day over 30 days (缺口新增与销号). */
export function GapFlowChart({ level, code }: { level: MonitoringLevel; code: string }) {
  const [r, retry] = useQuery(GAP_FLOW, { level, code, from: daysAgo(29), to: today() });
  return (
    <Show result={r} retry={retry} what="帮扶缺口">
      {(d) => (
        <Chart
          name="gap-flow"
          title="近30天帮扶缺口新增与销号"
          kind="bar"
          rows={d.gapFlow}
          category={{ label: '日期', value: (x) => x.day }}
          series={[
            { label: '新增缺口', value: (x) => x.opened },
            { label: '销号缺口', value: (x) => x.closed },
          ]}
          empty="近30天没有新增或销号的帮扶缺口。"
        />
      )}
    </Show>
  );
}

/** Claims past their promised date in a region or a site (逾期认领), oldest promise first in each page. */
export function OverdueClaims({ regionCode, siteId }: { regionCode?: string; siteId?: string }) {
  const cursor = useCursor(20);
  const [r, retry] = useQuery(OVERDUE_CLAIMS, { regionCode, siteId, after: cursor.after });
  return (
    <section class="block">
      <h2>逾期认领</h2>
      <Show result={r} retry={retry} what="逾期认领">
        {({ demands }) => (
          <>
            <p class="hint">
              已认领但超过承诺日期仍未办结：
              <b class={demands.totalCount ? 'warn' : ''} data-count="overdue">
                {demands.totalCount}
              </b>{' '}
              条
            </p>
            <DataTable
              name="overdue-claims"
              exportName="逾期认领"
              rows={demands.nodes}
              empty="没有逾期的认领。"
              columns={[
                {
                  label: '安置点',
                  value: (x) => x.site?.name ?? '',
                  render: (x) => (x.site ? <a href={`#/site/${x.site.id}`}>{x.site.name}</a> : ''),
                },
                { label: '类别', value: (x) => say(DEMAND_CATEGORY, x.category) },
                { label: '内容', value: (x) => x.description },
                { label: '认领单位', value: (x) => x.claimedBy?.name ?? '' },
                { label: '承诺日期', value: (x) => x.promisedOn },
                { label: '逾期起', value: (x) => when(x.overdueSince) },
              ]}
            />
            {cursor.pager(demands)}
          </>
        )}
      </Show>
    </section>
  );
}

const STATUSES = [
  ['open', 'OPEN'],
  ['claimed', 'CLAIMED'],
  ['inProgress', 'IN_PROGRESS'],
  ['fulfilled', 'FULFILLED'],
  ['closed', 'CLOSED'],
  ['cancelled', 'CANCELLED'],
] as const;

export function DemandStatusChart({
  siteId,
  regionCode,
  title,
}: {
  siteId?: string;
  regionCode?: string;
  title: string;
}) {
  const [r, retry] = useQuery(DEMANDS_BY_STATUS, siteId ? { siteId } : regionCode ? { regionCode } : {});
  return (
    <Show result={r} retry={retry} what="需求清单">
      {(d) => (
        <Chart
          name="demands"
          title={title}
          kind="bar"
          rows={STATUSES.map(([alias, status]) => ({ status, n: d[alias].totalCount }))}
          category={{ label: '状态', value: (x) => DEMAND_STATUS[x.status] }}
          series={[{ label: '需求数', value: (x) => x.n }]}
        />
      )}
    </Show>
  );
}

export function PointsChart({ siteId, regionCode }: { siteId?: string; regionCode?: string }) {
  const [r, retry] = useQuery(POINTS_MONTHLY, {
    siteId,
    regionCode,
    fromMonth: monthsAgo(5),
    toMonth: monthsAgo(0),
  });
  return (
    <Show result={r} retry={retry} what="积分">
      {(d) => {
        const byMonth = new Map<string, { month: string; earned: number; redeemed: number }>();
        for (const t of d.pointsMonthlyTotals) {
          const m = byMonth.get(t.month) ?? { month: t.month, earned: 0, redeemed: 0 };
          m.earned += t.credited + t.granted;
          m.redeemed += t.redeemed;
          byMonth.set(t.month, m);
        }
        const rows = [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
        return (
          <Chart
            name="points"
            title="积分获得与兑换（近6个月）"
            kind="bar"
            rows={rows}
            category={{ label: '月份', value: (x) => x.month }}
            series={[
              { label: '获得积分', value: (x) => x.earned },
              { label: '兑换积分', value: (x) => x.redeemed },
            ]}
            empty="近6个月没有积分记录。"
          />
        );
      }}
    </Show>
  );
}

export function ActivitiesChart({ siteIds, siteId }: { siteIds?: string[]; siteId?: string }) {
  const [r, retry] = useQuery(ACTIVITIES, siteId ? { siteId } : {});
  return (
    <Show result={r} retry={retry} what="活动">
      {(d) => {
        const rows = d.activities.nodes.filter((a) => !siteIds || siteIds.includes(a.siteId)).slice(0, 12);
        return (
          <Chart
            name="activities"
            title="社区活动报名与出席"
            kind="bar"
            rows={rows}
            category={{ label: '活动', value: (a) => a.title }}
            series={[
              { label: '报名人数', value: (a) => a.registeredCount },
              { label: '出席人数', value: (a) => a.attendedCount },
            ]}
            empty="暂无社区活动。"
          />
        );
      }}
    </Show>
  );
}
