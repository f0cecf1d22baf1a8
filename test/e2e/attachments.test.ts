// Attachments through the real local runtime, as the site and a reviewer use them: a presigned
// POST per file, the upload straight to the local S3 with `fetch` and FormData, the filing
// referring to its uploads, the review page's short-lived view link (that works, then
// expires, and is never emailed), refusals of oversized, mislabelled, missing and foreign
// documents with nothing stored, and withdrawal deleting the documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '#shared/domain/attachments.ts';
import { PNG_HEAD, samplePdf } from '../support/attachments.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver, type ErrorBody } from './driver.ts';

/** View links of this runtime live a few seconds, so that their expiry can be seen. */
const LINK_SECONDS = 4;

let runtime: Runtime;
let api: ApiDriver;
let n = 60_000;
const next = () => n++;

interface Created {
  filingId: string;
  receiptToken: string;
}

beforeAll(async () => {
  runtime = await startRuntime({ ATTACHMENT_LINK_SECONDS: String(LINK_SECONDS) });
  api = apiDriver(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

const errorsOf = (body: unknown) => (body as ErrorBody).errors;

async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The review link mailed for this filing (GET only shows a page). */
async function reviewLinkFor(filingId: string): Promise<string> {
  return eventually(async () => {
    for (const mail of (await api.outbox()).filter((m) => m.kind === 'review_request')) {
      for (const link of mail.links) if ((await api.reviewPage(link)).text.includes(filingId)) return link;
    }
    return undefined;
  }, `a review link for ${filingId}`);
}

/** The attachment links on a review page, unescaped. */
function attachmentLinks(html: string): string[] {
  return [...html.matchAll(/href="(http:\/\/127\.0\.0\.1:\d+\/[^"]+)"/g)]
    .map((m) => (m[1] ?? '').replaceAll('&amp;', '&'))
    .filter((url) => url.startsWith(runtime.s3Endpoint));
}

async function expectNothingStored(action: () => Promise<unknown>) {
  await api.settled();
  const items = await api.tableItems();
  const kept = await api.objectKeys('filings/');
  await action();
  await api.settled();
  expect(await api.tableItems()).toEqual(items);
  expect(await api.objectKeys('filings/')).toEqual(kept);
}

describe('presigned uploads', () => {
  it('gives a POST limited to one key, the declared type and 5 MB, and the browser uploads to it', async () => {
    const pdf = samplePdf('presign');
    const res = await api.presign('liaoning-cso', {
      kind: 'appointment',
      contentType: 'application/pdf',
      size: pdf.length,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const upload = res.body;
    expect(upload.key).toMatch(/^uploads\/liaoning-cso\/[0-9A-Z]{26}$/);
    expect(upload.maxBytes).toBe(MAX_ATTACHMENT_BYTES);
    expect(upload.url).toBe(`${runtime.s3Endpoint}/${runtime.bucket}`);
    expect(upload.fields.key).toBe(upload.key);
    expect(upload.fields['Content-Type']).toBe('application/pdf');
    const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, MAX_ATTACHMENT_BYTES],
        ['eq', '$Content-Type', 'application/pdf'],
        { key: upload.key },
        { bucket: runtime.bucket },
      ]),
    );
    expect(Date.parse(policy.expiration)).toBeGreaterThan(Date.now());
    expect(upload.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);

    const stored = await api.postUpload(upload, pdf, 'application/pdf', '聘任文件.pdf');
    expect(stored.status).toBe(204);
    expect(stored.headers.get('access-control-allow-origin')).toBe(runtime.baseUrl);
    expect(await api.objectKeys(upload.key)).toEqual([upload.key]);
  });

  it('refuses an unknown programme, a type other than PDF, JPEG or PNG, and a file over 5 MB', async () => {
    const before = await api.objectKeys();
    const unknown = await api.presign('nowhere', {
      kind: 'appointment',
      contentType: 'application/pdf',
      size: 9,
    });
    expect(unknown.status).toBe(404);
    const type = await api.presign('liaoning-cso', {
      kind: 'appointment',
      contentType: 'text/html',
      size: 9,
    });
    expect(type.status).toBe(422);
    expect(errorsOf(type.body).map((e) => [e.path, e.code])).toEqual([['contentType', 'invalid_value']]);
    const big = await api.presign('liaoning-cso', {
      kind: 'endorsement',
      contentType: 'image/png',
      size: MAX_ATTACHMENT_BYTES + 1,
    });
    expect(big.status).toBe(422);
    expect(errorsOf(big.body)).toEqual([
      {
        path: 'size',
        code: 'attachment_too_large',
        message: {
          zh: '文件大小：文件超过 5 MB，请压缩后重新上传',
          en: 'file size: the file is larger than 5 MB; make it smaller',
        },
      },
    ]);
    const kind = await api.presign('liaoning-cso', { kind: 'passport', contentType: 'image/png', size: 9 });
    expect(errorsOf(kind.body).map((e) => e.path)).toEqual(['kind']);
    expect(await api.objectKeys()).toEqual(before);
  });
});

describe('a filing with its documents', () => {
  it('is submitted, its documents kept under it, and the reviewer views them through a link that expires', async () => {
    const endorsement = await api.upload('liaoning-cso', 'endorsement', samplePdf('endorsement'));
    const appointment = await api.upload(
      'liaoning-cso',
      'appointment',
      PNG_HEAD,
      'image/png',
      '聘任文件 扫描件.png',
    );
    const res = await api.submit('liaoning-cso', {
      ...validFiling({ n: next() }),
      attachments: [endorsement, appointment],
    });
    expect(res.status).toBe(201);
    const { filingId } = res.body as unknown as Created;
    const kept = await api.objectKeys(`filings/${filingId}/`);
    expect(kept).toEqual([
      expect.stringMatching(new RegExp(`^filings/${filingId}/appointment-[0-9A-Z]{26}$`)),
      expect.stringMatching(new RegExp(`^filings/${filingId}/endorsement-[0-9A-Z]{26}$`)),
    ]);
    // The uploads themselves are gone once the filing holds its copies.
    expect(await api.objectKeys(endorsement.key)).toEqual([]);
    expect(await api.objectKeys(appointment.key)).toEqual([]);

    const link = await reviewLinkFor(filingId);
    const page = await api.reviewPage(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('企业意见（盖章）（PDF）');
    expect(page.text).toContain('聘任文件（PNG）');
    expect(page.text).not.toContain('扫描件'); // the file name comes with the file, not on the page
    const [first, second] = attachmentLinks(page.text);
    if (!first || !second) throw new Error(`no attachment links on the page:\n${page.text}`);
    expect(new URL(first).searchParams.get('X-Amz-Expires')).toBe(String(LINK_SECONDS));

    const viewed = await fetch(first);
    expect(viewed.status).toBe(200);
    expect(viewed.headers.get('content-type')).toBe('application/pdf');
    // Served under the name the server chooses (kind and checked type), never the uploaded one.
    expect(viewed.headers.get('content-disposition')).toBe(
      `inline; filename="endorsement.pdf"; filename*=UTF-8''endorsement.pdf`,
    );
    expect(Buffer.from(await viewed.arrayBuffer())).toEqual(Buffer.from(samplePdf('endorsement')));
    const image = await fetch(second);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toBe(
      `inline; filename="appointment.png"; filename*=UTF-8''appointment.png`,
    );

    // The link is never emailed: no message in the outbox carries a bucket URL or a signature.
    const outbox = join(runtime.localDir, 'outbox');
    for (const file of readdirSync(outbox)) {
      const raw = readFileSync(join(outbox, file), 'utf8');
      expect(raw).not.toContain(runtime.s3Endpoint);
      expect(raw).not.toContain('X-Amz-Signature');
    }
    // Issuing the links is audited (filing, kinds, reviewer role and unit, which link).
    expect(runtime.output()).toMatch(
      new RegExp(
        `"audit":"attachment_view".*"filingId":"${filingId}"|"filingId":"${filingId}".*"audit":"attachment_view"`,
      ),
    );

    // Minutes in the cloud; seconds here: the same URL stops working.
    const expired = await eventually(async () => {
      const again = await fetch(first);
      return again.status === 200 ? undefined : again;
    }, 'the view link to expire');
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    // A fresh page gives fresh links that work again.
    const [fresh] = attachmentLinks((await api.reviewPage(link)).text);
    expect((await fetch(fresh ?? '')).status).toBe(200);
  });

  it('refuses a document over 5 MB that the local S3 let through, storing nothing', async () => {
    // s3rver does not enforce the policy's content-length-range; the check at submit does.
    const big = new Uint8Array(6 * 1024 * 1024).fill(0x20);
    big.set(new TextEncoder().encode('%PDF-1.4\n'));
    const presigned = await api.presign('liaoning-cso', {
      kind: 'appointment',
      contentType: 'application/pdf',
      size: 1024, // what the browser claimed
    });
    expect((await api.postUpload(presigned.body, big, 'application/pdf', 'big.pdf')).status).toBe(204);
    const endorsement = await api.upload('liaoning-cso', 'endorsement');
    const filing = {
      ...validFiling({ n: next() }),
      attachments: [
        endorsement,
        { kind: 'appointment', key: presigned.body.key, contentType: 'application/pdf', filename: 'big.pdf' },
      ],
    };
    await expectNothingStored(async () => {
      const res = await api.submit('liaoning-cso', filing);
      expect(res.status).toBe(422);
      expect(errorsOf(res.body)).toEqual([
        {
          path: 'attachments.1',
          code: 'attachment_too_large',
          message: {
            zh: '附件：聘任文件超过 5 MB，请压缩后重新上传',
            en: 'attachments: the appointment document is larger than 5 MB; make it smaller and upload it again',
          },
        },
      ]);
    });
  });

  it('refuses a document whose first bytes are not its declared type, storing nothing', async () => {
    const appointment = await api.upload(
      'liaoning-cso',
      'appointment',
      new TextEncoder().encode('<html><script>alert(1)</script></html>'),
      'application/pdf',
      'not-a.pdf',
    );
    const endorsement = await api.upload('liaoning-cso', 'endorsement', PNG_HEAD, 'image/jpeg', 'photo.jpg');
    await expectNothingStored(async () => {
      const res = await api.submit('liaoning-cso', {
        ...validFiling({ n: next() }),
        attachments: [endorsement, appointment],
      });
      expect(res.status).toBe(422);
      expect(errorsOf(res.body).map((e) => [e.path, e.code, e.message.en])).toEqual([
        [
          'attachments.0',
          'attachment_type_mismatch',
          'attachments: the enterprise endorsement (stamped) is not the JPEG file it is declared as; upload a PDF, JPEG or PNG file',
        ],
        [
          'attachments.1',
          'attachment_type_mismatch',
          'attachments: the appointment document is not the PDF file it is declared as; upload a PDF, JPEG or PNG file',
        ],
      ]);
    });
  });

  it('refuses a missing required document, a key we never issued and an upload that never happened', async () => {
    const appointment = await api.upload('liaoning-cso', 'appointment');
    await expectNothingStored(async () => {
      const missing = await api.submit('liaoning-cso', {
        ...validFiling({ n: next() }),
        attachments: [appointment],
      });
      expect(missing.status).toBe(422);
      expect(errorsOf(missing.body)).toEqual([
        {
          path: 'attachments',
          code: 'attachment_required',
          message: {
            zh: '附件：请上传企业意见（盖章）',
            en: 'attachments: the enterprise endorsement (stamped) is required',
          },
        },
      ]);
      const presigned = await api.presign('liaoning-cso', {
        kind: 'endorsement',
        contentType: 'application/pdf',
        size: 9,
      });
      const forged = await api.submit('liaoning-cso', {
        ...validFiling({ n: next() }),
        attachments: [
          {
            ...appointment,
            kind: 'endorsement',
            key: 'uploads/anhui-std-director/0123456789ABCDEFGHJKMNPQRS',
          },
          { ...appointment, key: 'filings/F0000000000000/appointment-0123456789ABCDEFGHJKMNPQRS' },
        ],
      });
      expect(errorsOf(forged.body).map((e) => [e.path, e.code])).toEqual([
        ['attachments.0.key', 'attachment_key'],
        ['attachments.1.key', 'attachment_key'],
      ]);
      const never = await api.submit('liaoning-cso', {
        ...validFiling({ n: next() }),
        attachments: [
          { kind: 'endorsement', key: presigned.body.key, contentType: 'application/pdf', filename: 'a.pdf' },
          appointment,
        ],
      });
      expect(errorsOf(never.body).map((e) => [e.path, e.code])).toEqual([
        ['attachments.0', 'attachment_not_found'],
      ]);
      const shape = await api.submit('liaoning-cso', {
        ...validFiling({ n: next() }),
        attachments: [{ ...appointment, key: '../../etc/passwd' }],
      });
      expect(errorsOf(shape.body).map((e) => [e.path, e.code])).toEqual([
        ['attachments.0.key', 'invalid_format'],
      ]);
    });
  });

  it('takes only the appointment document in Anhui', async () => {
    const filing = validFiling({ n: next(), role: 'director', unit: '340100', region: '340100' });
    const res = await api.submit('anhui-std-director', filing);
    expect(res.status).toBe(201);
    const { filingId } = res.body as unknown as Created;
    expect(await api.objectKeys(`filings/${filingId}/`)).toEqual([
      expect.stringMatching(/\/appointment-[0-9A-Z]{26}$/),
    ]);
  });

  it('deletes the documents when the filing is withdrawn', async () => {
    const res = await api.submit('liaoning-cso', validFiling({ n: next() }));
    expect(res.status).toBe(201);
    const { filingId, receiptToken } = res.body as unknown as Created;
    expect(await api.objectKeys(`filings/${filingId}/`)).toHaveLength(2);
    await api.settled();
    expect((await api.withdraw(filingId, receiptToken)).status).toBe(200);
    expect(await api.objectKeys(`filings/${filingId}/`)).toEqual([]);
  });
});
