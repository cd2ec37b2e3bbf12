import { useQuery } from '../api';
import {
  MONITORING_ROLLUP,
  REGION_PAGE,
  REGION_SITES,
  type MonitoringLevel,
  type RegionLevel,
  type RegionPageQuery,
} from '../generated/operations';
import { LEVEL, percent } from '../labels';
import { Crumbs } from '../ui/crumbs';
import { DataTable, ExportWhole, useCursor } from '../ui/table';
import { Show } from '../ui/states';
import {
  ActivitiesChart,
  DemandStatusChart,
  GapFlowChart,
  OverdueClaims,
  PointsChart,
  StabilityCharts,
  TrendChart,
} from './panels';

type Region = RegionPageQuery['regions'][number];
/** A region with the chain of its parents, as far up as the page asks. */
type Place = Region & { parent?: Place | null };

const CHILD_LEVEL: Record<RegionLevel, MonitoringLevel> = {
  PROVINCE: 'PREFECTURE',
  PREFECTURE: 'COUNTY',
  COUNTY: 'SITE',
};
const CHILD_WORD: Record<RegionLevel, string> = { PROVINCE: '州（市）', PREFECTURE: '县（区）', COUNTY: '安置点' };

/** A province, prefecture or county officer's page: its child places side by side, then drill down. */
export function RegionPage({ code }: { code: string }) {
  const [r, retry] = useQuery(REGION_PAGE, { code });
  return (
    <Show result={r} retry={retry} what="地区">
      {({ region, regions }) => {
        if (!region) return <p class="state empty">没有这个地区，或它不在您的辖区内。</p>;
        const chain: Place[] = [];
        for (let x: Place | null | undefined = region; x; x = x.parent) chain.unshift(x);
        return (
          <>
            <Crumbs
              items={chain.map((x) => ({ label: x.name, href: x.code === code ? undefined : `#/region/${x.code}` }))}
            />
            <h1>
              {region.name}
              <small>{LEVEL[region.level]}级概况</small>
            </h1>
            {region.level === 'COUNTY' ? (
              <CountyBody region={region} />
            ) : (
              <UpperBody region={region} children={regions} />
            )}
          </>
        );
      }}
    </Show>
  );
}

/** The region's whole lists as spreadsheets (every row in the officer's scope, not a page). */
function WholeLists({ region }: { region: Region }) {
  return (
    <section class="block" data-whole-lists>
      <h2>清单导出</h2>
      <p class="hint">导出的是{region.name}的全部记录（Excel），身份证号和电话已脱敏；每次导出都会留痕。</p>
      <div class="exports">
        收入稳定缺口清单{' '}
        <ExportWhole
          what={{ path: '/files/employment/exports/gaps', params: { regionCode: region.code } }}
          name={`${region.name}收入稳定缺口清单`}
        />
        积分月度汇总{' '}
        <ExportWhole
          what={{ path: '/files/governance/exports/points-monthly', params: { regionCode: region.code } }}
          name={`${region.name}积分月度汇总`}
        />
      </div>
    </section>
  );
}

function UpperBody({ region, children }: { region: Region; children: Region[] }) {
  const [r, retry] = useQuery(MONITORING_ROLLUP, {
    level: CHILD_LEVEL[region.level],
    under: region.code,
  });
  const names = new Map(children.map((c) => [c.code, c.name]));
  return (
    <Show result={r} retry={retry} what="监测数据">
      {({ monitoringRollup }) => {
        const rows = monitoringRollup.filter((x) => names.has(x.code));
        return (
          <>
            <StabilityCharts rows={rows} nameOf={(c) => names.get(c) ?? c} childWord={CHILD_WORD[region.level]} />
            <div class="charts">
              <TrendChart level={region.level} code={region.code} />
              <GapFlowChart level={region.level} code={region.code} />
              <DemandStatusChart title="辖区需求清单（按状态）" regionCode={region.code} />
              <PointsChart regionCode={region.code} />
            </div>
            <OverdueClaims regionCode={region.code} />
            <WholeLists region={region} />
            <h2>下级地区</h2>
            <DataTable
              name="children"
              exportName={`${region.name}下级地区`}
              rows={children.map((c) => ({ ...c, roll: monitoringRollup.find((x) => x.code === c.code) }))}
              columns={[
                { label: '名称', value: (c) => c.name, render: (c) => <a href={`#/region/${c.code}`}>{c.name}</a> },
                { label: '代码', value: (c) => c.code },
                { label: '监测户数', numeric: true, value: (c) => c.roll?.households ?? null },
                { label: '达标率', numeric: true, value: (c) => (c.roll ? percent(c.roll.passRate) : null) },
              ]}
            />
          </>
        );
      }}
    </Show>
  );
}

function CountyBody({ region }: { region: Region }) {
  const cursor = useCursor(50);
  const [sites, retrySites] = useQuery(REGION_SITES, { regionCode: region.code, after: cursor.after });
  const [roll, retryRoll] = useQuery(MONITORING_ROLLUP, {
    level: 'SITE',
    under: region.code,
  });
  return (
    <Show result={sites} retry={retrySites} what="安置点">
      {({ sites: page }) => {
        const names = new Map(page.nodes.map((s) => [s.id, s.name]));
        return (
          <>
            <Show result={roll} retry={retryRoll} what="监测数据">
              {({ monitoringRollup }) => (
                <StabilityCharts
                  rows={monitoringRollup.filter((x) => names.has(x.code))}
                  nameOf={(c) => names.get(c) ?? c}
                  childWord="安置点"
                />
              )}
            </Show>
            <div class="charts">
              <TrendChart level="COUNTY" code={region.code} />
              <GapFlowChart level="COUNTY" code={region.code} />
              <DemandStatusChart title="辖区需求清单（按状态）" regionCode={region.code} />
              <PointsChart regionCode={region.code} />
              <ActivitiesChart siteIds={page.nodes.map((s) => s.id)} />
            </div>
            <h2>安置点</h2>
            <DataTable
              name="sites"
              exportName={`${region.name}安置点`}
              rows={page.nodes}
              columns={[
                { label: '安置点', value: (s) => s.name, render: (s) => <a href={`#/site/${s.id}`}>{s.name}</a> },
                { label: '户数', numeric: true, value: (s) => s.householdCount },
                { label: '人数', numeric: true, value: (s) => s.residentCount },
                { label: '待办需求', numeric: true, value: (s) => s.openDemandCount },
              ]}
              empty="这个县还没有安置点。"
            />
            {cursor.pager(page)}
            <OverdueClaims regionCode={region.code} />
            <WholeLists region={region} />
          </>
        );
      }}
    </Show>
  );
}
