// The city grades its unit's pool members from an emailed link, page by page (one link, every
// page of the unit's batch). Mail scanners open links first, so GET only shows a page; the
// POST from it records that page's grades as a conditional write (the first one wins), and
// when the last page is in, the waiting workflow resumes. 不合格 needs a reason and an explicit
// "确认淘汰" per person: the removal happens when the workflow applies the graded batch.
// City links act only for their own unit; a link escalated to the province acts on the unit it names.

import { ConflictError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findRole, findUnit, type Program } from '../../domain/programs/program.ts';
import { escapeHtml, page as frame } from '../../http/html.ts';
import { logger } from '../../observability/logger.ts';
import type { TaskCallbacks } from '../../ports/workflow.ts';
import { hashLinkToken, LINK_TOKEN_PATTERN } from '../workflow/links.ts';
import { GRADE_LABELS, programGrades, REASON_MAX, readGradingForm } from './grades.ts';
import type { AssessmentLink, AssessmentPage, AssessmentStore, GradeEntry, UnitAssessment } from './ports.ts';

export interface GradingDeps {
  store: AssessmentStore;
  tasks: TaskCallbacks;
  now?: () => Date;
}

export interface PageResult {
  status: number;
  html: string;
}

const clock = (deps: GradingDeps) => (deps.now ?? (() => new Date()))();

function message(status: number, title: string, text: string, extra = ''): PageResult {
  return {
    status,
    html: frame(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${extra}`),
  };
}

const NOT_FOUND = () => message(404, '链接无效', '该考核链接不存在或已失效。请使用邮件中的最新链接。');
const EXPIRED = () => message(410, '链接已过期', '该考核链接已过期，考核事项已转交或结束。');
const HANDLED = (what: string) => message(409, '该事项已处理', `${what}，无需重复操作。`);

const BUTTON_STYLE = 'style="font-size:1.1rem;padding:.7rem 1.4rem;margin-top:1rem;min-height:44px"';

interface Resolved {
  link: AssessmentLink;
  unit: UnitAssessment;
  program: Program;
}

async function resolve(deps: GradingDeps, token: string): Promise<Resolved | PageResult> {
  if (!LINK_TOKEN_PATTERN.test(token)) return NOT_FOUND();
  const link = await deps.store.getLink(hashLinkToken(token));
  if (!link) return NOT_FOUND();
  if (Date.parse(link.expiresAt) <= clock(deps).getTime()) return EXPIRED();
  if (link.reviewer.role === 'city' && link.reviewer.unit !== link.unit) return NOT_FOUND();
  const unit = await deps.store.getUnit(link.programId, link.year, link.unit);
  if (!unit) return NOT_FOUND();
  if (unit.status === 'failed') return EXPIRED();
  if (unit.status !== 'open' || unit.pagesDecided >= unit.pageCount) {
    return HANDLED(`${link.year} 年度考核结果已全部提交`);
  }
  return { link, unit, program: getProgram(link.programId) };
}

const pageUrl = (token: string, n: number) => `/assessment/${token}?page=${n}`;

function decidedPages(unit: UnitAssessment): Set<number> {
  return new Set(unit.decidedPages ?? []);
}

function nav(token: string, unit: UnitAssessment, current?: number): string {
  if (unit.pageCount <= 1) return '';
  const done = decidedPages(unit);
  const items = Array.from({ length: unit.pageCount }, (_v, i) => i + 1).map((n) => {
    const label = `第 ${n} 页${done.has(n) ? '（已提交）' : ''}`;
    return n === current
      ? `<li><strong>${escapeHtml(label)}</strong></li>`
      : `<li><a href="${escapeHtml(pageUrl(token, n))}">${escapeHtml(label)}</a></li>`;
  });
  return `<nav aria-label="分页"><ul style="display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;list-style:none;padding:0">${items.join('')}</ul></nav>`;
}

function firstOpenPage(unit: UnitAssessment): number {
  const done = decidedPages(unit);
  for (let n = 1; n <= unit.pageCount; n++) if (!done.has(n)) return n;
  return 1;
}

function gradingForm(
  token: string,
  { link, unit, program }: Resolved,
  page: AssessmentPage,
  error?: { text: string; missing: string[] },
  form?: URLSearchParams,
): string {
  const unitName = findUnit(program, link.unit)?.name.zh ?? link.unit;
  const grades = programGrades(program);
  const offset = (page.page - 1) * unit.pageSize;
  const missing = new Set(error?.missing ?? []);
  const escalated = link.reviewer.role === 'province' ? '（已转交省局处理）' : '';
  const rows = page.members
    .map((m, i) => {
      const id = escapeHtml(m.filingId);
      const chosen = form?.get(`grade_${m.filingId}`) ?? '';
      const reason = form?.get(`reason_${m.filingId}`) ?? '';
      const confirmed = form?.get(`confirm_${m.filingId}`) === 'yes';
      const role = findRole(program, m.role)?.name.zh ?? m.role;
      return `<fieldset id="m_${id}" style="margin:1rem 0;${missing.has(m.filingId) ? 'border-color:#b00020' : ''}">
<legend>${offset + i + 1}. ${escapeHtml(m.name)} · ${escapeHtml(role)} · ${escapeHtml(m.enterprise)}</legend>
<p class="muted">备案编号 <code>${id}</code></p>
${grades
  .map(
    (g) =>
      `<label style="display:inline-block;margin:.3rem 1.2rem .3rem 0;min-height:44px"><input type="radio" name="grade_${id}" value="${g}" required${chosen === g ? ' checked' : ''}> ${escapeHtml(GRADE_LABELS[g])}</label>`,
  )
  .join('')}
<p><label for="reason_${id}">不合格的理由（评为不合格时必填）</label><br>
<input id="reason_${id}" name="reason_${id}" style="width:100%" maxlength="${REASON_MAX}" value="${escapeHtml(reason)}"></p>
<p><label style="min-height:44px;display:inline-block"><input type="checkbox" name="confirm_${id}" value="yes"${confirmed ? ' checked' : ''}> 确认淘汰（评为不合格时必须勾选：该人员将移出人才库）</label></p>
</fieldset>`;
    })
    .join('\n');
  return frame(
    '年度考核',
    `<h1>${escapeHtml(program.title.zh)} · ${escapeHtml(link.year)} 年度考核 · ${escapeHtml(unitName)}${escapeHtml(escalated)}</h1>
<p class="muted">本单位人才库成员共 ${unit.members} 人，分 ${unit.pageCount} 页，已提交 ${unit.pagesDecided} 页。打开本页不会改变任何状态，只有点击下方“提交”才会生效；每页提交一次，提交后不可更改。</p>
<p>考核等次：${grades.map((g) => escapeHtml(GRADE_LABELS[g])).join(' / ')}。评为“不合格”的人员，须填写理由并勾选“确认淘汰”，在本单位全部提交后移出人才库。</p>
${nav(token, unit, page.page)}
${error ? `<p role="alert" style="color:#b00020"><strong>${escapeHtml(error.text)}</strong></p>` : ''}
<form method="post" action="${escapeHtml(`/assessment/${token}`)}">
<input type="hidden" name="page" value="${page.page}">
<h2>第 ${page.page} 页（${page.members.length} 人）</h2>
${rows}
<button type="submit" ${BUTTON_STYLE}>提交第 ${page.page} 页考核结果</button>
</form>`,
  );
}

function pageNumber(value: string | null | undefined, unit: UnitAssessment): number | undefined {
  if (value === undefined || value === null || value === '') return firstOpenPage(unit);
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= unit.pageCount ? n : undefined;
}

/** GET /assessment/{token}[?page=n]: one page of the unit's batch. Never changes anything. */
export async function gradingPage(deps: GradingDeps, token: string, pageParam?: string): Promise<PageResult> {
  const resolved = await resolve(deps, token);
  if ('status' in resolved) return resolved;
  const { link, unit } = resolved;
  const n = pageNumber(pageParam, unit);
  const page = n ? await deps.store.getPage(link.programId, link.year, link.unit, n) : undefined;
  if (!page) return NOT_FOUND();
  if (page.decidedAt) {
    const extra = nav(token, unit);
    return message(409, '该页已提交', `第 ${page.page} 页的考核结果已提交，无需重复操作。`, extra);
  }
  return { status: 200, html: gradingForm(token, resolved, page) };
}

/** POST /assessment/{token}: one page's grades, conditional on being the first. */
export async function gradePage(
  deps: GradingDeps,
  token: string,
  form: URLSearchParams,
): Promise<PageResult> {
  const resolved = await resolve(deps, token);
  if ('status' in resolved) return resolved;
  const { link, unit, program } = resolved;
  const n = pageNumber(form.get('page'), unit);
  const page = n ? await deps.store.getPage(link.programId, link.year, link.unit, n) : undefined;
  if (!page) return NOT_FOUND();
  if (page.decidedAt) return HANDLED(`第 ${page.page} 页的考核结果已提交`);
  const read = readGradingForm(program, page.members, form);
  if (!read.ok) {
    return {
      status: 422,
      html: gradingForm(token, resolved, page, { text: read.error, missing: read.missing }, form),
    };
  }
  let after: UnitAssessment;
  try {
    after = await deps.store.decidePage(link.programId, link.year, link.unit, page.page, {
      grades: read.grades,
      at: clock(deps).toISOString(),
      by: link.reviewer,
    });
  } catch (error) {
    if (error instanceof ConflictError) {
      return error.code === 'already_decided'
        ? HANDLED(`第 ${page.page} 页的考核结果已提交`)
        : HANDLED(`${link.year} 年度考核已结束`);
    }
    throw error;
  }
  const complete = after.pagesDecided >= after.pageCount;
  if (complete && after.taskToken) {
    await deps.tasks
      .succeed(after.taskToken, { gradedAt: clock(deps).toISOString() })
      .catch((error: Error) => {
        // The wait was being re-opened (a reminder) or timed out: it finds every page graded and goes on.
        logger.warn('task callback failed; the grades stay recorded', {
          programId: link.programId,
          unit: link.unit,
          error: error.name,
        });
      });
  }
  return { status: 200, html: submitted(token, after, page, read.grades) };
}

function submitted(
  token: string,
  unit: UnitAssessment,
  page: AssessmentPage,
  grades: Record<string, GradeEntry>,
): string {
  const removed = Object.values(grades).filter((g) => g.grade === 'unqualified').length;
  const next = firstOpenPage(unit);
  const rest =
    unit.pagesDecided >= unit.pageCount
      ? '<p>本单位的考核结果已全部提交，系统将据此更新人才库（不合格人员移出人才库）。</p>'
      : `<p>还有 ${unit.pageCount - unit.pagesDecided} 页未提交。</p><p><a href="${escapeHtml(pageUrl(token, next))}" ${BUTTON_STYLE}>继续第 ${next} 页</a></p>`;
  return frame(
    '已提交',
    `<h1>已提交第 ${page.page} 页考核结果</h1><p>本页 ${page.members.length} 人${removed ? `，其中 ${removed} 人评为不合格（确认淘汰）` : ''}。</p>${rest}`,
  );
}
