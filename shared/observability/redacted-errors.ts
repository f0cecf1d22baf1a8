// What a function that is not behind the HTTP chain (workflow tasks, schedules) lets escape when
// it fails. Lambda prints an uncaught error to the function's logs and Step Functions keeps its
// message and stack as the task's `Cause` in the execution history; an SMTP or SDK error may
// quote an address or a number of the message it failed on. So the error that leaves is a copy
// with every ID number, phone and e-mail masked, and the same `name` (the ASL's Retry and Catch
// match on it).
import { redactText } from '../domain/masking.ts';

/** A copy of an error safe to leave the function: same name, personal data masked. */
export function redactedError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redactText(String(error)));
  const copy = new Error(redactText(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redactText(error.stack);
  return copy;
}

/** Wraps a handler so that whatever it throws leaves as a {@link redactedError}. */
export function withRedactedErrors<A extends unknown[], R>(
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw redactedError(error);
    }
  };
}
