// The attachment steps shared by submit and amend: check what the filing refers to (the
// programme's required kinds, keys we issued, and each stored object's size and first bytes),
// plan where each upload is kept under the filing, and carry the plan out. Copies are
// idempotent (a retry with the same Idempotency-Key finds them done), and an upload is removed
// once its copy is safe (the bucket's lifecycle rule removes whatever is left after a day).
import {
  type AttachmentRef,
  attachmentObjectIssue,
  attachmentRefIssues,
  filingAttachmentKey,
  parseUploadKey,
} from '../domain/attachments.ts';
import type { FieldIssue } from '../domain/errors.ts';
import type { Program } from '../domain/programs/program.ts';
import { logger } from '../observability/logger.ts';
import type { AttachmentStore } from '../ports/attachments.ts';

export interface AttachmentPlan {
  /** The attachments as the filing keeps them: every key under the filing. */
  stored: AttachmentRef[];
  /** Uploads to copy under the filing. */
  copies: { from: string; to: string }[];
}

/** Every issue with the filing's attachments (none: the plan can be carried out). */
export async function checkAttachments(
  store: AttachmentStore,
  program: Program,
  filingId: string,
  attachments: readonly AttachmentRef[],
  current?: readonly AttachmentRef[],
): Promise<{ issues: FieldIssue[]; plan: AttachmentPlan }> {
  const issues = attachmentRefIssues(program.requiredAttachments, attachments, {
    programId: program.id,
    ...(current ? { current } : {}),
  });
  const badKeys = new Set(issues.map((i) => i.path));
  const plan: AttachmentPlan = { stored: [], copies: [] };
  const checks = attachments.map(async (ref, i) => {
    if (badKeys.has(`attachments.${i}.key`)) return undefined;
    if (!parseUploadKey(ref.key)) {
      plan.stored[i] = ref; // kept from the filing as it was (amendment)
      return undefined;
    }
    const to = filingAttachmentKey(filingId, ref.kind, ref.key);
    plan.stored[i] = { ...ref, key: to };
    plan.copies.push({ from: ref.key, to });
    // A retried submission may find its upload already moved under the filing.
    const facts = (await store.inspect(ref.key)) ?? (await store.inspect(to));
    return attachmentObjectIssue(i, ref, facts);
  });
  for (const issue of await Promise.all(checks)) if (issue) issues.push(issue);
  plan.stored = plan.stored.filter(Boolean);
  return { issues, plan };
}

/** Copies the uploads under the filing (idempotent). */
export async function copyUploads(store: AttachmentStore, plan: AttachmentPlan): Promise<void> {
  // Every copy settled before a failure is reported: the caller then deletes the copies, and a
  // copy still under way when one failed would land after that delete, a document of nobody.
  const outcomes = await Promise.allSettled(plan.copies.map(({ from, to }) => store.copy(from, to)));
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Deletes objects the filing no longer needs; a failure is logged (lifecycle or purge finish it). */
export async function deleteQuietly(store: AttachmentStore, keys: string[], filingId: string): Promise<void> {
  if (keys.length === 0) return;
  try {
    await store.delete(keys);
  } catch (error) {
    logger.warn('attachment objects not deleted', {
      filingId,
      count: keys.length,
      error: (error as Error).name,
    });
  }
}
