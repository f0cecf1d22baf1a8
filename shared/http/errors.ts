// Maps what a use case throws to an HTTP answer. Named domain errors become 4xx with the
// documented body `{ errors: [{ path, code, message: { zh, en } }] }`; anything else is a
// generic 500 that leaks nothing (the cause goes to the redacting logger only).
import {
  ConcurrentModificationError,
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../domain/errors.ts';
import { isUnavailable } from '../observability/unavailable.ts';

export interface ErrorAnswer {
  statusCode: number;
  body: { errors: FieldIssue[] };
  headers?: Record<string, string>;
}

const one = (statusCode: number, code: string, zh: string, en: string, path = ''): ErrorAnswer => ({
  statusCode,
  body: { errors: [{ path, code, message: { zh, en } }] },
});

/** Errors raised by middy middlewares carry a status code and the package that threw them. */
interface HttpLikeError {
  statusCode: number;
  cause?: { package?: string };
}

function isHttpLike(error: unknown): error is HttpLikeError {
  return (
    typeof error === 'object' && error !== null && typeof (error as HttpLikeError).statusCode === 'number'
  );
}

export function toErrorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof ValidationError) return { statusCode: 422, body: { errors: error.issues } };
  if (error instanceof NotFoundError) {
    return one(404, 'not_found', '未找到', error.resource === 'program' ? 'program not found' : 'not found');
  }
  if (error instanceof ConflictError) {
    const answer = one(409, error.code, error.detail.zh, error.detail.en);
    return error.retryAfterSeconds === undefined
      ? answer
      : { ...answer, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof ConcurrentModificationError) {
    return one(
      409,
      error.code,
      '记录已被他人修改，请刷新后重试',
      'the record was changed meanwhile; reload and retry',
    );
  }
  if (error instanceof InvalidTransitionError) {
    return one(
      409,
      'invalid_state',
      '当前状态下不能进行此操作',
      'this action is not possible in the current state',
    );
  }
  if (error instanceof ForbiddenError) return one(403, 'forbidden', '无权访问', 'forbidden');
  if (error instanceof UnauthenticatedError) return one(401, 'unauthenticated', '请先登录', 'sign in first');
  if (isHttpLike(error)) {
    const fromJsonParser = error.cause?.package === '@middy/http-json-body-parser';
    if (error.statusCode === 415) {
      return one(
        415,
        'unsupported_media_type',
        '请以 application/json 提交',
        'send the body as application/json',
      );
    }
    if (error.statusCode === 413)
      return one(413, 'payload_too_large', '提交内容过大', 'the body is too large');
    if (fromJsonParser || error.statusCode === 400) {
      return one(400, 'malformed_json', '请求体不是有效的 JSON', 'the body is not valid JSON');
    }
    if (error.statusCode === 405)
      return one(405, 'method_not_allowed', '不支持的请求方法', 'method not allowed');
  }
  if (isUnavailable(error)) {
    return {
      ...one(
        503,
        'service_unavailable',
        '服务暂时不可用，请稍后重试',
        'temporarily unavailable; please retry shortly',
      ),
      headers: { 'retry-after': '5' },
    };
  }
  return one(500, 'internal_error', '服务器内部错误，请稍后再试', 'internal error; please try again later');
}
