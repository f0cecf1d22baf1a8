// Item type ReviewResume: province staff restarted a filing's review after its workflow failed
// for good. On the filing's partition (`FILING#id` / `RESUME#<nnn>`), one per restart, written
// only if the n-th does not exist yet: two staff restarting at once make one execution. It
// keeps the execution's name and input, so a repeated request starts the same execution (which
// changes nothing if it runs or ran) instead of a second one.
import type { ReviewResume } from '../ports/filings.ts';

export const RESUME_PREFIX = 'RESUME#';

export const resumeKey = (filingId: string, n: number) => ({
  pk: `FILING#${filingId}`,
  sk: `${RESUME_PREFIX}${String(n).padStart(3, '0')}`,
});

export function toResumeItem(filingId: string, resume: ReviewResume) {
  return { ...resumeKey(filingId, resume.n), type: 'ReviewResume' as const, filingId, ...resume };
}

export function fromResumeItem(item: Record<string, unknown>): ReviewResume {
  return {
    n: Number(item.n),
    at: String(item.at),
    failureAt: String(item.failureAt),
    executionName: String(item.executionName),
    input: String(item.input),
    subject: String(item.subject),
  };
}
