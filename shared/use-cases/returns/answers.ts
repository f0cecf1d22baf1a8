// Reading an enterprise's return from its form, and summing a unit's returns. For each of its
// people the enterprise says whether the person is still in post and, where the programme has
// a scale (Liaoning: 优秀 / 合格 / 不合格), its own result; it may nominate a person for the
// province's 优秀评选 with a short reason (where the scale has 优秀, only a person it rated 优秀).
// A form that names a person who is not the enterprise's is refused whole: nothing is kept.
import type { Program } from '../../domain/programs/program.ts';
import { checkText } from '../../domain/validation/safe-text.ts';
import type {
  EnterpriseReturn,
  FollowUp,
  Nominee,
  PersonAnswer,
  Removal,
  Result,
  UnitResults,
} from '../../ports/returns.ts';
import { RESULTS } from '../../ports/returns.ts';

/** The longest nomination reason (it goes to the province's list as written). */
export const NOMINATION_REASON_MAX = 200;

/** The reasons the removals carry in the filing's history. */
export const REMOVAL_REASONS = {
  unqualified: '年度考核不合格（淘汰）',
  left: '已离岗（退出）',
} as const;

/** One refusal, on the person it concerns (or the whole form when `filingId` is absent). */
export interface AnswerIssue {
  filingId?: string;
  code: string;
  message: { zh: string; en: string };
}

export type ReadReturn =
  | { ok: true; answers: Record<string, PersonAnswer> }
  | { ok: false; issues: AnswerIssue[] };

/** The scale the programme's enterprises answer with (empty: only still in post). */
export function programResults(program: Program): Result[] {
  return RESULTS.filter((r) => program.assessment.grades.includes(r));
}

const PERSON_FIELD = /^(inpost|result|nominate|reason)_(.+)$/;

export function readReturnForm(
  program: Program,
  enterprise: Pick<EnterpriseReturn, 'members'>,
  form: URLSearchParams,
): ReadReturn {
  const scale = programResults(program);
  const ours = new Set(enterprise.members.map((m) => m.filingId));
  const issues: AnswerIssue[] = [];
  for (const key of new Set(form.keys())) {
    const match = PERSON_FIELD.exec(key);
    if (match && !ours.has(match[2] ?? '')) {
      return {
        ok: false,
        issues: [
          {
            code: 'not_this_enterprise',
            message: {
              zh: '表单包含不属于本企业的人员，未作任何记录',
              en: 'the form names a person who is not this enterprise’s; nothing was recorded',
            },
          },
        ],
      };
    }
  }
  const answers: Record<string, PersonAnswer> = {};
  for (const { filingId } of enterprise.members) {
    const issue = (code: string, zh: string, en: string) =>
      issues.push({ filingId, code, message: { zh, en } });
    const inPost = form.get(`inpost_${filingId}`);
    if (inPost !== 'yes' && inPost !== 'no') {
      issue('in_post_required', '请选择是否仍在岗', 'say whether the person is still in post');
      continue;
    }
    const answer: PersonAnswer = { inPost: inPost === 'yes' };
    if (answer.inPost && scale.length > 0) {
      const result = form.get(`result_${filingId}`) ?? '';
      if (!(scale as string[]).includes(result)) {
        issue('result_required', '请选择考核结果', 'choose the result');
        continue;
      }
      answer.result = result as Result;
    }
    if (form.get(`nominate_${filingId}`) === 'yes') {
      if (!answer.inPost) {
        issue(
          'nominee_left',
          '已离岗人员不能推荐参加优秀评选',
          'a person who left the post cannot be nominated',
        );
        continue;
      }
      if (scale.includes('excellent') && answer.result !== 'excellent') {
        issue(
          'nominee_not_excellent',
          '只有考核结果为“优秀”的人员可推荐参加优秀评选',
          'only a person rated Excellent may be nominated',
        );
        continue;
      }
      const reason = checkText(form.get(`reason_${filingId}`) ?? '', {
        prose: true,
        min: 1,
        max: NOMINATION_REASON_MAX,
      });
      if (!reason.ok) {
        issue(
          reason.error.code,
          `推荐理由${reason.error.message.zh}`,
          `the nomination reason ${reason.error.message.en}`,
        );
        continue;
      }
      answer.nomination = { reason: reason.value };
    }
    answers[filingId] = answer;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, answers };
}

const zeroResults = (): Record<Result, number> =>
  Object.fromEntries(RESULTS.map((r) => [r, 0])) as Record<Result, number>;

/** A unit's returns summed up when the collection closes: counts, removals, nominees, the follow-up list. */
export function unitResults(unit: string, enterprises: readonly EnterpriseReturn[]): UnitResults {
  const results: UnitResults = {
    enterprises: enterprises.length,
    answered: 0,
    responded: [],
    members: 0,
    inPost: 0,
    left: 0,
    results: zeroResults(),
    removals: [],
    nominees: [],
    followUp: [],
  };
  for (const e of enterprises) {
    results.members += e.members.length;
    if (!e.answeredAt || !e.answers) {
      const followUp: FollowUp = {
        uscc: e.uscc,
        enterprise: e.name,
        members: e.members.length,
        unreachable: e.recipients.length === 0,
      };
      results.followUp.push(followUp);
      continue;
    }
    results.answered++;
    results.responded.push({
      uscc: e.uscc,
      enterprise: e.name,
      members: e.members.length,
      answeredAt: e.answeredAt,
    });
    for (const m of e.members) {
      const a = e.answers[m.filingId];
      if (!a) continue;
      const who = { filingId: m.filingId, name: m.name, role: m.role, uscc: e.uscc, enterprise: e.name };
      if (!a.inPost) {
        results.left++;
        results.removals.push({ ...who, cause: 'left' } satisfies Removal);
        continue;
      }
      results.inPost++;
      if (a.result) results.results[a.result]++;
      if (a.result === 'unqualified') results.removals.push({ ...who, cause: 'unqualified' });
      if (a.nomination) {
        results.nominees.push({
          ...who,
          unit,
          reason: a.nomination.reason,
          ...(a.result ? { result: a.result } : {}),
        } satisfies Nominee);
      }
    }
  }
  return results;
}
