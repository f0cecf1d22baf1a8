// The report's charts as SVG, drawn on the server: vega-lite specs compiled to vega and
// rendered headless (`renderer: 'none'`, no browser, no canvas, no network: data is inline).
// Vega escapes every text it writes into the SVG.
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import * as vl from 'vega-lite';
import type { TargetProgressReport } from './report-schema.ts';

const FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
const CONFIG = { font: FONT, view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } };
const POOL_COLOUR = '#2f6fb5';
const TARGET_COLOUR = '#b00020';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The pool at each month's end (roles the target counts) against the target line. */
export function poolTrendSpec(report: TargetProgressReport): TopLevelSpec {
  const points = report.trend.map((p) => ({ date: `${p.month}-01T00:00:00Z`, pool: p.targetPool }));
  const target = report.target;
  const { label } = report.members;
  return {
    width: 640,
    height: 260,
    config: CONFIG,
    title: { text: `${label.zh}人数（月末）`, subtitle: `${label.en} at month end` },
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', point: true, color: POOL_COLOUR },
        encoding: {
          x: {
            field: 'date',
            type: 'temporal',
            timeUnit: 'utcyearmonth',
            title: '月份 Month',
            axis: { format: '%Y-%m' },
          },
          y: { field: 'pool', type: 'quantitative', title: '人数 People' },
          tooltip: [
            { field: 'date', type: 'temporal', timeUnit: 'utcyearmonth' },
            { field: 'pool', type: 'quantitative' },
          ],
        },
      },
      ...(target
        ? [
            {
              data: {
                values: [
                  { y: target.minPoolSize, label: `目标 Target ${target.minPoolSize}（${target.deadline}）` },
                ],
              },
              layer: [
                {
                  mark: { type: 'rule' as const, color: TARGET_COLOUR, strokeDash: [6, 4] },
                  encoding: { y: { field: 'y', type: 'quantitative' as const } },
                },
                {
                  mark: {
                    type: 'text' as const,
                    color: TARGET_COLOUR,
                    align: 'left' as const,
                    dx: 4,
                    dy: -8,
                    x: 0,
                  },
                  encoding: {
                    y: { field: 'y', type: 'quantitative' as const },
                    text: { field: 'label', type: 'nominal' as const },
                  },
                },
              ],
            },
          ]
        : []),
    ],
  };
}

/** Pool members by reporting unit, lagging units in another colour. */
export function poolByUnitSpec(report: TargetProgressReport): TopLevelSpec {
  const values = report.byUnit.map((u) => ({
    unit: `${u.name.zh} ${u.unit}`,
    pool: u.counts.inPool,
    status: u.lagging ? '滞后 Lagging' : '正常 Not lagging',
  }));
  const { label } = report.members;
  return {
    width: 560,
    height: { step: 18 },
    config: CONFIG,
    title: { text: `各单位${label.zh}人数`, subtitle: `${label.en} by reporting unit` },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'unit', type: 'nominal', sort: '-x', title: '备案单位 Unit', axis: { labelLimit: 200 } },
      x: { field: 'pool', type: 'quantitative', title: `${label.zh}人数 ${label.en}` },
      color: {
        field: 'status',
        type: 'nominal',
        scale: { domain: ['正常 Not lagging', '滞后 Lagging'], range: [POOL_COLOUR, TARGET_COLOUR] },
        legend: { title: null, orient: 'bottom' },
      },
      tooltip: [
        { field: 'unit', type: 'nominal' },
        { field: 'pool', type: 'quantitative' },
      ],
    },
  };
}
