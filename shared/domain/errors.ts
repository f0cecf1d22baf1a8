// Named domain errors. Adapters translate infrastructure failures into these; the HTTP
// error handler (API issue) maps them to status codes. Messages carry zh and en text so a
// bureau user and a developer both read them.

export interface LocalizedMessage {
  zh: string;
  en: string;
}

/** One failing field: `path` is the dotted path into the submitted body (`person.idNumber`). */
export interface FieldIssue {
  path: string;
  code: string;
  message: LocalizedMessage;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** Bad input: every failing field at once. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'validation_failed';
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(`validation failed: ${issues.map((i) => `${i.path} (${i.code})`).join(', ')}`);
    this.issues = issues;
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'not_found';
  readonly resource: string;
  constructor(resource: string) {
    super(`${resource} not found`);
    this.resource = resource;
  }
}

/**
 * The request conflicts with what is stored (duplicate person, idempotency key reused with
 * another body), or with a request still being processed (then the client may retry after
 * `retryAfterSeconds`).
 */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code: string;
  readonly detail: LocalizedMessage;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: string, detail: LocalizedMessage, retryAfterSeconds?: number) {
    super(`${code}: ${detail.en}`);
    this.code = code;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Someone else changed the record first: the caller's expected state or version is stale. */
export class ConcurrentModificationError extends DomainError {
  override readonly name = 'ConcurrentModificationError';
  readonly code = 'concurrent_modification';
  constructor(what: string) {
    super(`${what} was changed concurrently`);
  }
}

/** A lifecycle action that is not allowed from the current state, or not for this actor. */
export class InvalidTransitionError extends DomainError {
  override readonly name = 'InvalidTransitionError';
  readonly code = 'invalid_transition';
  readonly from: string;
  readonly action: string;
  readonly actor: string;
  constructor(from: string, action: string, actor: string) {
    super(`action "${action}" by ${actor} is not allowed from state "${from}"`);
    this.from = from;
    this.action = action;
    this.actor = actor;
  }
}

/** A staff route reached without a verified identity (the authorizer let nothing through). */
export class UnauthenticatedError extends DomainError {
  override readonly name = 'UnauthenticatedError';
  readonly code = 'unauthenticated';
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
}

/** Configuration that cannot be used (a program file, a stage setting). Thrown at start-up, never per request. */
export class ConfigurationError extends DomainError {
  override readonly name = 'ConfigurationError';
  readonly code = 'invalid_configuration';
}
