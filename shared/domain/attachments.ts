// Attachments of a filing (附件): the enterprise's stamped endorsement (企业意见, 盖章) and the
// appointment document (聘任文件), each a PDF, JPEG or PNG of at most 5 MB. The browser uploads
// straight to the bucket under a key our API issued (`uploads/<programId>/<token>`); at submit
// the object is checked (size, first bytes against the declared type) and copied under the
// filing (`filings/<filingId>/<kind>-<token>`), which is the key the filing keeps. Uploads no
// filing refers to expire after a day (the bucket's lifecycle rule). Key shapes, limits and
// the checks live here; the S3 calls are behind the AttachmentStore port.
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { FieldIssue, LocalizedMessage } from './errors.ts';
import { base32 } from './ids.ts';

export const ATTACHMENT_KINDS = ['endorsement', 'appointment'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** The largest file accepted (the upload policy's `content-length-range` and the check at submit). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** Bucket layout: where browsers upload, where a filing's documents live. */
export const UPLOAD_PREFIX = 'uploads/';
export const FILING_PREFIX = 'filings/';
/** An upload no filing referred to is deleted after this many days (lifecycle rule). */
export const UPLOAD_EXPIRY_DAYS = 1;
/** How long a presigned upload (POST) stays usable. */
export const UPLOAD_URL_SECONDS = 10 * 60;
/** How long a reviewer's view link (presigned GET) stays usable: minutes, never emailed. */
export const VIEW_URL_SECONDS = 5 * 60;

export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, LocalizedMessage> = {
  endorsement: { zh: '企业意见（盖章）', en: 'enterprise endorsement (stamped)' },
  appointment: { zh: '聘任文件', en: 'appointment document' },
};

export const ATTACHMENT_TYPE_LABELS: Record<AttachmentType, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
};

/** An attachment as a filing refers to it. */
export interface AttachmentRef {
  kind: AttachmentKind;
  key: string;
  contentType: AttachmentType;
  filename: string;
}

/** 128 random bits, Crockford base32. */
const TOKEN = '[0-9A-HJKMNP-TV-Z]{26}';
export const UPLOAD_KEY_PATTERN = new RegExp(`^uploads/([a-z][a-z0-9_-]{1,40})/(${TOKEN})$`);
export const FILING_KEY_PATTERN = new RegExp(
  `^filings/(F[0-9A-HJKMNP-TV-Z]{13})/(${ATTACHMENT_KINDS.join('|')})-(${TOKEN})$`,
);
/** Either shape: a fresh upload, or (when amending) a document the filing already has. */
export const ATTACHMENT_KEY_PATTERN = new RegExp(`${UPLOAD_KEY_PATTERN.source}|${FILING_KEY_PATTERN.source}`);

export function newUploadKey(programId: string): string {
  return `${UPLOAD_PREFIX}${programId}/${base32(randomBytes(17), 26)}`;
}

export function parseUploadKey(key: string): { programId: string; token: string } | undefined {
  const match = UPLOAD_KEY_PATTERN.exec(key);
  return match?.[1] && match[2] ? { programId: match[1], token: match[2] } : undefined;
}

/** Where an upload is kept once a filing refers to it (deterministic, so the copy is idempotent). */
export function filingAttachmentKey(filingId: string, kind: AttachmentKind, uploadKey: string): string {
  const token = parseUploadKey(uploadKey)?.token;
  if (!token) throw new Error('not an upload key');
  return `${FILING_PREFIX}${filingId}/${kind}-${token}`;
}

export function filingPrefix(filingId: string): string {
  return `${FILING_PREFIX}${filingId}/`;
}

const MAGIC: Record<AttachmentType, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

/** The type the first bytes of a file show, if it is one we accept. */
export function sniffType(head: Uint8Array): AttachmentType | undefined {
  return ATTACHMENT_TYPES.find((type) => MAGIC[type].every((byte, i) => head[i] === byte));
}

/** How many first bytes sniffing needs (a ranged GET of bytes=0-15 is plenty). */
export const SNIFF_BYTES = 16;

const issue = (path: string, code: string, zh: string, en: string): FieldIssue => ({
  path,
  code,
  message: { zh: `附件：${zh}`, en: `attachments: ${en}` },
});

/**
 * Checks of the references alone (no storage): every required kind present, one document per
 * kind, upload keys issued for this programme, and kept keys that belong to this filing.
 */
export function attachmentRefIssues(
  required: readonly AttachmentKind[],
  attachments: readonly AttachmentRef[],
  context: { programId: string; current?: readonly AttachmentRef[] },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<AttachmentKind>();
  for (const [i, a] of attachments.entries()) {
    const label = ATTACHMENT_KIND_LABELS[a.kind];
    if (seen.has(a.kind)) {
      issues.push(
        issue(
          `attachments.${i}`,
          'attachment_duplicate',
          `${label.zh}只能上传一份`,
          `only one ${label.en} may be attached`,
        ),
      );
    }
    seen.add(a.kind);
    const upload = parseUploadKey(a.key);
    const kept = context.current?.find((c) => c.key === a.key && c.kind === a.kind);
    if (upload ? upload.programId !== context.programId : !kept) {
      issues.push(
        issue(
          `attachments.${i}.key`,
          'attachment_key',
          `${label.zh}的上传地址无效，请重新上传`,
          `the ${label.en} was not uploaded through this programme's upload link; upload it again`,
        ),
      );
    }
  }
  for (const kind of required) {
    if (seen.has(kind)) continue;
    const label = ATTACHMENT_KIND_LABELS[kind];
    issues.push(
      issue('attachments', 'attachment_required', `请上传${label.zh}`, `the ${label.en} is required`),
    );
  }
  return issues;
}

/** What storage says about an uploaded object: its size and first bytes (none if it is missing). */
export interface ObjectFacts {
  size: number;
  head: Uint8Array;
}

/** The check of one uploaded object against what the filing declares. */
export function attachmentObjectIssue(
  index: number,
  ref: AttachmentRef,
  facts: ObjectFacts | undefined,
): FieldIssue | undefined {
  const path = `attachments.${index}`;
  const label = ATTACHMENT_KIND_LABELS[ref.kind];
  if (!facts) {
    return issue(
      path,
      'attachment_not_found',
      `未找到已上传的${label.zh}（上传未完成或已超过 ${UPLOAD_EXPIRY_DAYS} 天），请重新上传`,
      `the ${label.en} was not found (the upload did not finish or is older than ${UPLOAD_EXPIRY_DAYS} day); upload it again`,
    );
  }
  if (facts.size === 0) {
    return issue(path, 'attachment_empty', `${label.zh}是空文件`, `the ${label.en} is an empty file`);
  }
  if (facts.size > MAX_ATTACHMENT_BYTES) {
    const mb = MAX_ATTACHMENT_BYTES / 1024 / 1024;
    return issue(
      path,
      'attachment_too_large',
      `${label.zh}超过 ${mb} MB，请压缩后重新上传`,
      `the ${label.en} is larger than ${mb} MB; make it smaller and upload it again`,
    );
  }
  const actual = sniffType(facts.head);
  if (actual !== ref.contentType) {
    const declared = ATTACHMENT_TYPE_LABELS[ref.contentType];
    return issue(
      path,
      'attachment_type_mismatch',
      `${label.zh}的内容不是声明的 ${declared} 文件，请上传 PDF、JPEG 或 PNG 文件`,
      `the ${label.en} is not the ${declared} file it is declared as; upload a PDF, JPEG or PNG file`,
    );
  }
  return undefined;
}

/** The extension a document is served with: the one of the type its first bytes were checked against. */
export const ATTACHMENT_EXTENSIONS: Record<AttachmentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/**
 * The name a document is served under: `<kind>.<extension of its type>` (`appointment.pdf`).
 * Never the uploaded name, which the applicant chose: the browser would save or label the file
 * by it (`营业执照\u202Efdp.bat` reads as a PDF and is a batch file).
 */
export function servedFilename(ref: Pick<AttachmentRef, 'kind' | 'contentType'>): string {
  return `${ref.kind}.${ATTACHMENT_EXTENSIONS[ref.contentType]}`;
}

/** `inline; filename*=UTF-8''…` for a view link (RFC 6266 / 5987), with an ASCII fallback. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** `POST /programs/{id}/uploads`: what the browser is about to upload. */
export const UploadRequestSchema = z.strictObject({
  kind: z.enum(ATTACHMENT_KINDS),
  contentType: z.enum(ATTACHMENT_TYPES),
  /** The file's size in bytes: refused here already when over the limit. */
  size: z.number().check(
    z.int(),
    z.minimum(1),
    z.refine((v) => v <= MAX_ATTACHMENT_BYTES, {
      params: {
        code: 'attachment_too_large',
        zh: `文件超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB，请压缩后重新上传`,
        en: `the file is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB; make it smaller`,
      },
    }),
  ),
});
export type UploadRequest = z.output<typeof UploadRequestSchema>;
