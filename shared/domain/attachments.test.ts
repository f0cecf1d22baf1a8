import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_KEY_PATTERN,
  type AttachmentRef,
  attachmentObjectIssue,
  attachmentRefIssues,
  contentDisposition,
  FILING_KEY_PATTERN,
  filingAttachmentKey,
  filingPrefix,
  MAX_ATTACHMENT_BYTES,
  newUploadKey,
  parseUploadKey,
  servedFilename,
  sniffType,
  UploadRequestSchema,
} from './attachments.ts';
import { parseFiling } from './filing.ts';

const ref = (over: Partial<AttachmentRef> = {}): AttachmentRef => ({
  kind: 'appointment',
  key: newUploadKey('liaoning-cso'),
  contentType: 'application/pdf',
  filename: 'a.pdf',
  ...over,
});
const bytes = (...values: number[]) => new Uint8Array(values);

describe('keys', () => {
  it('issues random upload keys under the programme, and derives the filing key from them', () => {
    const key = newUploadKey('liaoning-cso');
    expect(key).toMatch(/^uploads\/liaoning-cso\/[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newUploadKey('liaoning-cso')).not.toBe(key);
    expect(parseUploadKey(key)).toEqual({ programId: 'liaoning-cso', token: key.split('/')[2] });
    const kept = filingAttachmentKey('F0123456789ABC', 'endorsement', key);
    expect(kept).toBe(`filings/F0123456789ABC/endorsement-${key.split('/')[2]}`);
    expect(FILING_KEY_PATTERN.test(kept)).toBe(true);
    expect(ATTACHMENT_KEY_PATTERN.test(kept) && ATTACHMENT_KEY_PATTERN.test(key)).toBe(true);
    expect(kept.startsWith(filingPrefix('F0123456789ABC'))).toBe(true);
    expect(() => filingAttachmentKey('F0123456789ABC', 'endorsement', kept)).toThrow('not an upload key');
  });

  it.each([
    'uploads/liaoning-cso/../../x',
    'uploads/liaoning-cso/0123456789abcdefghjkmnpqrs',
    'uploads/liaoning-cso/0123456789ABCDEFGHJKMNPQRSX',
    'uploads/liaoning-cso/0123456789ABCDEFGHJKMNPQRI', // I is not Crockford base32
    'filings/F0123456789ABC/passport-0123456789ABCDEFGHJKMNPQRS',
    '/uploads/liaoning-cso/0123456789ABCDEFGHJKMNPQRS',
    'uploads/Liaoning/0123456789ABCDEFGHJKMNPQRS',
  ])('refuses the key %s', (key) => {
    expect(ATTACHMENT_KEY_PATTERN.test(key)).toBe(false);
    expect(parseUploadKey(key)).toBeUndefined();
  });
});

describe('sniffType', () => {
  it('knows PDF, JPEG and PNG by their first bytes, and nothing else', () => {
    expect(sniffType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(bytes(0xff, 0xd8, 0xff, 0xdb))).toBe('image/jpeg');
    expect(sniffType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffType(new TextEncoder().encode('%PDF'))).toBeUndefined(); // too short
    expect(sniffType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).toBeUndefined();
    expect(sniffType(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(sniffType(bytes())).toBeUndefined();
  });
});

describe('attachmentRefIssues', () => {
  const context = { programId: 'liaoning-cso' };

  it('asks for each required kind missing, at `attachments`', () => {
    expect(attachmentRefIssues(['endorsement', 'appointment'], [], context)).toEqual([
      {
        path: 'attachments',
        code: 'attachment_required',
        message: {
          zh: '附件：请上传企业意见（盖章）',
          en: 'attachments: the enterprise endorsement (stamped) is required',
        },
      },
      {
        path: 'attachments',
        code: 'attachment_required',
        message: { zh: '附件：请上传聘任文件', en: 'attachments: the appointment document is required' },
      },
    ]);
    expect(attachmentRefIssues(['appointment'], [ref()], context)).toEqual([]);
    expect(attachmentRefIssues([], [], context)).toEqual([]);
  });

  it('accepts a kept key only when the filing has it, for that kind', () => {
    const kept = ref({ key: 'filings/F0123456789ABC/appointment-0123456789ABCDEFGHJKMNPQRS' });
    expect(attachmentRefIssues([], [kept], { ...context, current: [kept] })).toEqual([]);
    expect(
      attachmentRefIssues([], [{ ...kept, kind: 'endorsement' }], { ...context, current: [kept] }).map(
        (i) => i.path,
      ),
    ).toEqual(['attachments.0.key']);
    expect(attachmentRefIssues([], [kept], context).map((i) => i.code)).toEqual(['attachment_key']);
  });
});

describe('attachmentObjectIssue', () => {
  const pdf = new TextEncoder().encode('%PDF-1.4\n');

  it('passes a matching object of at most 5 MB', () => {
    expect(attachmentObjectIssue(0, ref(), { size: MAX_ATTACHMENT_BYTES, head: pdf })).toBeUndefined();
  });

  it.each([
    ['attachment_not_found', undefined],
    ['attachment_empty', { size: 0, head: bytes() }],
    ['attachment_too_large', { size: MAX_ATTACHMENT_BYTES + 1, head: pdf }],
    ['attachment_type_mismatch', { size: 9, head: bytes(0xff, 0xd8, 0xff) }],
  ])('%s', (code, facts) => {
    const issue = attachmentObjectIssue(3, ref(), facts);
    expect(issue).toMatchObject({ path: 'attachments.3', code });
    expect(issue?.message.zh).toMatch(/^附件：.*聘任文件/);
    expect(issue?.message.en).toMatch(/^attachments: the appointment document/);
  });
});

describe('contentDisposition', () => {
  it('shows inline, with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('聘任 文件(1).pdf')).toBe(
      `inline; filename="__ __(1).pdf"; filename*=UTF-8''%E8%81%98%E4%BB%BB%20%E6%96%87%E4%BB%B6%281%29.pdf`,
    );
    expect(contentDisposition('a"b\\c.pdf')).toBe(
      `inline; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`,
    );
  });
});

describe('servedFilename', () => {
  it('is the kind and the extension of the checked type, whatever the file was called', () => {
    expect(servedFilename(ref({ kind: 'appointment', contentType: 'application/pdf' }))).toBe(
      'appointment.pdf',
    );
    expect(servedFilename(ref({ kind: 'endorsement', contentType: 'image/jpeg' }))).toBe('endorsement.jpg');
    expect(
      servedFilename(
        ref({ kind: 'endorsement', contentType: 'image/png', filename: '营业执照\u202Efdp.bat' }),
      ),
    ).toBe('endorsement.png');
  });
});

describe('schemas', () => {
  it('takes attachments with the filing, trimming folders off file names', async () => {
    const { validFiling } = await import('../../test/support/fixtures.ts');
    const key = newUploadKey('liaoning-cso');
    const filing = parseFiling({
      ...validFiling(),
      attachments: [
        { kind: 'appointment', key, contentType: 'image/png', filename: 'C:\\scans\\ 聘任.png ' },
      ],
    });
    expect(filing.attachments).toEqual([
      { kind: 'appointment', key, contentType: 'image/png', filename: '聘任.png' },
    ]);
    expect(() =>
      parseFiling({
        ...validFiling(),
        attachments: [{ kind: 'appointment', key, contentType: 'image/gif', filename: 'x\u0007.gif' }],
      }),
    ).toThrow(/attachments\.0\.contentType.*attachments\.0\.filename/);
  });

  it('refuses a file name that hides its real extension behind a right-to-left override, or holds invisible characters', async () => {
    const { validFiling } = await import('../../test/support/fixtures.ts');
    const key = newUploadKey('liaoning-cso');
    for (const filename of [
      '营业执照\u202Efdp.bat',
      '聘任\u200B文件.pdf',
      '\u2066聘任.pdf\u2069',
      '聘任\n.pdf',
    ]) {
      const attempt = () =>
        parseFiling({
          ...validFiling(),
          attachments: [{ kind: 'appointment', key, contentType: 'application/pdf', filename }],
        });
      expect(attempt, JSON.stringify(filename)).toThrow(/attachments\.0\.filename \(invisible_characters\)/);
    }
  });

  it('checks an upload request: known kind and type, 1 B to 5 MB', () => {
    expect(
      UploadRequestSchema.safeParse({ kind: 'endorsement', contentType: 'application/pdf', size: 1 }).success,
    ).toBe(true);
    const big = UploadRequestSchema.safeParse({
      kind: 'endorsement',
      contentType: 'application/pdf',
      size: 6e6,
    });
    expect(big.error?.issues[0]?.path).toEqual(['size']);
    expect(
      UploadRequestSchema.safeParse({ kind: 'endorsement', contentType: 'application/pdf', size: 0 }).success,
    ).toBe(false);
  });
});
