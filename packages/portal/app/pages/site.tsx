import { useState } from 'preact/hooks';
import { session, useQuery } from '../api';
import {
  ACTIVITIES,
  CLAIMS_BOARD,
  MONITORING_ROLLUP,
  SITE_LISTS,
  SITE_PAGE,
  SITE_RESIDENTS,
  type ResidentFilter,
} from '../generated/operations';
import {
  AGE_BANDS,
  DEMAND_CATEGORY,
  DEMAND_STATUS,
  GENDER,
  ISSUE_LEVEL,
  ISSUE_STATUS,
  LABOUR,
  LIST_KIND,
  LIST_STATUS,
  NOTICE_STATUS,
  URGENCY,
  say,
} from '../labels';
import { when } from '../dates';
import { Crumbs } from '../ui/crumbs';
import { DataTable, useCursor } from '../ui/table';
import { Show } from '../ui/states';
import { ActivitiesChart, DemandStatusChart, GapFlowChart, PointsChart, StabilityCharts } from './panels';

type Named = { id: string; name: string };

/** A site's page (安置点): officers of the site, its county and province. */
export function SitePage({ id }: { id: string }) {
  const [r, retry] = useQuery(SITE_PAGE, { id });
  const s = session.get();
  return (
    <Show result={r} retry={retry} what="安置点">
      {({ site, grids, buildings }) => {
        if (!site) return <p class="state empty">没有这个安置点，或它不在您的辖区内。</p>;
        const officer = s?.role === 'province' || s?.role === 'county';
        const region = site.region;
        const up = [region.parent?.parent, region.parent, region].filter(Boolean) as { code: string; name: string }[];
        return (
          <>
            <Crumbs
              items={[
                ...up.map((x) => ({ label: x.name, href: officer ? `#/region/${x.code}` : undefined })),
                { label: site.name },
              ]}
            />
            <h1>
              {site.name}
              <small>{site.address}</small>
            </h1>
            <dl class="facts">
              <div>
                <dt>户数</dt>
                <dd data-fact="households">{site.householdCount}</dd>
              </div>
              <div>
                <dt>人数</dt>
                <dd data-fact="residents">{site.residentCount}</dd>
              </div>
              <div>
                <dt>规划户数</dt>
                <dd>{site.plannedHouseholds}</dd>
              </div>
              <div>
                <dt>待办需求</dt>
                <dd>{site.openDemandCount}</dd>
              </div>
            </dl>
            <GridStability siteId={site.id} county={region.code} grids={grids} />
            <div class="charts">
              <GapFlowChart level="SITE" code={site.id} />
              <DemandStatusChart siteId={site.id} title="本点需求清单（按状态）" />
              <PointsChart siteId={site.id} />
              <ActivitiesChart siteId={site.id} />
            </div>
            <Residents siteId={site.id} grids={grids} buildings={buildings} />
            <SiteLists siteId={site.id} />
            <Partners siteId={site.id} />
            <ClaimsBoard siteId={site.id} />
          </>
        );
      }}
    </Show>
  );
}

function GridStability({ siteId, county, grids }: { siteId: string; county: string; grids: Named[] }) {
  const [r, retry] = useQuery(MONITORING_ROLLUP, { level: 'GRID', under: county });
  const names = new Map(grids.map((g) => [g.id, g.name]));
  return (
    <Show result={r} retry={retry} what={`${siteId ? '网格' : ''}监测数据`}>
      {({ monitoringRollup }) => (
        <StabilityCharts
          rows={monitoringRollup.filter((x) => names.has(x.code))}
          nameOf={(c) => names.get(c) ?? c}
          childWord="网格"
        />
      )}
    </Show>
  );
}

/** The residents' filters, each a select whose options are the field's values ('' for all). */
type FilterKey = 'gridId' | 'buildingId' | 'labourCapacity' | 'ageBand';

function Residents({ siteId, grids, buildings }: { siteId: string; grids: Named[]; buildings: Named[] }) {
  const [filter, setFilter] = useState<Partial<Record<FilterKey, string>>>({});
  const [search, setSearch] = useState('');
  const cursor = useCursor(20);
  const vars = {
    siteId,
    search: search.trim() || undefined,
    after: cursor.after,
    filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as ResidentFilter,
  };
  const [r, retry] = useQuery(SITE_RESIDENTS, vars);
  const set = (k: FilterKey) => (e: Event) => {
    setFilter({ ...filter, [k]: (e.currentTarget as HTMLSelectElement).value });
    cursor.reset();
  };
  const select = (k: FilterKey, label: string, opts: [string, string][]) => (
    <label>
      {label}
      <select name={k} value={filter[k] ?? ''} onChange={set(k)}>
        <option value="">全部</option>
        {opts.map(([v, t]) => (
          <option value={v}>{t}</option>
        ))}
      </select>
    </label>
  );
  return (
    <section class="block" id="residents">
      <h2>居民（信息已脱敏）</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(((e.currentTarget as HTMLFormElement).elements.namedItem('search') as HTMLInputElement).value);
          cursor.reset();
        }}
      >
        {select(
          'gridId',
          '网格',
          grids.map((g) => [g.id, g.name]),
        )}
        {select(
          'buildingId',
          '楼栋',
          buildings.map((b) => [b.id, b.name]),
        )}
        {select('labourCapacity', '劳动能力', Object.entries(LABOUR))}
        {select('ageBand', '年龄段', Object.entries(AGE_BANDS))}
        <label>
          姓名或身份证号
          <input name="search" type="search" placeholder="输入姓名的一部分" />
        </label>
        <button type="submit">查询</button>
      </form>
      <Show result={r} retry={retry} what="居民">
        {({ residents }) => (
          <>
            <DataTable
              name="residents"
              exportName="居民名单（脱敏）"
              whole={{ path: '/files/governance/exports/residents', params: { siteId } }}
              rows={residents.nodes}
              empty="没有符合条件的居民。"
              columns={[
                { label: '姓名', value: (x) => x.name },
                { label: '身份证号', value: (x) => x.nationalIdMasked },
                { label: '电话', value: (x) => x.phoneMasked },
                { label: '性别', value: (x) => say(GENDER, x.gender) },
                { label: '年龄', numeric: true, value: (x) => x.age },
                { label: '民族', value: (x) => x.ethnicity },
                { label: '劳动能力', value: (x) => say(LABOUR, x.labourCapacity) },
                {
                  label: '户号',
                  value: (x) => x.household.householdNumber,
                  render: (x) => <a href={`#/household/${x.household.id}`}>{x.household.householdNumber}</a>,
                },
                { label: '住址', value: (x) => x.household.address },
              ]}
            />
            {cursor.pager(residents)}
          </>
        )}
      </Show>
    </section>
  );
}

function SiteLists({ siteId }: { siteId: string }) {
  const [r, retry] = useQuery(SITE_LISTS, { siteId });
  return (
    <Show result={r} retry={retry} what="清单与任务">
      {(d) => (
        <>
          <section class="block">
            <h2>
              三张清单
              <small>
                共 {d.listItems.totalCount} 项，逾期{' '}
                <b class={d.overdueItems.totalCount ? 'warn' : ''}>{d.overdueItems.totalCount}</b> 项
              </small>
            </h2>
            <DataTable
              name="list-items"
              exportName="三张清单"
              rows={d.listItems.nodes}
              empty="三张清单中暂无事项。"
              columns={[
                { label: '清单', value: (x) => say(LIST_KIND, x.kind) },
                { label: '事项', value: (x) => x.title },
                { label: '责任人', value: (x) => x.ownerName },
                { label: '期限', value: (x) => x.dueOn },
                { label: '状态', value: (x) => `${say(LIST_STATUS, x.status)}${x.overdue ? '（逾期）' : ''}` },
              ]}
            />
          </section>
          <section class="block">
            <h2>
              网格任务（未完成）<small>共 {d.gridTasks.totalCount} 项</small>
            </h2>
            <DataTable
              name="grid-tasks"
              exportName="网格任务"
              whole={{ path: '/files/governance/exports/grid-tasks', params: { siteId } }}
              rows={d.gridTasks.nodes}
              empty="没有未完成的网格任务。"
              columns={[
                { label: '任务', value: (x) => x.title },
                { label: '网格', value: (x) => x.grid?.name },
                {
                  label: '户号',
                  value: (x) => x.household?.householdNumber,
                  render: (x) =>
                    x.household && <a href={`#/household/${x.household.id}`}>{x.household.householdNumber}</a>,
                },
                { label: '期限', value: (x) => x.dueOn },
              ]}
            />
          </section>
          <section class="block">
            <h2>
              微难题、微矛盾<small>共 {d.microIssues.totalCount} 件</small>
            </h2>
            <DataTable
              name="micro-issues"
              exportName="微难题微矛盾"
              rows={d.microIssues.nodes}
              empty="暂无上报的微难题、微矛盾。"
              columns={[
                { label: '事项', value: (x) => x.title },
                { label: '状态', value: (x) => say(ISSUE_STATUS, x.status) },
                { label: '当前层级', value: (x) => say(ISSUE_LEVEL, x.level) },
                { label: '本级期限', value: (x) => when(x.levelDueAt) },
              ]}
            />
          </section>
          <section class="block">
            <h2>
              居务公开<small>共 {d.notices.totalCount} 条</small>
            </h2>
            <DataTable
              name="notices"
              exportName="居务公开"
              rows={d.notices.nodes}
              empty="暂无公告。"
              columns={[
                { label: '标题', value: (x) => x.title },
                { label: '状态', value: (x) => say(NOTICE_STATUS, x.status) },
                { label: '发布时间', value: (x) => when(x.publishAt) },
                {
                  label: '已读率',
                  value: (x) => {
                    const t = (x.readRates ?? []).reduce(
                      (a, b) => ({ residents: a.residents + b.residents, read: a.read + b.read }),
                      { residents: 0, read: 0 },
                    );
                    return t.residents
                      ? `${Math.round((t.read / t.residents) * 100)}%（${t.read}/${t.residents}）`
                      : '—';
                  },
                },
              ]}
            />
          </section>
          <section class="block">
            <h2>
              待认领需求<small>共 {d.demands.totalCount} 条</small>
            </h2>
            <DataTable
              name="open-demands"
              exportName="需求清单"
              whole={{ path: '/files/matching/exports/demands', params: { siteId } }}
              rows={d.demands.nodes}
              empty="没有待认领的需求。"
              columns={[
                { label: '类别', value: (x) => say(DEMAND_CATEGORY, x.category) },
                { label: '内容', value: (x) => x.description },
                { label: '紧急程度', value: (x) => say(URGENCY, x.urgency) },
                { label: '状态', value: (x) => `${say(DEMAND_STATUS, x.status)}${x.overdue ? '（逾期）' : ''}` },
              ]}
            />
          </section>
        </>
      )}
    </Show>
  );
}

function Partners({ siteId }: { siteId: string }) {
  const [r, retry] = useQuery(ACTIVITIES, { siteId });
  return (
    <section class="block">
      <h2>在本点服务的社会组织</h2>
      <Show result={r} retry={retry} what="社会组织">
        {({ activities }) => {
          const orgs = new Map<string, number>();
          for (const a of activities.nodes) orgs.set(a.organizationName, (orgs.get(a.organizationName) ?? 0) + 1);
          return (
            <DataTable
              name="partners"
              exportName="服务本点的社会组织"
              rows={[...orgs].map(([name, n]) => ({ name, n }))}
              empty="暂无社会组织在本点开展活动。"
              columns={[
                { label: '社会组织', value: (x) => x.name },
                { label: '在本点的活动数', numeric: true, value: (x) => x.n },
              ]}
            />
          );
        }}
      </Show>
    </section>
  );
}

export function ClaimsBoard({ siteId }: { siteId: string }) {
  const [r, retry] = useQuery(CLAIMS_BOARD, { siteId });
  return (
    <section class="block">
      <h2>认领公示</h2>
      <Show result={r} retry={retry} what="认领公示">
        {({ claimsBoard }) => (
          <>
            <p class="hint">
              逾期未办结：
              <b class={claimsBoard.some((c) => c.overdue) ? 'warn' : ''}>
                {claimsBoard.filter((c) => c.overdue).length}
              </b>{' '}
              条
            </p>
            <DataTable
              name="claims"
              exportName="认领公示"
              rows={claimsBoard}
              empty="还没有单位认领本点的需求。"
              columns={[
                { label: '类别', value: (x) => say(DEMAND_CATEGORY, x.category) },
                { label: '认领单位', value: (x) => x.unitName },
                { label: '承诺日期', value: (x) => x.promisedOn },
                { label: '状态', value: (x) => `${say(DEMAND_STATUS, x.status)}${x.overdue ? '（逾期）' : ''}` },
                { label: '完成时间', value: (x) => when(x.fulfilledAt) },
              ]}
            />
          </>
        )}
      </Show>
    </section>
  );
}
