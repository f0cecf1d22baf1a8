import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { localHasher } from '../data/field-crypto.ts';
import { NotFoundError } from '../domain/errors.ts';
import { receiptFrom, receiptToken, requireReceipt } from './receipt.ts';

const hasher = localHasher(new Uint8Array(randomBytes(32)));
const FILING = 'F0123456789ABC';

describe('receiptToken', () => {
  it('is the receipt MAC of the filing id, different per filing', async () => {
    const token = await receiptToken(hasher, FILING);
    expect(token).toBe(await hasher.mac('receipt', FILING));
    expect(token).not.toBe(await receiptToken(hasher, 'F0123456789ABD'));
    expect(token).not.toBe(await hasher.mac('person', FILING));
  });
});

describe('receiptFrom', () => {
  it('reads `Authorization: Receipt <token>`', () => {
    expect(receiptFrom({ authorization: 'Receipt abc_DEF-123' }, {})).toBe('abc_DEF-123');
  });

  it('takes the scheme in any case and any whitespace after it', () => {
    expect(receiptFrom({ authorization: 'receipt abc' }, {})).toBe('abc');
    expect(receiptFrom({ authorization: 'RECEIPT abc' }, {})).toBe('abc');
    expect(receiptFrom({ authorization: 'Receipt \t abc' }, {})).toBe('abc');
  });

  it('falls back to ?receipt=', () => {
    expect(receiptFrom({}, { receipt: 'from-query' })).toBe('from-query');
  });

  it('prefers the header over the query', () => {
    expect(receiptFrom({ authorization: 'Receipt header' }, { receipt: 'query' })).toBe('header');
  });

  it('ignores another scheme or a malformed header', () => {
    expect(receiptFrom({ authorization: 'Bearer abc' }, {})).toBeUndefined();
    expect(receiptFrom({ authorization: 'Bearer abc' }, { receipt: 'q' })).toBe('q');
    expect(receiptFrom({ authorization: 'Receipt' }, {})).toBeUndefined();
    expect(receiptFrom({ authorization: 'Receipt a b' }, {})).toBeUndefined();
    expect(receiptFrom({ authorization: 'Receiptabc' }, {})).toBeUndefined();
  });

  it('is undefined with neither', () => {
    expect(receiptFrom({}, {})).toBeUndefined();
  });
});

describe('requireReceipt', () => {
  async function notFound(filingId: string, token: string | undefined) {
    const error = await requireReceipt(hasher, filingId, token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).resource).toBe('filing');
  }

  it('accepts the filing’s own token', async () => {
    await expect(requireReceipt(hasher, FILING, await receiptToken(hasher, FILING))).resolves.toBeUndefined();
  });

  it('answers NotFound for a wrong token, of the same or another length', async () => {
    const token = await receiptToken(hasher, FILING);
    await notFound(FILING, `${token.slice(0, -2)}xx`);
    await notFound(FILING, token.slice(0, -1));
    await notFound(FILING, `${token}A`);
    await notFound(FILING, await receiptToken(hasher, 'F0123456789ABD'));
    await notFound(FILING, await receiptToken(localHasher(new Uint8Array(randomBytes(32))), FILING));
  });

  it('answers NotFound for a missing token', async () => {
    await notFound(FILING, undefined);
    await notFound(FILING, '');
  });

  it('answers NotFound for a malformed filing id, even with its own token', async () => {
    for (const id of ['', '../etc/passwd', 'F0123 456', 'F'.repeat(26), 'F#1', '备案1']) {
      await notFound(id, await receiptToken(hasher, id));
    }
  });

  it('accepts ids up to 25 safe characters', async () => {
    const id = 'a'.repeat(25);
    await expect(requireReceipt(hasher, id, await receiptToken(hasher, id))).resolves.toBeUndefined();
  });
});
