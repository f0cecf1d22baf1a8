// The grades of the annual assessment (programme config `assessment.grades`) and how one page's
// form is read: every member needs a grade the programme offers; 不合格 removes the person from
// the pool, so it needs a reason and an explicit confirmation ("确认淘汰") per person.
import type { Action } from '../../domain/lifecycle.ts';
import type { Program } from '../../domain/programs/program.ts';
import { checkText } from '../../domain/validation/safe-text.ts';
import type { Grade, GradeEntry, RosterMember } from './ports.ts';
import { GRADES } from './ports.ts';

export const GRADE_LABELS: Record<Grade, string> = {
  excellent: '优秀',
  qualified: '合格',
  basically_qualified: '基本合格',
  unqualified: '不合格',
};

/** The longest reason for 不合格: it becomes part of the removal event's reason. */
export const REASON_MAX = 200;

/** The lifecycle action a grade applies: 不合格 is removal (after the city's confirmation). */
export const actionOf = (grade: Grade): Action => (grade === 'unqualified' ? 'remove' : 'assess');

/** The audit event's reason: `年度考核 2025：合格`, with the city's words for 不合格. */
export function gradeReason(year: string, entry: GradeEntry): string {
  const base = `年度考核 ${year}：${GRADE_LABELS[entry.grade]}`;
  return entry.reason ? `${base}（${entry.reason}）` : base;
}

/** The grades this programme offers, in the configured order. */
export function programGrades(program: Program): Grade[] {
  return program.assessment.grades.filter((g): g is Grade => (GRADES as readonly string[]).includes(g));
}

export type GradingForm =
  | { ok: true; grades: Record<string, GradeEntry> }
  | { ok: false; error: string; missing: string[] };

/** Reads one page's form: `grade_<filingId>`, `reason_<filingId>`, `confirm_<filingId>=yes`. */
export function readGradingForm(
  program: Program,
  members: readonly RosterMember[],
  form: URLSearchParams,
): GradingForm {
  const offered = new Set<string>(programGrades(program));
  const grades: Record<string, GradeEntry> = {};
  const ungraded: string[] = [];
  const unconfirmed: string[] = [];
  // A reason too long or holding invisible or control characters is refused, never cut or kept.
  const refused: string[] = [];
  let refusal = '';
  for (const { filingId } of members) {
    const grade = form.get(`grade_${filingId}`) ?? '';
    if (!offered.has(grade)) {
      ungraded.push(filingId);
      continue;
    }
    if (grade !== 'unqualified') {
      grades[filingId] = { grade: grade as Grade };
      continue;
    }
    const checked = checkText(form.get(`reason_${filingId}`) ?? '', { prose: true, max: REASON_MAX });
    if (!checked.ok) {
      refused.push(filingId);
      refusal ||= checked.error.message.zh;
      continue;
    }
    const reason = checked.value;
    if (!reason || form.get(`confirm_${filingId}`) !== 'yes') {
      unconfirmed.push(filingId);
      continue;
    }
    grades[filingId] = { grade: grade as Grade, reason };
  }
  if (ungraded.length > 0) {
    return {
      ok: false,
      error: `请为每一位人员选择考核等次（还有 ${ungraded.length} 人未选）。`,
      missing: ungraded,
    };
  }
  if (unconfirmed.length > 0) {
    return {
      ok: false,
      error: '评为“不合格”的人员将移出人才库：请填写理由，并勾选“确认淘汰”。',
      missing: unconfirmed,
    };
  }
  if (refused.length > 0) {
    return { ok: false, error: `不合格的理由${refusal}。`, missing: refused };
  }
  return { ok: true, grades };
}
