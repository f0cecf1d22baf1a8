// Amend a filing after the city asked for changes: the corrected filing is checked by the
// same rules and replaces the stored one, and the filing goes back to city review, in one
// transaction with the outbox item that answers the workflow's amendment wait (delivered from
// the table's stream, see docs/outbox.md). At any other time there is nothing to amend (409). Attachments may be kept
// (the filing's own keys) or replaced by new uploads, which are copied under the filing
// before the transaction; if it fails they are removed again, and once it succeeds the
// replaced documents are deleted.

import { assessFiling } from '../domain/eligibility.ts';
import { ConflictError, InvalidTransitionError, ValidationError } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { getProgram } from '../domain/programs/index.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import type { EnterpriseIndex, FilingRepository } from '../ports/filings.ts';
import type { TrainingStore } from '../ports/training.ts';
import { checkAttachments, copyUploads, deleteQuietly } from './attachments.ts';
import { statusView } from './filing-status.ts';
import { requireReceipt } from './receipt.ts';
import { checkTraining } from './training/verify-training.ts';

export async function amendFiling(
  deps: {
    repo: FilingRepository;
    enterprises: EnterpriseIndex;
    hasher: KeyedHasher;
    attachments: AttachmentStore;
    now?: () => Date;
    /** The training pass lists the amended certificate is matched against (as at submission). */
    training?: TrainingStore;
  },
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
  const assessed = assessFiling(program, input.filing, {
    today: shanghaiDate(now),
    noticeVersion: program.privacyNotice.version,
    // The filing itself is in its enterprise's index: it does not count against itself.
    activeInEnterpriseByRole: await deps.enterprises.activeByRole(
      program.id,
      input.filing.enterprise.uscc,
      input.filingId,
    ),
  });
  const training = deps.training
    ? await checkTraining(deps.training, deps.hasher, program, input.filing)
    : { warnings: [], errors: [] };
  const errors = [...assessed.errors, ...training.errors];
  const warnings = [...assessed.warnings, ...training.warnings];
  const before = current.filing.attachments ?? [];
  const { issues, plan } = await checkAttachments(
    deps.attachments,
    program,
    input.filingId,
    input.filing.attachments ?? [],
    before,
  );
  if (errors.length > 0 || issues.length > 0) throw new ValidationError([...errors, ...issues]);
  await copyUploads(deps.attachments, plan);
  try {
    await deps.repo.transition({
      filingId: input.filingId,
      expected: { state: current.state, version: current.version },
      action: 'resubmit',
      actor: { role: 'applicant' },
      at: now.toISOString(),
      amended: { filing: { ...input.filing, attachments: plan.stored }, warnings },
      // The workflow waits for this amendment: the stream answers its wait, back to city review.
      outbox: ['review.amended'],
    });
  } catch (error) {
    // Refused (another amendment won, or the state moved on): keep only what the filing refers to.
    const stored = await deps.repo.get(input.filingId).catch(() => undefined);
    if (stored) {
      const kept = new Set((stored.filing.attachments ?? []).map((a) => a.key));
      await deleteQuietly(
        deps.attachments,
        plan.copies.map((c) => c.to).filter((key) => !kept.has(key)),
        input.filingId,
      );
    }
    throw error;
  }
  const referenced = new Set(plan.stored.map((a) => a.key));
  await deleteQuietly(
    deps.attachments,
    [...plan.copies.map((c) => c.from), ...before.map((a) => a.key).filter((key) => !referenced.has(key))],
    input.filingId,
  );
  const [record, history] = await Promise.all([
    deps.repo.get(input.filingId),
    deps.repo.history(input.filingId),
  ]);
  return statusView(record, history);
}
