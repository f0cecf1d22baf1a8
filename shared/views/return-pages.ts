// The pages behind the annual return's links, from the return use cases' outcomes
// (shared/use-cases/returns/pages.ts): an enterprise's return form (again with its issues when a
// post was refused), the city's summary of its unit's returns, and the short answers with their
// status codes. Chinese first with an English toggle (`?lang=en`), one column that reads at
// 390 px; the HTTP chain sends the one page Content-Security-Policy.
import { findRole, findUnit, type Program } from '../domain/programs/program.ts';
import type { UnitResults, UnitReturn } from '../ports/returns.ts';
import { RESULT_LABELS } from '../ports/returns.ts';
import { type AnswerIssue, NOMINATION_REASON_MAX, programResults } from '../use-cases/returns/answers.ts';
import type {
  ReturnForm,
  ReturnPageOutcome,
  ReturnPostOutcome,
  ReturnSummary,
} from '../use-cases/returns/pages.ts';
import { escapeHtml as e, page } from './html.ts';
import type { PageResult } from './review-pages.ts';

export type Lang = 'zh' | 'en';
type Text = { zh: string; en: string };

/** The page's language: `en` when asked for (`?lang=en`, or the form's hidden field), else Chinese. */
export const langOf = (value: string | null | undefined): Lang => (value === 'en' ? 'en' : 'zh');

const STYLE = `<style>
.lang{text-align:right;margin:0}.lang a{display:inline-block;padding:.6rem .2rem;min-height:44px}
fieldset{margin:1rem 0;padding:.6rem .8rem;border:1px solid #ccc;border-radius:6px;min-width:0}
fieldset.bad{border-color:#b00020}
.choice{display:block;min-height:44px;padding:.55rem 0}
.choice input{width:1.3rem;height:1.3rem;vertical-align:middle;margin-right:.4rem}
textarea{width:100%;box-sizing:border-box;font:inherit;min-height:4.5rem}
button{font-size:1.1rem;padding:.7rem 1.4rem;margin-top:1rem;min-height:44px;width:100%}
.err{color:#b00020}.table{overflow-x:auto}
</style>`;

function frame(lang: Lang, title: Text, body: string, token?: string): string {
  const other = lang === 'en' ? 'zh' : 'en';
  const toggle = token
    ? `<p class="lang"><a href="${e(`/return/${token}${other === 'en' ? '?lang=en' : ''}`)}" lang="${other === 'en' ? 'en' : 'zh-CN'}">${other === 'en' ? 'English' : '中文'}</a></p>`
    : '';
  return page(title[lang], `${STYLE}${toggle}${body}`, lang === 'en' ? 'en' : 'zh-CN');
}

function message(lang: Lang, status: number, title: Text, text: Text, token?: string): PageResult {
  return { status, html: frame(lang, title, `<h1>${e(title[lang])}</h1><p>${e(text[lang])}</p>`, token) };
}

const NOT_FOUND = (lang: Lang) =>
  message(
    lang,
    404,
    { zh: '链接无效', en: 'Link not valid' },
    {
      zh: '该链接不存在或已失效。请使用邮件中的最新链接。',
      en: 'This link does not exist or is no longer valid. Use the latest link in the email.',
    },
  );
const EXPIRED = (lang: Lang, token?: string) =>
  message(
    lang,
    410,
    { zh: '已过截止时间', en: 'Past the deadline' },
    {
      zh: '该年度报告已过截止时间，不再接受提交。请联系所在市市场监督管理部门。',
      en: 'The deadline of this annual return has passed; it no longer takes answers. Please contact your city bureau.',
    },
    token,
  );
const ANSWERED = (lang: Lang, token?: string) =>
  message(
    lang,
    409,
    { zh: '已提交', en: 'Already sent' },
    {
      zh: '贵企业本年度的年度报告已提交，无需重复提交。',
      en: 'Your enterprise has already sent this year’s return.',
    },
    token,
  );
const ACKNOWLEDGED = (lang: Lang) =>
  message(
    lang,
    409,
    { zh: '已确认', en: 'Already acknowledged' },
    { zh: '本单位的年度报告汇总已确认，无需重复操作。', en: 'These returns have already been acknowledged.' },
  );
const REFUSED = (lang: Lang) =>
  message(
    lang,
    403,
    { zh: '不能确认', en: 'Not allowed' },
    {
      zh: '该链接只能确认本单位的年度报告汇总，未作任何记录。',
      en: 'This link acknowledges its own unit’s returns only; nothing was recorded.',
    },
  );

const roleName = (program: Program, role: string, lang: Lang) => findRole(program, role)?.name[lang] ?? role;
const unitName = (program: Program, unit: string, lang: Lang) => findUnit(program, unit)?.name[lang] ?? unit;

function deadlineText(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} (UTC+8)`;
}

// -- the enterprise's return --------------------------------------------------------------

function returnForm(
  lang: Lang,
  { token, program, unit, enterprise }: ReturnForm,
  issues: AnswerIssue[] = [],
  form?: URLSearchParams,
): string {
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const scale = programResults(program);
  const bad = new Set(issues.map((i) => i.filingId).filter(Boolean));
  const people = enterprise.members
    .map((m, i) => {
      const id = e(m.filingId);
      const inPost = form?.get(`inpost_${m.filingId}`);
      const result = form?.get(`result_${m.filingId}`);
      const nominated = form?.get(`nominate_${m.filingId}`) === 'yes';
      const mine = issues.filter((x) => x.filingId === m.filingId);
      const radio = (name: string, value: string, label: string, checked: boolean) =>
        `<label class="choice"><input type="radio" name="${name}_${id}" value="${value}"${checked ? ' checked' : ''}> ${e(label)}</label>`;
      return `<fieldset id="p_${id}"${bad.has(m.filingId) ? ' class="bad"' : ''}>
<legend><strong>${i + 1}. ${e(m.name)}</strong> · ${e(roleName(program, m.role, lang))} · ${e(m.position)}</legend>
${mine.map((x) => `<p class="err" role="alert">${e(x.message[lang])}</p>`).join('')}
<p>${t('是否仍在岗？', 'Still in post?')}</p>
${radio('inpost', 'yes', t('仍在岗', 'Still in post'), inPost === 'yes')}
${radio('inpost', 'no', t('已离岗（将退出人才库）', 'Has left the post (leaves the pool)'), inPost === 'no')}
${
  scale.length > 0
    ? `<p>${t('企业考核结果（仍在岗人员必选）', 'The enterprise’s result (for a person still in post)')}</p>${scale
        .map((r) =>
          radio(
            'result',
            r,
            r === 'unqualified'
              ? t('不合格（将淘汰，移出人才库）', 'Unqualified (removed from the pool)')
              : RESULT_LABELS[r][lang],
            result === r,
          ),
        )
        .join('')}`
    : ''
}
<label class="choice"><input type="checkbox" name="nominate_${id}" value="yes"${nominated ? ' checked' : ''}> ${e(
        scale.includes('excellent')
          ? t('推荐参加优秀评选（限考核优秀人员）', 'Nominate for the province’s award (Excellent only)')
          : t('推荐参加优秀评选', 'Nominate for the province’s award'),
      )}</label>
<p><label for="reason_${id}">${e(t(`推荐理由（推荐时必填，不超过 ${NOMINATION_REASON_MAX} 字）`, `Reason for the nomination (required to nominate, at most ${NOMINATION_REASON_MAX} characters)`))}</label>
<textarea id="reason_${id}" name="reason_${id}" maxlength="${NOMINATION_REASON_MAX}" rows="3">${e(form?.get(`reason_${m.filingId}`) ?? '')}</textarea></p>
</fieldset>`;
    })
    .join('\n');
  const general = issues.filter((x) => !x.filingId);
  const title = {
    zh: `${program.title.zh} · ${unit.year} 年度报告`,
    en: `${program.title.en} · ${unit.year} annual return`,
  };
  return frame(
    lang,
    title,
    `<h1>${e(title[lang])}</h1>
<p><strong>${e(enterprise.name)}</strong><br><span class="muted">${e(t('统一社会信用代码', 'Credit code'))} ${e(enterprise.uscc)} · ${e(unitName(program, enterprise.unit, lang))}</span></p>
<p>${e(
      scale.length > 0
        ? t(
            '请逐一说明下列人员是否仍在岗，并填写企业自评的考核结果。考核不合格或已离岗的人员，经市局确认后移出人才库。',
            'For each person, say whether they are still in post and give the enterprise’s own result. People rated Unqualified or who left the post leave the pool once the city bureau acknowledges the returns.',
          )
        : t(
            '请逐一确认下列人员是否仍在岗；已离岗的人员经市局确认后退出。',
            'For each person, confirm whether they are still in post; people who left are removed once the city bureau acknowledges the returns.',
          ),
    )}</p>
<p class="muted">${e(t(`截止时间：${deadlineText(unit.deadline)}。打开本页不会改变任何状态；点击“提交”后记录，只能提交一次。`, `Deadline: ${deadlineText(unit.deadline)}. Opening this page changes nothing; the return is recorded when you press Send, once.`))}</p>
${general.map((x) => `<p class="err" role="alert"><strong>${e(x.message[lang])}</strong></p>`).join('')}
${issues.length > 0 && general.length === 0 ? `<p class="err" role="alert"><strong>${e(t('请更正标红的人员后重新提交，尚未记录任何内容。', 'Correct the people marked in red and send again; nothing has been recorded yet.'))}</strong></p>` : ''}
<form method="post" action="${e(`/return/${token}`)}">
<input type="hidden" name="lang" value="${lang}">
${people}
<button type="submit">${e(t('提交年度报告', 'Send the return'))}</button>
</form>`,
    token,
  );
}

// -- the city's summary -------------------------------------------------------------------

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return `<div class="table"><table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

function summaryBody(lang: Lang, program: Program, unit: UnitReturn, results: UnitResults): string {
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const scale = programResults(program);
  const cause = {
    unqualified: t('考核不合格（淘汰）', 'Unqualified (eliminated)'),
    left: t('已离岗（退出）', 'Left the post'),
  };
  const outcome = (id: string) => {
    const o = unit.outcomes?.[id];
    return o === 'removed'
      ? t('已移出', 'removed')
      : o === 'skipped'
        ? t('已不在库，跳过', 'no longer in the pool, skipped')
        : t('待确认后移出', 'on acknowledgement');
  };
  return `<table>
<tr><th>${e(t('企业', 'Enterprises'))}</th><td>${e(t(`${results.enterprises} 家，已报告 ${results.answered} 家，未报告 ${results.followUp.length} 家`, `${results.enterprises}; ${results.answered} answered, ${results.followUp.length} not`))}</td></tr>
<tr><th>${e(t('人员', 'People'))}</th><td>${e(t(`${results.members} 人，仍在岗 ${results.inPost} 人，已离岗 ${results.left} 人`, `${results.members}; ${results.inPost} in post, ${results.left} left`))}</td></tr>
${scale.length > 0 ? `<tr><th>${e(t('考核结果', 'Results'))}</th><td>${e(scale.map((r) => `${RESULT_LABELS[r][lang]} ${results.results[r]}`).join(' / '))}</td></tr>` : ''}
</table>
<h2>${e(t(`移出人才库（${results.removals.length} 人）`, `Removals (${results.removals.length})`))}</h2>
${
  table(
    [t('姓名', 'Name'), t('岗位', 'Role'), t('企业', 'Enterprise'), t('原因', 'Cause'), t('处理', 'Outcome')],
    results.removals.map((r) => [
      r.name,
      roleName(program, r.role, lang),
      r.enterprise,
      cause[r.cause],
      outcome(r.filingId),
    ]),
  ) || `<p class="muted">${e(t('无', 'None'))}</p>`
}
<h2>${e(t(`未报告企业，需跟进（${results.followUp.length} 家，不自动移出）`, `No return: for follow-up (${results.followUp.length}; nobody is removed for this)`))}</h2>
${
  table(
    [t('企业', 'Enterprise'), t('统一社会信用代码', 'Credit code'), t('人数', 'People'), t('备注', 'Note')],
    results.followUp.map((f) => [
      f.enterprise,
      f.uscc,
      String(f.members),
      f.unreachable ? t('无联系邮箱，未能发送', 'no email: never reached') : '',
    ]),
  ) || `<p class="muted">${e(t('无', 'None'))}</p>`
}
<h2>${e(t(`推荐参加优秀评选（${results.nominees.length} 人）`, `Nominated for the award (${results.nominees.length})`))}</h2>
${
  table(
    [t('姓名', 'Name'), t('岗位', 'Role'), t('企业', 'Enterprise'), t('推荐理由', 'Reason')],
    results.nominees.map((n) => [n.name, roleName(program, n.role, lang), n.enterprise, n.reason]),
  ) || `<p class="muted">${e(t('无', 'None'))}</p>`
}
<h2>${e(t(`已报告企业（${results.responded.length} 家）`, `Enterprises that answered (${results.responded.length})`))}</h2>
${table(
  [t('企业', 'Enterprise'), t('统一社会信用代码', 'Credit code'), t('人数', 'People')],
  results.responded.map((r) => [r.enterprise, r.uscc, String(r.members)]),
)}`;
}

function summaryPage(lang: Lang, { token, link, program, unit }: ReturnSummary): string {
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const results = unit.results as UnitResults;
  const title = {
    zh: `${unit.year} 年度报告汇总 · ${unitName(program, unit.unit, 'zh')}`,
    en: `${unit.year} annual returns · ${unitName(program, unit.unit, 'en')}`,
  };
  const escalated =
    link.reviewer?.role === 'province' ? t('（已转交省局处理）', ' (escalated to the province)') : '';
  const action =
    unit.status === 'reviewing'
      ? `<form method="post" action="${e(`/return/${token}`)}">
<input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="unit" value="${e(unit.unit)}">
<p>${e(t('确认后，上表“移出人才库”的人员即移出（考核不合格：淘汰；已离岗：退出），并记入其备案的历史；未报告的企业只列入跟进名单。打开本页不会改变任何状态。', 'On acknowledgement the people under Removals leave the pool (Unqualified: eliminated; left the post: withdrawn), recorded in their filings’ history; enterprises without a return are only listed for follow-up. Opening this page changes nothing.'))}</p>
<button type="submit" name="acknowledge" value="yes">${e(t('确认本单位年度报告汇总', 'Acknowledge these returns'))}</button>
</form>`
      : `<p><strong>${e(t(`已于 ${unit.acknowledgedAt ? deadlineText(unit.acknowledgedAt) : ''} 确认。`, `Acknowledged ${unit.acknowledgedAt ? deadlineText(unit.acknowledgedAt) : ''}.`))}</strong></p>`;
  return frame(
    lang,
    title,
    `<h1>${e(title[lang])}${e(escalated)}</h1>
<p class="muted">${e(program.title[lang])}</p>
${summaryBody(lang, program, unit, results)}
${action}`,
    token,
  );
}

/** GET /return/{token}: the enterprise's form or the city's summary, or why not. */
export function returnPage(outcome: ReturnPageOutcome, lang: Lang): PageResult {
  switch (outcome.kind) {
    case 'form':
      return { status: 200, html: returnForm(lang, outcome) };
    case 'summary':
      return { status: 200, html: summaryPage(lang, outcome) };
    default:
      return refusal(outcome, lang);
  }
}

/** POST /return/{token}: the return or the acknowledgement recorded, or the form again (422), or why not. */
export function returnPostPage(outcome: ReturnPostOutcome, lang: Lang): PageResult {
  switch (outcome.kind) {
    case 'invalid':
      return { status: 422, html: returnForm(lang, outcome.form, outcome.issues, outcome.posted) };
    case 'sent': {
      const { members, left, nominated } = outcome;
      return message(
        lang,
        200,
        { zh: '已提交', en: 'Sent' },
        {
          zh: `已收到贵企业 ${members} 名人员的年度报告${left ? `，其中 ${left} 人已离岗` : ''}${nominated ? `，推荐 ${nominated} 人参加优秀评选` : ''}。谢谢！`,
          en: `Your return for ${members} people has been recorded${left ? `, ${left} of whom left the post` : ''}${nominated ? `, with ${nominated} nominated` : ''}. Thank you.`,
        },
      );
    }
    case 'acknowledged':
      return message(
        lang,
        200,
        { zh: '已确认', en: 'Acknowledged' },
        {
          zh: `已确认本单位年度报告汇总；${outcome.removals} 名人员将移出人才库，未报告企业已列入跟进名单。`,
          en: `The returns are acknowledged; ${outcome.removals} people leave the pool, and enterprises without a return are listed for follow-up.`,
        },
      );
    default:
      return refusal(outcome, lang);
  }
}

type Refusal = Extract<
  ReturnPageOutcome | ReturnPostOutcome,
  { kind: 'not_found' | 'expired' | 'answered' | 'refused' | 'already_acknowledged' }
>;

function refusal(outcome: Refusal, lang: Lang): PageResult {
  switch (outcome.kind) {
    case 'not_found':
      return NOT_FOUND(lang);
    case 'expired':
      return EXPIRED(lang, outcome.token);
    case 'answered':
      return ANSWERED(lang, outcome.token);
    case 'refused':
      return REFUSED(lang);
    case 'already_acknowledged':
      return ACKNOWLEDGED(lang);
  }
}
