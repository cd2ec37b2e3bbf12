/**
 * The charts every level of the drill-down shares: income stability by child place, its daily
 * trend, the demand list by status, points earned and redeemed, activities and attendance.
 */
import { useQuery } from '../api';
import { ACTIVITIES, DEMANDS_BY_STATUS, MONITORING_TREND, POINTS_MONTHLY } from '../operations';
import { DEMAND_STATUS, RULES_SHORT } from '../labels';
import { daysAgo, monthsAgo, today } from '../dates';
import { Chart } from '../ui/chart';
import { Show } from '../ui/states';

export interface Rollup {
  code: string;
  households: number;
  passing: number;
  passRate: number;
  failingTraining: number;
  failingWelfarePost: number;
  failingEmployed: number;
  failingIncome: number;
}

/** Pass rate and the four rules' failures, one bar per child place (named by `nameOf`). */
export function StabilityCharts({ rows, nameOf, childWord }: { rows: Rollup[]; nameOf: (code: string) => string; childWord: string }) {
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

type Snapshot = { day: string; households: number; passing: number; passRate: number };

export function TrendChart({ level, code }: { level: string; code: string }) {
  const [r, retry] = useQuery<{ monitoringTrend: Snapshot[] }>(MONITORING_TREND, { level, code, from: daysAgo(30), to: today() });
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

const STATUSES = [
  ['open', 'OPEN'],
  ['claimed', 'CLAIMED'],
  ['inProgress', 'IN_PROGRESS'],
  ['fulfilled', 'FULFILLED'],
  ['closed', 'CLOSED'],
  ['cancelled', 'CANCELLED'],
] as const;

export function DemandStatusChart({ siteId, title }: { siteId?: string; title: string }) {
  const [r, retry] = useQuery<Record<string, { totalCount: number }>>(DEMANDS_BY_STATUS, siteId ? { siteId } : {});
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

type MonthTotal = { siteId: string; month: string; credited: number; granted: number; redeemed: number; net: number };

export function PointsChart({ siteId, regionCode }: { siteId?: string; regionCode?: string }) {
  const [r, retry] = useQuery<{ pointsMonthlyTotals: MonthTotal[] }>(POINTS_MONTHLY, { siteId, regionCode, fromMonth: monthsAgo(5), toMonth: monthsAgo(0) });
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

type Activity = { id: string; title: string; siteId: string; registeredCount: number; attendedCount: number; capacity: number };

export function ActivitiesChart({ siteIds, siteId }: { siteIds?: string[]; siteId?: string }) {
  const [r, retry] = useQuery<{ activities: { totalCount: number; nodes: Activity[] } }>(ACTIVITIES, siteId ? { siteId } : {});
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
