// OpenAPI 3.1 document generated from the route table and the zod schemas (the same JSON
// Schema the site validates with), so documentation cannot drift from the code; each route's
// own errors, answers and examples come from openapi-operations.ts.
import * as z from 'zod/mini';
import { UploadRequestSchema } from '../domain/attachments.ts';
import { DepartureRequestSchema, RemovalRequestSchema } from '../domain/departure.ts';
import { filingJsonSchema } from '../domain/filing.ts';
import { PlanRequestSchema } from '../domain/plans.ts';
import { SelectionRequestSchema } from '../domain/selection.ts';
import { ResumeRequestSchema, RevealRequestSchema } from '../domain/staff.ts';
import { TrainingBatchRequestSchema } from '../domain/training.ts';
import { DOCS_ASSETS } from './docs-page.ts';
import {
  type BodyKind,
  ERROR_CODES,
  type ErrorCodeName,
  OPERATIONS,
  type OperationDoc,
  type Schema,
} from './openapi-operations.ts';
import { ROUTES, type Route } from './routes.ts';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'code', 'message'],
        properties: {
          path: { type: 'string', description: 'dotted path of the failing field ("" for the request)' },
          code: { type: 'string' },
          message: {
            type: 'object',
            required: ['zh', 'en'],
            properties: { zh: { type: 'string' }, en: { type: 'string' } },
          },
        },
      },
    },
  },
};

function withoutSchemaKey(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

export function openApiDocument(serverUrl = '/'): Record<string, unknown> {
  const { $schema: _ignored, ...filingSchema } = filingJsonSchema();
  const { $schema: _too, ...uploadSchema } = z.toJSONSchema(UploadRequestSchema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const params: { name: string; in: string; required: boolean; schema: Schema }[] = [
      ...route.path.matchAll(/\{(\w+)\}/g),
    ].map((m) => ({
      name: m[1] ?? '',
      in: 'path',
      required: true,
      schema: m[1] === 'asset' ? { type: 'string', enum: Object.keys(DOCS_ASSETS) } : { type: 'string' },
    }));
    if (route.access === 'receipt') {
      params.push({ name: 'receipt', in: 'query', required: false, schema: { type: 'string' } });
    }
    for (const name of route.query ?? []) {
      params.push({ name, in: 'query', required: false, schema: { type: 'string' } });
    }
    if (route.id === 'submitFiling') {
      params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } });
    }
    const doc = OPERATIONS[route.id];
    if (!doc) throw new Error(`openapi-operations.ts documents no route ${route.id}`);
    const operation: Record<string, unknown> = {
      operationId: route.id,
      tags: [route.tag],
      summary: route.summary.en,
      description: doc.note ? `${route.summary.zh}\n\n${doc.note}` : route.summary.zh,
      parameters: params,
      responses: responses(route, doc),
    };
    if (route.access === 'receipt') operation.security = [{ receipt: [] }];
    if (route.access === 'staff') operation.security = [{ staff: [] }];
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${route.body}` },
            ...(doc.request !== undefined ? { example: doc.request } : {}),
          },
        },
      };
    } else if (doc.requestContent) {
      operation.requestBody = { required: true, content: doc.requestContent };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Standards-officer programmes API',
      version: '1.0.0',
      description: [
        '企业首席标准官、标准总监、标准化专员备案接口 / Filing API for enterprise standards officers.',
        '',
        'Errors have one shape: `{ "errors": [{ "path", "code", "message": { "zh", "en" } }] }`; each',
        'route lists the codes it can answer with. Any route may also answer 500 `internal_error`,',
        'which says nothing of the cause.',
      ].join('\n'),
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: {
        FilingInput: filingSchema,
        UploadRequest: uploadSchema,
        PlanRequest: withoutSchemaKey(
          z.toJSONSchema(PlanRequestSchema, { io: 'input' }) as Record<string, unknown>,
        ),
        RevealRequest: withoutSchemaKey(
          z.toJSONSchema(RevealRequestSchema, { io: 'input' }) as Record<string, unknown>,
        ),
        ResumeRequest: withoutSchemaKey(
          z.toJSONSchema(ResumeRequestSchema, { io: 'input' }) as Record<string, unknown>,
        ),
        DepartureRequest: withoutSchemaKey(
          z.toJSONSchema(DepartureRequestSchema, { io: 'input' }) as Record<string, unknown>,
        ),
        RemovalRequest: withoutSchemaKey(
          z.toJSONSchema(RemovalRequestSchema, { io: 'input' }) as Record<string, unknown>,
        ),
        TrainingBatchRequest: withoutSchemaKey(
          z.toJSONSchema(TrainingBatchRequestSchema, { io: 'input' }) as Record<string, unknown>,
        ),
        SelectionRequest: withoutSchemaKey(
          z.toJSONSchema(SelectionRequestSchema, { io: 'input' }) as Record<string, unknown>,
        ),
        Errors: ERROR_SCHEMA,
      },
      securitySchemes: {
        staff: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Staff sign-in token (Cognito or the bureau’s OIDC provider; locally `npm run token`)',
        },
        receipt: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: '`Receipt <token>` from the submit answer (or `?receipt=`)',
        },
      },
    },
  };
}

/** The error codes a route answers with: those of its kind (body, access), then its own. */
export function errorCodesOf(route: Route, doc: OperationDoc): ErrorCodeName[] {
  const codes: ErrorCodeName[] = [];
  const byBody: Record<BodyKind, ErrorCodeName[]> = {
    none: [],
    json: ['malformed_json', 'payload_too_large', 'unsupported_media_type', 'validation_failed'],
    xlsx: ['payload_too_large', 'unsupported_media_type', 'validation_failed'],
    form: ['unsupported_media_type'],
  };
  codes.push(...byBody[doc.bodyKind]);
  if (doc.bodyKind === 'none' && doc.fieldCodes?.length) codes.push('validation_failed');
  if (route.access === 'staff') codes.push('unauthenticated', 'forbidden');
  for (const code of doc.errors) if (!codes.includes(code)) codes.push(code);
  return codes.sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status);
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/** The success answer and one response per error status, each with its codes, their meaning and an example. */
function responses(route: Route, doc: OperationDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const success = doc.success;
  const content: Record<string, unknown> = {};
  if (success.schema) {
    content['application/json'] = {
      schema: success.schema,
      ...(success.example !== undefined ? { example: success.example } : {}),
    };
  }
  Object.assign(content, success.content ?? {});
  out[String(route.success)] = {
    description: success.description,
    ...(Object.keys(content).length ? { content } : {}),
    ...(route.id === 'submitFiling'
      ? { headers: { Location: { description: 'The status URL of the filing', schema: { type: 'string' } } } }
      : {}),
  };
  const byStatus = new Map<number, ErrorCodeName[]>();
  for (const code of errorCodesOf(route, doc)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const statuses = new Set([...byStatus.keys(), ...Object.keys(doc.pages ?? {}).map(Number)]);
  for (const status of [...statuses].sort((a, b) => a - b)) {
    const codes = byStatus.get(status) ?? [];
    const page = doc.pages?.[String(status)];
    const lines = codes.map((code) => `\`${code}\`: ${ERROR_CODES[code].when}`);
    if (status === 422 && codes.length && doc.fieldCodes?.length) {
      lines.push(
        `field codes beside the schema's (\`required\`, \`too_long\`, …): ${doc.fieldCodes.map((c) => `\`${c}\``).join(', ')}`,
      );
    }
    if (page) lines.push(page);
    const errorContent: Record<string, unknown> = {};
    if (codes.length) {
      errorContent['application/json'] = {
        schema:
          status === 422
            ? { $ref: '#/components/schemas/Errors' }
            : {
                allOf: [
                  { $ref: '#/components/schemas/Errors' },
                  {
                    type: 'object',
                    properties: {
                      errors: {
                        type: 'array',
                        items: { type: 'object', properties: { code: { enum: codes } } },
                      },
                    },
                  },
                ],
              },
        example: errorExample(route, doc, codes[0] as ErrorCodeName),
      };
    }
    if (page) {
      errorContent['text/html'] = {
        schema: { type: 'string', contentMediaType: 'text/html' },
        example: '<!doctype html><html lang="zh-CN">…</html>',
      };
    }
    out[String(status)] = {
      description: lines.join('\n\n'),
      content: errorContent,
      ...(status === 503 || codes.includes('idempotency_key_in_progress') ? { headers: RETRY_AFTER } : {}),
    };
  }
  return out;
}

/** The first code's answer: the message the API sends, on the field a 422 names. */
function errorExample(route: Route, doc: OperationDoc, code: ErrorCodeName) {
  const { zh, en } = ERROR_CODES[code];
  if (code === 'validation_failed') {
    const body = doc.request as Record<string, unknown> | undefined;
    const field = route.body && body ? (Object.keys(body)[0] ?? '') : '';
    if (field) return { errors: [{ path: field, code: 'required', message: { zh, en } }] };
    const fieldCode = doc.fieldCodes?.[0] ?? 'invalid_value';
    return {
      errors: [
        {
          path: '',
          code: fieldCode,
          message: { zh: '参数不正确（示例）', en: 'invalid parameter (example)' },
        },
      ],
    };
  }
  return { errors: [{ path: '', code, message: { zh, en } }] };
}
