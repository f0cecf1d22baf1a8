import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { ValidationError } from './errors.ts';

const isPoint = (v: unknown): v is { x: number } =>
  typeof v === 'object' && v !== null && typeof (v as { x?: unknown }).x === 'number';

function refusal(cursor: string): ValidationError {
  try {
    decodeCursor(cursor, isPoint);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(cursor)}`);
}

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote; no cursor is the first page', () => {
    expect(decodeCursor(encodeCursor({ x: 3 }), isPoint)).toEqual({ x: 3 });
    expect(decodeCursor(undefined, isPoint)).toBeUndefined();
  });

  it('refuses, at `cursor`, one that is empty, garbled, not JSON or not of this list', () => {
    const good = encodeCursor({ x: 3 });
    for (const cursor of [
      '',
      `${good}!`,
      `${good.slice(0, 4)} ${good.slice(4)}`,
      `${good}=`,
      Buffer.from('{"x":').toString('base64url'),
      encodeCursor({ y: 3 }),
      encodeCursor(null),
    ]) {
      expect(refusal(cursor).issues, cursor).toEqual([
        {
          path: 'cursor',
          code: 'invalid_query',
          message: {
            zh: '翻页标记无效，请从第一页重新查询',
            en: 'invalid cursor; start again from the first page',
          },
        },
      ]);
    }
  });
});
