// The annual assessment's messages, in Chinese, built like the review emails
// (shared/domain/email-templates.ts): plain data to `{ subject, text, html }`, one column that
// reads on a phone, a button with the link written out below it. The grading request names
// no person (counts only: the page behind the link shows the masked roster); the province's
// summary lists the outstanding officers with masked names.
import { beijingTime } from '../../domain/email-templates.ts';
import { maskName } from '../../domain/masking.ts';
import { findRole, findUnit, type Program } from '../../domain/programs/program.ts';
import { escapeHtml } from '../../http/html.ts';
import { GRADE_LABELS } from './grades.ts';
import type { ProgramSummary } from './ports.ts';
import { GRADES } from './ports.ts';

export const ASSESSMENT_EMAIL_KINDS = [
  'assessment_request',
  'assessment_reminder',
  'assessment_escalation',
  'assessment_summary',
  'assessment_failure',
] as const;
export type AssessmentEmailKind = (typeof ASSESSMENT_EMAIL_KINDS)[number];

export interface AssessmentEmail {
  kind: AssessmentEmailKind;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

type Block =
  | { kind: 'p'; text: string }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'button'; label: string; url: string }
  | { kind: 'note'; text: string };

const FONT = 'system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif';

function checkedUrl(url: string): string {
  const protocol = new URL(url).protocol;
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error('email links must be http(s)');
  return url;
}

function text(block: Block): string {
  switch (block.kind) {
    case 'p':
    case 'note':
      return block.text;
    case 'facts':
      return block.rows.map(([k, v]) => `${k}：${v}`).join('\n');
    case 'table':
      return [block.head.join(' | '), ...block.rows.map((r) => r.join(' | '))].join('\n');
    case 'button':
      return `${block.label}：\n${block.url}`;
  }
}

function html(block: Block): string {
  const e = escapeHtml;
  const cell = 'border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top';
  switch (block.kind) {
    case 'p':
      return `<p style="margin:0 0 12px">${e(block.text)}</p>`;
    case 'note':
      return `<p style="margin:0 0 12px;padding:8px 12px;background:#fff8e1;border-left:4px solid #f0b400;font-size:14px">${e(block.text)}</p>`;
    case 'facts':
      return `<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 12px;font-size:15px">${block.rows
        .map(
          ([k, v]) =>
            `<tr><th style="text-align:left;font-weight:normal;color:#555;padding:4px 12px 4px 0;white-space:nowrap;width:1%">${e(k)}</th><td style="padding:4px 0">${e(v)}</td></tr>`,
        )
        .join('')}</table>`;
    case 'table':
      return `<div style="overflow-x:auto;margin:0 0 12px"><table style="border-collapse:collapse;font-size:13px"><thead><tr>${block.head
        .map((h) => `<th style="${cell};background:#f0f2f5">${e(h)}</th>`)
        .join('')}</tr></thead><tbody>${block.rows
        .map((r) => `<tr>${r.map((c) => `<td style="${cell}">${e(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table></div>`;
    case 'button':
      return `<p style="margin:20px 0"><a href="${e(block.url)}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">${e(block.label)}</a></p>
<p style="margin:0 0 12px;font-size:13px;color:#555;word-break:break-all">如按钮无法点击，请将以下链接复制到浏览器打开：<br><a href="${e(block.url)}" style="color:#1a56db">${e(block.url)}</a></p>`;
  }
}

function render(
  program: Program,
  kind: AssessmentEmailKind,
  subject: string,
  heading: string,
  blocks: Block[],
): AssessmentEmail {
  const links = blocks.flatMap((b) => (b.kind === 'button' ? [checkedUrl(b.url)] : []));
  const footer = `本邮件由${program.title.zh}备案系统自动发送（${program.authority.zh}），请勿直接回复。`;
  return {
    kind,
    subject: `【${program.title.zh}】${subject}`,
    text: [program.title.zh, heading, ...blocks.map(text), '—', footer].join('\n\n'),
    html: `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff;font-family:${escapeHtml(FONT)};font-size:16px;line-height:1.6;color:#1a1a1a">
<p style="margin:0 0 4px;font-size:13px;color:#555">${escapeHtml(program.title.zh)}</p>
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(heading)}</h1>
${blocks.map(html).join('\n')}
<p style="margin:24px 0 0;padding-top:12px;border-top:1px solid #ddd;font-size:12px;color:#777">${escapeHtml(footer)}</p>
</div>
</body>
</html>`,
    links,
  };
}

const unitName = (program: Program, unit: string) => findUnit(program, unit)?.name.zh ?? unit;
const cityAuthority = (program: Program, unit: string) =>
  findUnit(program, unit)?.reviewer.authority.zh ?? `${unitName(program, unit)}市场监督管理部门`;

const CONFIRMATION_NOTE: Block = {
  kind: 'note',
  text: '打开链接只会显示考核页面，不会作出任何决定；每页点击“提交”后才记录结果，提交后不可更改。评为“不合格”的人员须填写理由并勾选“确认淘汰”，全部提交后移出人才库。链接仅供贵单位使用，请勿转发。',
};

export interface GradingEmailInput {
  year: string;
  unit: string;
  members: number;
  pages: number;
  deadline: string;
  url: string;
}

/** To the unit's reviewers: this year's batch of pool members to grade. */
export function assessmentRequest(program: Program, input: GradingEmailInput): AssessmentEmail {
  const unit = unitName(program, input.unit);
  return render(
    program,
    'assessment_request',
    `${input.year} 年度考核：${unit}人才库成员 ${input.members} 人`,
    `请完成 ${input.year} 年度人才库成员考核`,
    [
      { kind: 'p', text: `${cityAuthority(program, input.unit)}：` },
      {
        kind: 'p',
        text: `请对本单位人才库成员逐一评定考核等次（${GRADES.map((g) => GRADE_LABELS[g]).join(' / ')}），于${beijingTime(input.deadline)}前完成。`,
      },
      {
        kind: 'facts',
        rows: [
          ['考核年度', input.year],
          ['报送单位', unit],
          ['人数', String(input.members)],
          ['页数', String(input.pages)],
        ],
      },
      { kind: 'button', label: '打开考核页面', url: input.url },
      CONFIRMATION_NOTE,
    ],
  );
}

/** To the unit's reviewers again, before the due day. */
export function assessmentReminder(program: Program, input: GradingEmailInput): AssessmentEmail {
  const unit = unitName(program, input.unit);
  return render(
    program,
    'assessment_reminder',
    `提醒：${input.year} 年度考核尚未完成（${unit}）`,
    `提醒：${input.year} 年度考核尚未完成`,
    [
      { kind: 'p', text: `${cityAuthority(program, input.unit)}：` },
      {
        kind: 'p',
        text: `本单位 ${input.members} 名人才库成员的年度考核尚未全部提交，请于${beijingTime(input.deadline)}前完成；逾期未完成的，将转由${program.authority.zh}处理。`,
      },
      { kind: 'button', label: '打开考核页面', url: input.url },
      CONFIRMATION_NOTE,
    ],
  );
}

/** To the province: the unit did not grade its batch in time. */
export function assessmentEscalation(program: Program, input: GradingEmailInput): AssessmentEmail {
  const unit = unitName(program, input.unit);
  return render(
    program,
    'assessment_escalation',
    `${unit}逾期未完成 ${input.year} 年度考核`,
    '市局逾期未完成年度考核，转省局处理',
    [
      { kind: 'p', text: `${program.authority.zh}：` },
      {
        kind: 'p',
        text: `${cityAuthority(program, input.unit)}未在规定期限（${program.assessment.dueDays}天）内完成 ${input.year} 年度考核（${input.members} 人），现转由省局处理，请于${beijingTime(input.deadline)}前完成。`,
      },
      { kind: 'button', label: '打开考核页面', url: input.url },
      CONFIRMATION_NOTE,
    ],
  );
}

/** To the province: the programme's results for the year, per unit, with the outstanding list (masked). */
export function assessmentSummary(program: Program, year: string, summary: ProgramSummary): AssessmentEmail {
  const t = summary.totals;
  const status = {
    done: '已完成',
    failed: '未完成（逾期或出错）',
    open: '进行中',
    applying: '处理中',
    not_started: '未开始',
  };
  return render(program, 'assessment_summary', `${year} 年度考核结果`, `${year} 年度人才库成员考核结果`, [
    { kind: 'p', text: `${program.authority.zh}：` },
    {
      kind: 'p',
      text: `${year} 年度考核共涉及 ${t.members} 人：${GRADES.map((g) => `${GRADE_LABELS[g]} ${t.graded[g]} 人`).join('，')}；移出人才库 ${t.removed} 人。`,
    },
    {
      kind: 'table',
      head: ['报送单位', '状态', '人数', ...GRADES.map((g) => GRADE_LABELS[g]), '移出'],
      rows: summary.units.map((u) => [
        unitName(program, u.unit),
        status[u.status],
        String(u.results?.members ?? 0),
        ...GRADES.map((g) => String(u.results?.graded[g] ?? 0)),
        String(u.results?.removed ?? 0),
      ]),
    },
    ...(summary.outstanding.length > 0
      ? [
          { kind: 'p' as const, text: `优秀人员（${summary.outstanding.length} 人，姓名已脱敏）：` },
          {
            kind: 'table' as const,
            head: ['序号', '姓名', '岗位', '报送单位', '企业名称'],
            rows: summary.outstanding.map((o, i) => [
              String(i + 1),
              maskName(o.name),
              findRole(program, o.role)?.name.zh ?? o.role,
              unitName(program, o.unit),
              o.enterprise,
            ]),
          },
        ]
      : []),
    {
      kind: 'note',
      text: '备案时的个人信息同意不含公开姓名的授权，优秀人员名单仅以脱敏姓名提供。各单位明细可在工作人员接口查看。',
    },
  ]);
}

/** To the operators: no personal data, ids and the error's name only. */
export function assessmentFailure(
  program: Program,
  input: { year: string; unit?: string; error: string; at: string; url: string },
): AssessmentEmail {
  const where = input.unit ? unitName(program, input.unit) : '全省';
  return render(
    program,
    'assessment_failure',
    `年度考核处理失败：${input.year} ${where}`,
    '年度考核处理失败',
    [
      { kind: 'p', text: '以下年度考核在处理中出错或逾期未完成，需要检查。' },
      {
        kind: 'facts',
        rows: [
          ['项目', program.id],
          ['考核年度', input.year],
          ['报送单位', input.unit ? `${where}（${input.unit}）` : '—'],
          ['错误类型', input.error.slice(0, 120)],
          ['时间', beijingTime(input.at)],
        ],
      },
      { kind: 'button', label: '查看详情', url: input.url },
      { kind: 'note', text: '本告警不含个人信息，请在执行记录中查看详情。' },
    ],
  );
}
