// Whether an error means "the store or a dependency is down or throttling": the caller should
// retry later rather than give up. The HTTP chain answers such errors 503 with Retry-After; a
// workflow function lets them leave as `ServiceUnavailable`, which the ASL retries for longer
// than an ordinary task failure (an outage of DynamoDB takes seconds, a bug does not heal).
const UNAVAILABLE_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
  'TimeoutError',
]);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** The store or a dependency is down or throttling: the client should retry, not give up. */
export function isUnavailable(error: unknown, seen = new Set<unknown>()): boolean {
  if (typeof error !== 'object' || error === null || seen.has(error)) return false;
  seen.add(error);
  const e = error as { name?: string; code?: string; cause?: unknown; errors?: unknown[] };
  if (e.name && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isUnavailable(inner, seen))) return true;
  return isUnavailable(e.cause, seen);
}
