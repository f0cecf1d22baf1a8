import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toErrorAnswer } from '../http/errors.ts';
import { attachmentLinkSeconds, attachmentLinks } from './attachment-links.ts';
import { attachmentStore } from './attachment-store.ts';
import { s3AttachmentLinks } from './s3-presign.ts';

const client = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const at = new Date('2025-06-01T02:00:00.000Z');

describe('presigned links (signed locally, no request)', () => {
  it('a view link: the key, inline under the name the server chooses, expiring in the seconds asked', async () => {
    const links = s3AttachmentLinks(client, 'docs-bucket', () => at);
    const { url, expiresAt } = await links.presignView({
      key: 'filings/F0123456789ABC/appointment-0123456789ABCDEFGHJKMNPQRS',
      kind: 'appointment',
      contentType: 'application/pdf',
      seconds: 300,
    });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe(
      '/docs-bucket/filings/F0123456789ABC/appointment-0123456789ABCDEFGHJKMNPQRS',
    );
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(parsed.searchParams.get('X-Amz-Date')).toBe('20250601T020000Z');
    expect(parsed.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(parsed.searchParams.get('response-content-disposition')).toBe(
      `inline; filename="appointment.pdf"; filename*=UTF-8''appointment.pdf`,
    );
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(expiresAt).toBe('2025-06-01T02:05:00.000Z');
  });

  it('a view link names a JPEG or PNG by its kind and its type', async () => {
    const links = s3AttachmentLinks(client, 'docs-bucket', () => at);
    const disposition = async (
      kind: 'endorsement' | 'appointment',
      contentType: 'image/jpeg' | 'image/png',
    ) =>
      new URL(
        (
          await links.presignView({
            key: `filings/F0123456789ABC/${kind}-0123456789ABCDEFGHJKMNPQRS`,
            kind,
            contentType,
            seconds: 60,
          })
        ).url,
      ).searchParams.get('response-content-disposition');
    expect(await disposition('endorsement', 'image/jpeg')).toContain(`filename="endorsement.jpg"`);
    expect(await disposition('appointment', 'image/png')).toContain(`filename="appointment.png"`);
  });

  it('an upload: a POST form whose policy holds the key, the type and the size limit', async () => {
    const links = s3AttachmentLinks(client, 'docs-bucket', () => at);
    const upload = await links.presignUpload({
      key: 'uploads/liaoning-cso/0123456789ABCDEFGHJKMNPQRS',
      contentType: 'image/png',
      maxBytes: 100,
    });
    expect(upload.url).toBe('http://127.0.0.1:9/docs-bucket');
    expect(upload.fields).toMatchObject({
      key: 'uploads/liaoning-cso/0123456789ABCDEFGHJKMNPQRS',
      'Content-Type': 'image/png',
    });
    const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 100],
        ['eq', '$Content-Type', 'image/png'],
      ]),
    );
    expect(upload.expiresAt).toBe('2025-06-01T02:10:00.000Z');
  });
});

describe('settings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('view links live 5 minutes unless ATTACHMENT_LINK_SECONDS says 1–900', () => {
    expect(attachmentLinkSeconds({})).toBe(300);
    expect(attachmentLinkSeconds({ ATTACHMENT_LINK_SECONDS: '4' })).toBe(4);
    for (const bad of ['0', '901', '2.5', 'soon']) {
      expect(attachmentLinkSeconds({ ATTACHMENT_LINK_SECONDS: bad })).toBe(300);
    }
  });

  it('needs the bucket name', () => {
    vi.stubEnv('ATTACHMENTS_BUCKET', '');
    expect(() => attachmentLinks()).toThrow('missing environment variable ATTACHMENTS_BUCKET');
    expect(() => attachmentStore()).toThrow('missing environment variable ATTACHMENTS_BUCKET');
  });

  it('reaches the bucket through AWS_ENDPOINT_URL_S3; an unreachable one reads as 503', async () => {
    vi.stubEnv('ATTACHMENTS_BUCKET', 'attachments-test');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:1');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    const store = attachmentStore();
    expect(attachmentStore()).toBe(store);
    const error = await store.inspect('uploads/x/y').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(toErrorAnswer(error).statusCode).toBe(503);
  });
});
