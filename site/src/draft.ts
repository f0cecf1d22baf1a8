// The form's draft in localStorage: what was typed, the chosen programme, the consent time and
// the Idempotency-Key of this form fill (so a double click or a retry after a network error
// cannot file twice). Cleared after a successful submission. The ID number, phone numbers and
// e-mail addresses are never written to it (`NOT_IN_DRAFT`): they would stay in clear on a
// computer others may use.
import type { RawValues } from './check.ts';
import { NOT_IN_DRAFT } from './fields.ts';

const DRAFT_KEY = 'sso.filing.draft.v1';

export interface Draft {
  programId: string;
  values: RawValues;
  idempotencyKey: string;
  /** When the consent box was ticked, and for which notice version. */
  acceptedAt?: string;
  noticeVersion?: string;
  savedAt?: string;
}

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // outside a secure context randomUUID is missing; 16 random bytes do the same job
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function emptyDraft(): Draft {
  return { programId: '', values: {}, idempotencyKey: newIdempotencyKey() };
}

/** The values without the personal data the draft never keeps. */
function keptValues(values: RawValues): RawValues {
  return Object.fromEntries(Object.entries(values).filter(([path]) => !NOT_IN_DRAFT.has(path)));
}

export function loadDraft(): Draft | undefined {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    if (!raw) return undefined;
    const draft = JSON.parse(raw) as Partial<Draft>;
    if (
      typeof draft.idempotencyKey !== 'string' ||
      typeof draft.values !== 'object' ||
      draft.values === null
    ) {
      return undefined;
    }
    const loaded: Draft = {
      programId: typeof draft.programId === 'string' ? draft.programId : '',
      values: keptValues(draft.values),
      idempotencyKey: draft.idempotencyKey,
      ...(typeof draft.acceptedAt === 'string' ? { acceptedAt: draft.acceptedAt } : {}),
      ...(typeof draft.noticeVersion === 'string' ? { noticeVersion: draft.noticeVersion } : {}),
      ...(typeof draft.savedAt === 'string' ? { savedAt: draft.savedAt } : {}),
    };
    // A draft saved before these fields were left out still holds them: write it again without.
    if (Object.keys(draft.values).some((path) => NOT_IN_DRAFT.has(path))) {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(loaded));
    }
    return loaded;
  } catch {
    return undefined;
  }
}

export function saveDraft(draft: Draft): void {
  try {
    localStorage.setItem(
      DRAFT_KEY,
      JSON.stringify({ ...draft, values: keptValues(draft.values), savedAt: new Date().toISOString() }),
    );
  } catch {
    // storage full or disabled: the form still works, without a draft
  }
}

export function clearDraft(): void {
  try {
    localStorage.removeItem(DRAFT_KEY);
  } catch {
    // nothing stored
  }
}
