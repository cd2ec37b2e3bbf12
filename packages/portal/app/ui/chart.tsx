import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { DataTable, type Column } from './table';
import { Empty } from './states';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Series<T> {
  label: string;
  value: (row: T) => number;
  /** Stack name: series with the same one are drawn stacked. */
  stack?: string;
}

/**
 * One chart (Apache ECharts, canvas) with its numbers as a table below it, exportable: a reader who
 * cannot see the chart, or wants the figures in a spreadsheet, has the same numbers.
 */
export function Chart<T>(props: {
  name: string;
  title: string;
  kind: 'bar' | 'line';
  rows: T[];
  category: Column<T>;
  series: Series<T>[];
  /** Values are rates 0–1: shown as percentages. */
  percent?: boolean;
  empty?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const { rows, series } = props;
  useEffect(() => {
    if (!el.current || !rows.length) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: 'axis',
        valueFormatter: props.percent ? (v: unknown) => `${(Number(v) * 100).toFixed(1)}%` : undefined,
      },
      legend: series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 48, right: 16, top: series.length > 1 ? 48 : 16, bottom: 56 },
      xAxis: {
        type: 'category',
        data: rows.map((r) => String(props.category.value(r))),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 },
      },
      yAxis: {
        type: 'value',
        max: props.percent ? 1 : undefined,
        axisLabel: props.percent ? { formatter: (v: number) => `${Math.round(v * 100)}%` } : undefined,
      },
      series: series.map((s) => ({
        name: s.label,
        type: props.kind,
        stack: s.stack,
        data: rows.map(s.value),
        barMaxWidth: 40,
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, series]);
  const columns: Column<T>[] = [
    props.category,
    ...series.map((s) => ({
      label: s.label,
      numeric: true,
      value: (r: T) => (props.percent ? Number(s.value(r).toFixed(4)) : s.value(r)),
    })),
  ];
  return (
    <section class="chart" data-chart={props.name}>
      <h3>{props.title}</h3>
      {rows.length ? (
        <>
          <div class="canvas" ref={el} role="img" aria-label={props.title} />
          <DataTable name={props.name} exportName={props.title} columns={columns} rows={rows} />
        </>
      ) : (
        <Empty>{props.empty ?? '暂无数据。'}</Empty>
      )}
    </section>
  );
}
