// The filing API as the site sees it. The API base URL comes from config.json at the site's
// root ({ "apiBase": "" } = same origin), so the site can be hosted apart from the API.
import type { Text } from './i18n.ts';

export interface RoleSummary {
  id: string;
  name: Text;
}

export interface ProgramSummary {
  id: string;
  title: Text;
  province: Text | string;
  authority: Text;
  roles: RoleSummary[];
}

export interface ProgramFacts {
  id: string;
  title: Text;
  roles: { id: string; name: Text; description?: Text; usualPerEnterprise?: number; duties?: Text[] }[];
  /** The programme's own names: its filing form's title and annex, its unit and years fields. */
  documents?: {
    filing: { title: Text; annex?: string };
    unitLabel: Text;
    yearsLabel: Text;
  };
  reportingUnits: { code: string; name: Text; official: boolean; kind: string }[];
  fieldRules: { id: string; roles: string[]; severity: 'hard' | 'soft'; path: string; message: Text }[];
  filingSchema: Record<string, unknown>;
  privacyNotice: { version: string; text: Text };
  /** The documents the form uploads; absent from an older API. */
  attachments?: {
    kinds: { id: string; name: Text; required: boolean }[];
    contentTypes: string[];
    maxBytes: number;
  };
}

/** How a filing refers to an uploaded document. */
export interface AttachmentRef {
  kind: string;
  key: string;
  contentType: string;
  filename: string;
}

export interface PresignedUpload {
  key: string;
  url: string;
  fields: Record<string, string>;
  maxBytes: number;
  expiresAt: string;
}

export interface FieldError {
  path: string;
  code: string;
  message: Text;
}

export interface Created {
  filingId: string;
  receiptToken: string;
  status: string;
  warnings: FieldError[];
  statusUrl: string;
}

export interface HistoryEntry {
  at: string;
  action: string;
  from: string | null;
  to: string;
  /** The action's words, from the API (absent from older answers). */
  actionLabel?: Text;
  by: string;
  reason?: string;
}

export interface FilingStatus {
  filingId: string;
  status: string;
  statusLabel: Text;
  submittedAt: string;
  summary: {
    name: string;
    role: { id: string; name?: Text };
    /** `authority`: the bureau that reviews the unit's filings (沈阳市市场监督管理局). */
    reportingUnit: { code: string; name?: Text; authority?: Text };
    enterprise: string;
    uscc: string;
    idNumber: string;
    mobile: string;
    email: string;
  };
  history: HistoryEntry[];
  comments: { at: string; action: string; by: string; text: string }[];
  warnings: FieldError[];
  /** The bureau each staff role of the history and comments stands for on this filing. */
  authorities?: { city?: Text; province?: Text };
  /** The pool member's filing this one replaces on inclusion. */
  supersedes?: string;
  /** What the enterprise may still report on this filing. */
  departures?: { leftPost: boolean; consentWithdrawal: boolean };
}

/** An answer other than 2xx: its status and the API's error list (empty if there was none). */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[];
  constructor(status: number, errors: FieldError[]) {
    super(`HTTP ${status}`);
    this.status = status;
    this.errors = errors;
  }
}

let apiBase: Promise<string> | undefined;

export function getApiBase(): Promise<string> {
  apiBase ??= fetch('config.json', { cache: 'no-cache' })
    .then((res): Promise<{ apiBase?: unknown }> | { apiBase?: unknown } => (res.ok ? res.json() : {}))
    .then((config) => (typeof config.apiBase === 'string' ? config.apiBase.replace(/\/+$/, '') : ''))
    .catch(() => '');
  return apiBase;
}

async function call<T>(method: 'GET' | 'POST', path: string, init: RequestInit = {}): Promise<T> {
  const base = await getApiBase();
  const res = await fetch(`${base}${path}`, {
    ...init,
    method,
    mode: 'cors',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const errors = (body as { errors?: unknown } | undefined)?.errors;
    throw new ApiError(res.status, Array.isArray(errors) ? (errors as FieldError[]) : []);
  }
  return body as T;
}

export function listPrograms(): Promise<{ programs: ProgramSummary[] }> {
  return call('GET', '/programs');
}

export function programFacts(id: string): Promise<ProgramFacts> {
  return call('GET', `/programs/${encodeURIComponent(id)}`);
}

export function submitFiling(programId: string, body: unknown, idempotencyKey: string): Promise<Created> {
  return call('POST', `/programs/${encodeURIComponent(programId)}/filings`, {
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
}

/** Step 1 of attaching a document: a presigned POST for it. */
export function presignUpload(
  programId: string,
  request: { kind: string; contentType: string; size: number },
): Promise<PresignedUpload> {
  return call('POST', `/programs/${encodeURIComponent(programId)}/uploads`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
}

/** Step 2: the file goes straight to the bucket (multipart form: the policy's fields, then the file). */
export async function uploadFile(upload: PresignedUpload, file: Blob, filename: string): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', file, filename);
  const res = await fetch(upload.url, {
    method: 'POST',
    body: form,
    mode: 'cors',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (!res.ok) throw new ApiError(res.status, []);
}

export function filingStatus(filingId: string, receiptToken: string): Promise<FilingStatus> {
  return call('GET', `/filings/${encodeURIComponent(filingId)}`, {
    headers: { authorization: `Receipt ${receiptToken}` },
  });
}

/** The enterprise reports that the person left the post, or the person withdraws consent. */
export function reportDeparture(
  filingId: string,
  receiptToken: string,
  body: { kind: 'left_post'; leftOn: string; reason: string; note?: string } | { kind: 'consent_withdrawn' },
): Promise<FilingStatus> {
  return call('POST', `/filings/${encodeURIComponent(filingId)}/departure`, {
    headers: { authorization: `Receipt ${receiptToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

// ---- the receipt in the URL fragment (never the query: it is not sent to servers or logs) ----

export interface ReceiptRef {
  filingId: string;
  receiptToken: string;
}

export function readFragment(hash = location.hash): ReceiptRef | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const filingId = params.get('f')?.trim();
  const receiptToken = params.get('r')?.trim();
  return filingId && receiptToken ? { filingId, receiptToken } : undefined;
}

export function fragmentFor(ref: ReceiptRef): string {
  return `#${new URLSearchParams({ f: ref.filingId, r: ref.receiptToken }).toString()}`;
}

/** What the receipt page shows right after submitting (kept for this tab only). */
export interface ReceiptNote {
  status: string;
  warnings: FieldError[];
}

const noteKey = (filingId: string) => `sso.receipt.${filingId}`;

export function keepReceiptNote(filingId: string, note: ReceiptNote): void {
  try {
    sessionStorage.setItem(noteKey(filingId), JSON.stringify(note));
  } catch {
    // storage disabled: the receipt page asks the API instead
  }
}

export function readReceiptNote(filingId: string): ReceiptNote | undefined {
  try {
    const raw = sessionStorage.getItem(noteKey(filingId));
    return raw ? (JSON.parse(raw) as ReceiptNote) : undefined;
  } catch {
    return undefined;
  }
}
