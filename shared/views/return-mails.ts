// The annual return's messages, in Chinese, rendered by the same mail renderer as the review
// mails (mail.ts): plain data to `{ subject, text, html }`, one column that reads on a phone, a
// button with the link written out below it. Personal data is masked: the
// enterprise's mail lists its own people as `张*` with their role and position; the city's and
// the province's carry counts and masked nominees only.
import { beijingTime } from '../domain/email-templates.ts';
import { findRole, findUnit, type Program } from '../domain/programs/program.ts';
import type { EnterpriseReturn, UnitResults, UnitReturn } from '../ports/returns.ts';
import { RESULT_LABELS } from '../ports/returns.ts';
import { programResults } from '../use-cases/returns/answers.ts';
import { type MailBlock as Block, type MailContent, renderMail } from './mail.ts';

export const RETURN_EMAIL_KINDS = [
  'return_request',
  'return_reminder',
  'return_summary',
  'return_escalation',
  'return_results',
  'return_failure',
] as const;
export type ReturnEmailKind = (typeof RETURN_EMAIL_KINDS)[number];

export type ReturnEmail = MailContent<ReturnEmailKind>;

function render(
  program: Program,
  kind: ReturnEmailKind,
  subject: string,
  heading: string,
  blocks: Block[],
): ReturnEmail {
  return renderMail(program, kind, subject, heading, blocks, { breakFactValues: false });
}

const unitName = (program: Program, unit: string) => findUnit(program, unit)?.name.zh ?? unit;
const cityAuthority = (program: Program, unit: string) =>
  findUnit(program, unit)?.reviewer.authority.zh ?? `${unitName(program, unit)}市场监督管理部门`;
const roleName = (program: Program, role: string) => findRole(program, role)?.name.zh ?? role;

const FORM_NOTE: Block = {
  kind: 'note',
  text: '打开链接只会显示年度报告页面，不会作出任何决定；点击“提交”后才记录，每家企业提交一次，提交后不可更改。链接仅供贵企业使用，请勿转发。',
};

function whatToAnswer(program: Program): string {
  const scale = programResults(program);
  return scale.length > 0
    ? `请逐一说明下列人员是否仍在岗，并填写企业自评的年度考核结果（${scale.map((r) => RESULT_LABELS[r].zh).join(' / ')}）；可推荐考核优秀的人员参加${program.title.zh}优秀评选。`
    : `请逐一确认下列人员是否仍在岗；可推荐其参加${program.title.zh}优秀评选。`;
}

function peopleTable(program: Program, enterprise: EnterpriseReturn): Block {
  return {
    kind: 'table',
    head: ['序号', '姓名', '岗位', '现任职务'],
    rows: enterprise.members.map((m, i) => [String(i + 1), m.name, roleName(program, m.role), m.position]),
  };
}

export interface EnterpriseEmailInput {
  year: string;
  enterprise: EnterpriseReturn;
  deadline: string;
  url: string;
}

/** To the enterprise's contact: this year's return for its people, one link. */
export function returnRequest(program: Program, input: EnterpriseEmailInput): ReturnEmail {
  const e = input.enterprise;
  return render(
    program,
    'return_request',
    `${input.year} 年度报告（激励考核）：${e.name}`,
    `请填写 ${input.year} 年度报告（激励考核）`,
    [
      { kind: 'p', text: `${e.name}：` },
      { kind: 'p', text: `${whatToAnswer(program)}请于${beijingTime(input.deadline)}前提交。` },
      {
        kind: 'facts',
        rows: [
          ['年度', input.year],
          ['统一社会信用代码', e.uscc],
          ['报送单位', unitName(program, e.unit)],
          ['人数', String(e.members.length)],
        ],
      },
      peopleTable(program, e),
      { kind: 'button', label: '填写年度报告', url: input.url },
      ...(e.fallback
        ? [
            {
              kind: 'note' as const,
              text: '本企业备案时未填写企业联系人邮箱，本邮件发送至备案人员本人邮箱，请转交企业联系人填写。',
            },
          ]
        : []),
      FORM_NOTE,
    ],
  );
}

/** To the enterprise again, before the deadline, while it has not answered. */
export function returnReminder(program: Program, input: EnterpriseEmailInput): ReturnEmail {
  const e = input.enterprise;
  return render(
    program,
    'return_reminder',
    `提醒：${input.year} 年度报告尚未提交（${e.name}）`,
    `提醒：${input.year} 年度报告尚未提交`,
    [
      { kind: 'p', text: `${e.name}：` },
      {
        kind: 'p',
        text: `贵企业 ${e.members.length} 名人员的 ${input.year} 年度报告尚未提交，请于${beijingTime(input.deadline)}前完成；逾期未提交的，由${cityAuthority(program, e.unit)}跟进。`,
      },
      { kind: 'button', label: '填写年度报告', url: input.url },
      FORM_NOTE,
    ],
  );
}

function countFacts(program: Program, results: UnitResults): Block {
  const scale = programResults(program);
  return {
    kind: 'facts',
    rows: [
      [
        '企业',
        `${results.enterprises} 家，已报告 ${results.answered} 家，未报告 ${results.followUp.length} 家`,
      ],
      ['人员', `${results.members} 人，仍在岗 ${results.inPost} 人，已离岗 ${results.left} 人`],
      ...(scale.length > 0
        ? [
            ['考核结果', scale.map((r) => `${RESULT_LABELS[r].zh} ${results.results[r]} 人`).join('，')] as [
              string,
              string,
            ],
          ]
        : []),
      ['拟移出人才库', `${results.removals.length} 人`],
      ['推荐优秀', `${results.nominees.length} 人`],
    ],
  };
}

export interface SummaryEmailInput {
  year: string;
  unit: string;
  results: UnitResults;
  deadline: string;
  url: string;
}

/** To the unit's reviewers: the enterprises' returns to acknowledge. */
export function returnSummary(program: Program, input: SummaryEmailInput): ReturnEmail {
  const unit = unitName(program, input.unit);
  return render(
    program,
    'return_summary',
    `${input.year} 年度报告汇总：${unit}`,
    `请确认本单位 ${input.year} 年度报告汇总`,
    [
      { kind: 'p', text: `${cityAuthority(program, input.unit)}：` },
      {
        kind: 'p',
        text: `本单位企业的 ${input.year} 年度报告已收齐或已到截止时间。请于${beijingTime(input.deadline)}前查看并确认：确认后，考核不合格和已离岗人员移出人才库；未报告的企业列入跟进名单，不自动移出。`,
      },
      countFacts(program, input.results),
      { kind: 'button', label: '查看并确认', url: input.url },
      {
        kind: 'note',
        text: '打开链接只会显示汇总页面，点击“确认”后才生效。链接仅供贵单位使用，请勿转发。',
      },
    ],
  );
}

/** To the province: the city did not acknowledge in time. */
export function returnEscalation(program: Program, input: SummaryEmailInput): ReturnEmail {
  const unit = unitName(program, input.unit);
  return render(
    program,
    'return_escalation',
    `${unit}逾期未确认 ${input.year} 年度报告汇总`,
    '市局逾期未确认年度报告汇总，转省局处理',
    [
      { kind: 'p', text: `${program.authority.zh}：` },
      {
        kind: 'p',
        text: `${cityAuthority(program, input.unit)}未在规定期限（${program.assessment.acknowledgeDays}天）内确认 ${input.year} 年度报告汇总，现转由省局处理，请于${beijingTime(input.deadline)}前确认。`,
      },
      countFacts(program, input.results),
      { kind: 'button', label: '查看并确认', url: input.url },
    ],
  );
}

/** To the province: the programme's year per unit, with the nominees for 优秀评选 (masked names). */
export function returnResults(program: Program, year: string, units: readonly UnitReturn[]): ReturnEmail {
  const status = {
    collecting: '收集中',
    reviewing: '待市局确认',
    applying: '处理中',
    done: '已完成',
    failed: '未完成',
  };
  const nominees = units.flatMap((u) => u.results?.nominees ?? []);
  return render(program, 'return_results', `${year} 年度报告结果`, `${year} 年度报告（激励考核）结果`, [
    { kind: 'p', text: `${program.authority.zh}：` },
    {
      kind: 'table',
      head: ['报送单位', '状态', '企业', '已报告', '未报告', '人员', '移出', '推荐优秀'],
      rows: units.map((u) => [
        unitName(program, u.unit),
        status[u.status],
        String(u.enterprises),
        String(u.results?.answered ?? u.answered),
        String(u.results?.followUp.length ?? u.enterprises - u.answered),
        String(u.members),
        String(Object.values(u.outcomes ?? {}).filter((o) => o === 'removed').length),
        String(u.results?.nominees.length ?? 0),
      ]),
    },
    ...(nominees.length > 0
      ? [
          { kind: 'p' as const, text: `推荐参加优秀评选的人员（${nominees.length} 人，姓名已脱敏）：` },
          {
            kind: 'table' as const,
            head: ['序号', '姓名', '岗位', '报送单位', '企业名称', '推荐理由'],
            rows: nominees.map((n, i) => [
              String(i + 1),
              n.name,
              roleName(program, n.role),
              unitName(program, n.unit),
              n.enterprise,
              n.reason,
            ]),
          },
        ]
      : []),
    {
      kind: 'note',
      text: '推荐名单仅以脱敏姓名提供；评选结果通过工作人员接口确定，公示名单仅公开本人在备案时另行同意公示的人员姓名，其余脱敏。各单位明细见工作人员接口。',
    },
  ]);
}

/** To the operators: no personal data, ids and the error's name only. */
export function returnFailure(
  program: Program,
  input: { year: string; unit?: string; error: string; at: string; url: string },
): ReturnEmail {
  const where = input.unit ? unitName(program, input.unit) : '全省';
  return render(program, 'return_failure', `年度报告处理失败：${input.year} ${where}`, '年度报告处理失败', [
    { kind: 'p', text: '以下年度报告在处理中出错或逾期未确认，需要检查。' },
    {
      kind: 'facts',
      rows: [
        ['项目', program.id],
        ['年度', input.year],
        ['报送单位', input.unit ? `${where}（${input.unit}）` : '—'],
        ['错误类型', input.error.slice(0, 120)],
        ['时间', beijingTime(input.at)],
      ],
    },
    { kind: 'button', label: '查看详情', url: input.url },
    { kind: 'note', text: '本告警不含个人信息，请在执行记录中查看详情。' },
  ]);
}
