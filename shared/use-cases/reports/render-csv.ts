// The report as a spreadsheet-friendly CSV (RFC 4180): UTF-8 with a byte-order mark so Excel
// reads the Chinese, CRLF line ends, Chinese headers, one row per unit × role, then a total per
// role and the grand total. Text cells that a spreadsheet would run as a formula are prefixed
// with an apostrophe.
import type { Counts, TargetProgressReport } from './report-schema.ts';
import { MILESTONE_STATUS_LABELS } from './training-milestones.ts';

export const CSV_BOM = '\uFEFF';

/** The count columns; `{members}` is the members' column, named as the programme names them. */
const COLUMNS: [string, (c: Counts) => number][] = [
  ['累计备案', (c) => c.filed],
  ['审核中', (c) => c.underReview],
  ['其中：待市局审核', (c) => c.states.submitted],
  ['其中：市局审核中', (c) => c.states.city_review],
  ['其中：需修改', (c) => c.states.changes_requested],
  ['其中：待省局纳入', (c) => c.states.province_review],
  ['{members}人数', (c) => c.inPool],
  ['已退出', (c) => c.removed],
  ['已撤回', (c) => c.withdrawn],
  ['未通过审核', (c) => c.rejected],
  ['省局未予纳入', (c) => c.declined],
];

/** One RFC 4180 field: quoted when it holds a quote, comma or line break; quotes doubled. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(report: TargetProgressReport): string {
  const header = [
    '备案单位',
    '单位代码',
    '岗位',
    ...COLUMNS.map(([name]) => name.replace('{members}', report.members.label.zh)),
    `${report.plan.year}年度发展计划`,
  ];
  // The year's plan per unit × role (blank where none is set), and its sums.
  const planned = new Map<string, number>();
  for (const u of report.plan.units) for (const r of u.roles) planned.set(`${u.unit}#${r.role}`, r.planned);
  const plannedOf = (test: (key: string) => boolean) => {
    const keys = [...planned.keys()].filter(test);
    return keys.length === 0 ? '' : keys.reduce((n, k) => n + (planned.get(k) ?? 0), 0);
  };
  const line = (cells: (string | number)[]) => cells.map(csvField).join(',');
  const lines = [line(header)];
  const numbers = (c: Counts) => COLUMNS.map(([, get]) => get(c));
  for (const row of report.rows) {
    const plan = plannedOf((k) => k === `${row.unit}#${row.role}`);
    lines.push(line([row.unitName.zh, row.unit, row.roleName.zh, ...numbers(row.counts), plan]));
  }
  for (const role of report.byRole) {
    const plan = plannedOf((k) => k.endsWith(`#${role.role}`));
    lines.push(line(['合计', '', role.name.zh, ...numbers(role.counts), plan]));
  }
  lines.push(line(['合计', '', '全部岗位', ...numbers(report.totals), plannedOf(() => true)]));
  // Enterprise coverage after a blank line, one row per unit and the total, where the programme counts it; a share
  // is blank where the unit's number of such enterprises is not configured.
  const cov = report.coverage;
  if (cov) {
    const shareOf = (s: number | null) => (s === null ? '' : `${(s * 100).toFixed(1)}%`);
    const figures = (f: NonNullable<typeof cov>['totals']) => [
      f.covered,
      f.aboveScale,
      f.aboveScaleBase ?? '',
      shareOf(f.aboveScaleShare),
      f.emerging,
      f.emergingBase ?? '',
      shareOf(f.emergingShare),
    ];
    lines.push(
      '',
      line([
        `企业覆盖（截至 ${cov.through}）`,
        '单位代码',
        '已覆盖企业',
        '其中规上企业',
        '规上企业总数',
        '规上覆盖率',
        '其中战略性新兴产业企业',
        '战略性新兴产业企业总数',
        '战略性新兴产业覆盖率',
      ]),
    );
    for (const u of cov.units) lines.push(line([u.name.zh, u.unit, ...figures(u)]));
    lines.push(line(['合计', '', ...figures(cov.totals)]));
  }
  // The training milestones after a blank line, one row per year, where the programme sets them.
  if (report.trainingMilestones) {
    lines.push('', line(['培训里程碑', '年份', '完成情况', '培训批次', '合格人数', '组织单位']));
    for (const m of report.trainingMilestones.milestones) {
      const status = MILESTONE_STATUS_LABELS[m.status].zh;
      lines.push(line([m.description.zh, m.year, status, m.batches, m.passes, m.units.join('、')]));
    }
  }
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** File name for a stored or downloaded report: `target-progress-<programme>-<asOf>.<ext>`. */
export function reportFilename(
  report: Pick<TargetProgressReport, 'programId' | 'asOf'>,
  ext: string,
): string {
  return `target-progress-${report.programId}-${report.asOf}.${ext}`;
}
