// Page cursors: opaque to the caller, base64url JSON inside. Every list that takes a cursor
// reads it with `decodeCursor`, so a cursor that cannot be read, or was not made by that list,
// is the caller's bad input (422 at `cursor`), never taken for the first page.
import { ValidationError } from './errors.ts';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The answer to a cursor that cannot continue the list it was sent to. */
export function invalidCursor(): ValidationError {
  return new ValidationError([
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

/**
 * The value inside `cursor`, when `accept` takes it; undefined only when there is no cursor at
 * all (the first page). An empty, garbled or foreign one throws `invalidCursor()`. Node's
 * base64url decoding skips characters outside the alphabet, so they are refused first.
 */
export function decodeCursor<T>(
  cursor: string | undefined,
  accept: (value: unknown) => value is T,
): T | undefined {
  if (cursor === undefined) return undefined;
  if (!BASE64URL.test(cursor)) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!accept(value)) throw invalidCursor();
  return value;
}
