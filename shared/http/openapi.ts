// OpenAPI 3.1 document generated from the route table and the zod schemas (the same JSON
// Schema the site validates with), so documentation cannot drift from the code.
import * as z from 'zod/mini';
import { UploadRequestSchema } from '../domain/attachments.ts';
import { DepartureRequestSchema, RemovalRequestSchema } from '../domain/departure.ts';
import { filingJsonSchema } from '../domain/filing.ts';
import { PlanRequestSchema } from '../domain/plans.ts';
import { SelectionRequestSchema } from '../domain/selection.ts';
import { ResumeRequestSchema, RevealRequestSchema } from '../domain/staff.ts';
import { TrainingBatchRequestSchema } from '../domain/training.ts';
import { ROUTES } from './routes.ts';

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

const ERRORS: Record<string, string> = {
  '400': 'Malformed JSON',
  '404': 'Unknown program or filing (also a wrong or missing receipt token)',
  '409': 'Conflict: duplicate person, reused idempotency key, or not possible in the current state',
  '413': 'Body over 64 KB',
  '415': 'Body not sent as application/json',
  '422': 'Schema or rule violation (attachments included): every failing field at once',
  '503': 'Temporarily unavailable; retry after the Retry-After seconds',
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
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
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
    const operation: Record<string, unknown> = {
      operationId: route.id,
      tags: [route.tag],
      summary: route.summary.en,
      description: route.summary.zh,
      parameters: params,
      responses: {
        [String(route.success)]: { description: 'OK' },
        ...Object.fromEntries(
          Object.entries(ERRORS)
            .filter(
              ([code]) =>
                route.body || !['413', '415', '400', '422'].includes(code) || route.id === 'submitFiling',
            )
            .map(([code, description]) => [
              code,
              {
                description,
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
              },
            ]),
        ),
      },
    };
    if (route.access === 'receipt') operation.security = [{ receipt: [] }];
    if (route.access === 'staff') operation.security = [{ staff: [] }];
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Standards-officer programmes API',
      version: '1.0.0',
      description:
        '企业首席标准官、标准总监、标准化专员备案接口 / Filing API for enterprise standards officers',
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
