import type { LocalizedMessage } from '../errors.ts';

/** A finding of a validator: an error when it rejects, a warning the reviewer must see when it accepts. */
export interface Finding {
  code: string;
  message: LocalizedMessage;
}

/** What a code validator returns: the normalized value and its warnings, or the reason it is refused. */
export type CheckResult<T = string> =
  | { ok: true; value: T; warnings: Finding[] }
  | { ok: false; error: Finding };
