// What a function that is not behind the HTTP chain (workflow tasks, schedules) lets escape when
// it fails. Lambda prints an uncaught error to the function's logs and Step Functions keeps its
// message and stack as the task's `Cause` in the execution history; an SMTP or SDK error may
// quote an address or a number of the message it failed on. So the error that leaves is a copy
// with every ID number, phone and e-mail masked, and the same `name` (the ASL's Retry and Catch
// match on it), except that an outage (the store unreachable or throttling) leaves as
// `ServiceUnavailable`, which the ASL retries for longer.
import { redactText } from '../domain/masking.ts';
import { isUnavailable } from './unavailable.ts';

/** The error name the workflows retry longer: the store or a dependency is down for now. */
export const SERVICE_UNAVAILABLE = 'ServiceUnavailable';

/** A copy of an error safe to leave the function: same name (or the outage's), personal data masked. */
export function redactedError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redactText(String(error)));
  const copy = new Error(redactText(error.message));
  copy.name = isUnavailable(error) ? SERVICE_UNAVAILABLE : error.name;
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
