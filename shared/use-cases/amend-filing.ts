// Amend a filing after the city asked for changes: the corrected filing is checked by the
// same rules and replaces the stored one, and the filing goes back to city review, in one
// transaction. At any other time there is nothing to amend (409).
import type { KeyedHasher } from '../data/field-crypto.ts';
import { requireEligible } from '../domain/eligibility.ts';
import { ConflictError, InvalidTransitionError } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { getProgram } from '../domain/programs/index.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { FilingRepository } from '../ports/filings.ts';
import type { FilingWorkflow } from '../ports/workflow.ts';
import { statusView } from './filing-status.ts';
import { requireReceipt } from './receipt.ts';

export async function amendFiling(
  deps: { repo: FilingRepository; hasher: KeyedHasher; workflow: FilingWorkflow; now?: () => Date },
  input: { filingId: string; receipt: string | undefined; filing: Filing },
) {
  await requireReceipt(deps.hasher, input.filingId, input.receipt);
  const now = (deps.now ?? (() => new Date()))();
  const current = await deps.repo.get(input.filingId);
  if (current.state !== 'changes_requested')
    throw new InvalidTransitionError(current.state, 'resubmit', 'applicant');
  if (input.filing.role !== current.filing.role) {
    throw new ConflictError('role_change', {
      zh: '修改备案时不能更换岗位，请撤回后重新备案',
      en: 'the role cannot change in an amendment; withdraw and file again',
    });
  }
  const program = getProgram(current.programId);
  const warnings = requireEligible(program, input.filing, { today: shanghaiDate(now) });
  await deps.repo.transition({
    filingId: input.filingId,
    expected: { state: current.state, version: current.version },
    action: 'resubmit',
    actor: { role: 'applicant' },
    at: now.toISOString(),
    amended: { filing: input.filing, warnings },
  });
  // The workflow waits for this amendment; it goes back to city review.
  await deps.workflow.filingAmended(input.filingId);
  const [record, history] = await Promise.all([
    deps.repo.get(input.filingId),
    deps.repo.history(input.filingId),
  ]);
  return statusView(record, history);
}
