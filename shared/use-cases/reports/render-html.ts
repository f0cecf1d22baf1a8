// The report as one self-contained HTML page for the province: Chinese with English
// subtitles, the charts inline as SVG drawn on the server, no script, no external resource
// (a content security policy that allows none), every text escaped.
import { escapeHtml } from '../../http/html.ts';
import { poolByUnitSpec, poolTrendSpec, renderSvg } from './charts.ts';
import type { Counts, TargetProgressReport } from './report-schema.ts';
import { MILESTONE_STATUS_LABELS } from './training-milestones.ts';

type Cell = string | number;

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:64rem;padding:1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.5rem;margin-bottom:0}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
.en{color:#555;font-weight:normal;font-size:.85em}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:.4rem;padding:.5rem .75rem}.card b{display:block;font-size:1.4rem}
.ok{color:#1b7f3b}.late{color:#b00020}
table{border-collapse:collapse;width:100%;font-size:.85em;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .4rem;text-align:right}
th{background:#f5f5f5;vertical-align:bottom}td:first-child,th:first-child{text-align:left}
tr.lagging td{background:#fdecee}
figure{margin:1rem 0;overflow-x:auto}.scroll{overflow-x:auto;max-width:100%}.scroll table{margin:0}svg{max-width:100%;height:auto}
`;

const h = escapeHtml;
const label = (zh: string, en: string) => `${h(zh)}<br><span class="en">${h(en)}</span>`;

/**
 * A table in a region of its own that scrolls sideways on a narrow screen (390 px) instead of the page: focusable, so
 * the keyboard can scroll it too, and named for a screen reader.
 */
function table(
  name: string,
  head: [string, string][],
  rows: { cells: Cell[]; className?: string }[],
): string {
  const th = head.map(([zh, en]) => `<th>${label(zh, en)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr${r.className ? ` class="${h(r.className)}"` : ''}>${r.cells.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll" role="region" tabindex="0" aria-label="${h(name)}"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** The count columns; the members' column is named as the programme names them (在库 / 已备案). */
const countHead = (report: TargetProgressReport): [string, string][] => [
  ['累计备案', 'Filed'],
  ['审核中', 'Under review'],
  [report.members.label.zh, report.members.label.en],
  ['已退出', 'Removed'],
  ['已撤回', 'Withdrawn'],
  ['未通过审核', 'Rejected'],
  ['未予纳入', 'Declined'],
];
const countCells = (c: Counts): Cell[] => [
  c.filed,
  c.underReview,
  c.inPool,
  c.removed,
  c.withdrawn,
  c.rejected,
  c.declined,
];

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const perMonth = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)} 人/月`);

function card(zh: string, en: string, value: string, className = ''): string {
  return `<div class="card">${label(zh, en)}<b class="${h(className)}">${h(value)}</b></div>`;
}

function summary(report: TargetProgressReport): string {
  const { target, pace } = report;
  const { label } = report.members;
  const cards = [card(`${label.zh}人数`, label.en, String(report.pool))];
  if (target && pace) {
    cards.push(
      card('目标', `Target (${target.id})`, `${target.minPoolSize}（${target.deadline}）`),
      card('尚差', 'Remaining', String(target.remaining)),
      card('所需速度', 'Pace needed', perMonth(pace.needed)),
      card(
        '实际速度',
        `Pace achieved (${pace.window.from} – ${pace.window.through})`,
        perMonth(pace.achieved),
      ),
      card(
        '预计达成',
        'Projected date',
        target.reached
          ? `已达成 reached${pace.reachedIn ? `（${pace.reachedIn}）` : ''}`
          : (pace.projectedDate ?? '—'),
      ),
      card('是否按期', 'On track', pace.onTrack ? '是 yes' : '否 no', pace.onTrack ? 'ok' : 'late'),
    );
  }
  const description = target
    ? `<p>${h(target.description.zh)}<br><span class="en">${h(target.description.en)}</span></p>`
    : '';
  return `<div class="cards">${cards.join('')}</div>${description}`;
}

/**
 * `metaPolicy: false` leaves the policy out of the page for an answer whose header carries it
 * (the staff route): a stored or mailed file has no header and keeps it in a meta element.
 */
export async function toHtml(
  report: TargetProgressReport,
  { metaPolicy = true }: { metaPolicy?: boolean } = {},
): Promise<string> {
  const [trendSvg, unitSvg] = await Promise.all([
    renderSvg(poolTrendSpec(report)),
    renderSvg(poolByUnitSpec(report)),
  ]);
  const title = `${report.programTitle.zh} · 目标进度报告 · ${report.asOf}`;
  const { label: member, entered } = report.members;
  const COUNT_HEAD = countHead(report);
  const units = table(
    '各备案单位 By reporting unit',
    [
      ['备案单位', 'Unit'],
      ['代码', 'Code'],
      ...COUNT_HEAD,
      [`${member.zh}占比`, `${member.en} share`],
      [`近3个月${entered.zh}`, `${entered.en}, 3 months`],
    ],
    report.byUnit.map((u) => ({
      cells: [u.name.zh, u.unit, ...countCells(u.counts), percent(u.poolShare), u.includedLast3Months],
      ...(u.lagging ? { className: 'lagging' } : {}),
    })),
  );
  const roles = table(
    '各岗位 By role',
    [['岗位', 'Role'], ...COUNT_HEAD],
    [
      ...report.byRole.map((r) => ({ cells: [r.name.zh, ...countCells(r.counts)] })),
      { cells: ['合计 Total', ...countCells(report.totals)] },
    ],
  );
  const trend = table(
    '月度明细 Monthly figures',
    [
      ['月份', 'Month'],
      ['新备案', 'Filed'],
      [`新${entered.zh}`, entered.en],
      ['退出', 'Removed'],
      [`月末${member.zh}`, `${member.en} at month end`],
    ],
    report.trend.map((p) => ({ cells: [p.month, p.filed, p.included, p.removed, p.pool] })),
  );
  const laggingNames = report.byUnit.filter((u) => u.lagging).map((u) => `${u.name.zh}（${u.unit}）`);
  const plan = report.plan;
  const plans =
    plan.units.length === 0
      ? `<p>${label(`${plan.year} 年尚未设定年度发展计划。`, `No yearly plan is set for ${plan.year}.`)}</p>`
      : table(
          '年度发展计划 Yearly plans',
          [
            ['备案单位', 'Unit'],
            ['年度计划人数', 'Planned'],
            ['年初人数', 'At the start of the year'],
            [`${member.zh}人数`, member.en],
            ['按匀速应达', 'Steady pace now'],
            ['计划企业数', 'Enterprises planned'],
            ['已覆盖企业', 'Enterprises covered'],
          ],
          plan.units.map((u) => ({
            cells: [
              u.name.zh,
              u.people.planned,
              u.people.startOfYear,
              u.people.members,
              u.people.expectedNow,
              u.enterprises?.planned ?? '—',
              u.enterprises?.covered ?? '—',
            ],
            ...(u.lagging ? { className: 'lagging' } : {}),
          })),
        );
  const planLagging = plan.units.filter((u) => u.lagging).map((u) => `${u.name.zh}（${u.unit}）`);
  // Enterprise coverage (Anhui): counts per unit, and the share where the unit's number of such enterprises is set.
  const cov = report.coverage;
  const shareCell = (s: number | null) => (s === null ? '—' : percent(s));
  const coverage = cov
    ? `<section>
<h2>${label('企业覆盖', 'Enterprise coverage')}</h2>
<p>${label(`截至 ${cov.through}`, `as of ${cov.through}`)}</p>
${table(
  '企业覆盖 Enterprise coverage',
  [
    ['备案单位', 'Unit'],
    ['代码', 'Code'],
    ['已覆盖企业', 'Enterprises covered'],
    ['其中规上企业', 'Above designated size'],
    ['规上企业总数', 'Above-size enterprises'],
    ['规上覆盖率', 'Above-size coverage'],
    ['其中战略性新兴产业', 'Strategic emerging industries'],
    ['战略性新兴产业企业总数', 'Emerging-industry enterprises'],
    ['战略性新兴产业覆盖率', 'Emerging coverage'],
  ],
  [
    ...cov.units.map((u) => ({
      cells: [
        u.name.zh,
        u.unit,
        u.covered,
        u.aboveScale,
        u.aboveScaleBase ?? '—',
        shareCell(u.aboveScaleShare),
        u.emerging,
        u.emergingBase ?? '—',
        shareCell(u.emergingShare),
      ],
    })),
    {
      cells: [
        '合计 Total',
        '',
        cov.totals.covered,
        cov.totals.aboveScale,
        cov.totals.aboveScaleBase ?? '—',
        shareCell(cov.totals.aboveScaleShare),
        cov.totals.emerging,
        cov.totals.emergingBase ?? '—',
        shareCell(cov.totals.emergingShare),
      ],
    },
  ],
)}
</section>
`
    : '';
  // The training milestones, met or not per year, where the programme sets them.
  const training = report.trainingMilestones
    ? `<section>
<h2>${label('培训里程碑', 'Training milestones')}</h2>
${table(
  '培训里程碑 Training milestones',
  [
    ['年份', 'Year'],
    ['里程碑', 'Milestone'],
    ['完成情况', 'Status'],
    ['培训批次', 'Batches'],
    ['合格人数', 'Passed'],
    ['组织单位', 'Organizers'],
  ],
  report.trainingMilestones.milestones.map((m) => ({
    cells: [
      m.year,
      `${m.description.zh} / ${m.description.en}`,
      `${MILESTONE_STATUS_LABELS[m.status].zh} ${MILESTONE_STATUS_LABELS[m.status].en}`,
      m.batches,
      m.passes,
      m.units.join('、') || '—',
    ],
    ...(m.status === 'not_met' ? { className: 'lagging' } : {}),
  })),
)}
</section>
`
    : '';
  const notes = report.notes
    .map((n) => `<li>${h(n.zh)}<br><span class="en">${h(n.en)}</span></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${metaPolicy ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` : ''}<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${h(report.programTitle.zh)} · 目标进度报告</h1>
<p class="en">${h(report.programTitle.en)} — target progress report</p>
<p>${label(`${report.province.zh} · 统计日期 ${report.asOf}`, `${report.province.en} · as of ${report.asOf} · generated ${report.generatedAt}`)}</p>
</header>
<section>
<h2>${label('进度', 'Progress')}</h2>
${summary(report)}
<figure>${trendSvg}</figure>
</section>
<section>
<h2>${label('各备案单位', 'By reporting unit')}</h2>
<figure>${unitSvg}</figure>
${units}
</section>
<section>
<h2>${label('各岗位', 'By role')}</h2>
${roles}
</section>
<section>
<h2>${label(`${plan.year} 年度发展计划`, `Yearly plans ${plan.year}`)}</h2>
${plans}
<p>${label(plan.lagging.rule.zh, plan.lagging.rule.en)}</p>
<p>${plan.units.length === 0 ? '' : planLagging.length > 0 ? h(`未达计划进度：${planLagging.join('、')}`) : '均按计划进度 all on pace'}</p>
</section>
${coverage}${training}<section>
<h2>${label('滞后单位', 'Lagging units')}</h2>
<p>${label(report.lagging.rule.zh, report.lagging.rule.en)}</p>
<p>${laggingNames.length > 0 ? h(laggingNames.join('、')) : '无 none'}</p>
</section>
<section>
<h2>${label('月度明细', 'Monthly figures')}</h2>
${trend}
</section>
<section>
<h2>${label('说明', 'Notes')}</h2>
<ul>
<li>${label(`实际速度为最近 6 个月（不足 6 个月时自首次记录起）${member.zh}人数的月均净增长；预计达成日期按此速度推算。`, 'Pace achieved is the mean monthly net growth of the pool over the last 6 months (or since the first entry); the projected date assumes that pace.')}</li>
${notes}
</ul>
</section>
</body>
</html>
`;
}
