// Attachments for tests: a small valid PDF, deterministic upload keys and references for a
// filing, an in-memory AttachmentStore (the port's contract, no S3) and fake view links.
import { createHash } from 'node:crypto';
import {
  ATTACHMENT_KINDS,
  type AttachmentKind,
  type AttachmentRef,
  type ObjectFacts,
  SNIFF_BYTES,
} from '#shared/domain/attachments.ts';
import { base32 } from '#shared/domain/ids.ts';
import type { AttachmentLinks, AttachmentStore } from '#shared/ports/attachments.ts';

/** A one-page, blank, valid PDF of a few hundred bytes. */
export function samplePdf(title = 'test'): Uint8Array {
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>',
    `<</Title(${title.replace(/[()\\]/g, '')})>>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R/Info 4 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** The first bytes of a PNG (enough for the type check). */
export const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** A deterministic upload key of `kind` for person `n` (the shape our presign issues). */
export function uploadKeyFor(programId: string, n: number, kind: AttachmentKind, salt = ''): string {
  const digest = createHash('sha256').update(`${programId}|${n}|${kind}|${salt}`).digest();
  return `uploads/${programId}/${base32(digest, 26)}`;
}

/** References to uploaded PDFs of the given kinds (both by default). */
export function attachmentRefs(
  programId: string,
  n: number,
  kinds: readonly AttachmentKind[] = ATTACHMENT_KINDS,
  salt = '',
): AttachmentRef[] {
  return kinds.map((kind) => ({
    kind,
    key: uploadKeyFor(programId, n, kind, salt),
    contentType: 'application/pdf',
    filename: kind === 'appointment' ? '聘任文件.pdf' : '企业意见.pdf',
  }));
}

/**
 * The AttachmentStore port in memory. Objects put or copied are kept; other upload keys
 * exist as `fallback` says (by default: every upload is a valid PDF, as if the browser had
 * uploaded it), until deleted.
 */
export class MemoryAttachmentStore implements AttachmentStore {
  readonly objects = new Map<string, Uint8Array>();
  readonly deleted = new Set<string>();
  readonly copies: { from: string; to: string }[] = [];
  readonly fallback: (key: string) => Uint8Array | undefined;

  constructor(
    fallback: (key: string) => Uint8Array | undefined = (key) =>
      key.startsWith('uploads/') ? samplePdf() : undefined,
  ) {
    this.fallback = fallback;
  }

  read(key: string): Uint8Array | undefined {
    if (this.objects.has(key)) return this.objects.get(key);
    if (this.deleted.has(key)) return undefined;
    return this.fallback(key);
  }

  put(key: string, bytes: Uint8Array): void {
    this.deleted.delete(key);
    this.objects.set(key, bytes);
  }

  async inspect(key: string): Promise<ObjectFacts | undefined> {
    const bytes = this.read(key);
    return bytes ? { size: bytes.length, head: bytes.subarray(0, SNIFF_BYTES) } : undefined;
  }

  async copy(from: string, to: string): Promise<void> {
    if (this.read(to)) return;
    const bytes = this.read(from);
    if (!bytes) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    this.copies.push({ from, to });
    this.put(to, bytes);
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.objects.delete(key);
      this.deleted.add(key);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix));
    await this.delete(keys);
    return keys.length;
  }

  /** Keys currently stored under a prefix. */
  under(prefix: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

/** View and upload links that only say what they were asked for. */
export function fakeAttachmentLinks(): AttachmentLinks & { views: { key: string; seconds: number }[] } {
  const views: { key: string; seconds: number }[] = [];
  return {
    views,
    async presignUpload({ key, contentType, maxBytes }) {
      return {
        url: 'https://attachments.example/',
        fields: { key, 'Content-Type': contentType, policy: `max=${maxBytes}` },
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      };
    },
    async presignView({ key, seconds }) {
      views.push({ key, seconds });
      return {
        url: `https://attachments.example/${key}?X-Amz-Expires=${seconds}&X-Amz-Signature=sig`,
        expiresAt: new Date(Date.now() + seconds * 1000).toISOString(),
      };
    },
  };
}
