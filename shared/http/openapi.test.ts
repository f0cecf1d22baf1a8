import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../test/support/fixtures.ts';
import { openApiDocument } from './openapi.ts';
import { ROUTES } from './routes.ts';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
}
interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters: Parameter[];
  responses: Record<string, { description: string; content?: unknown }>;
  security?: Record<string, string[]>[];
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
}

const document = openApiDocument();
const paths = document.paths as Record<string, Record<string, Operation>>;
const components = document.components as {
  schemas: Record<string, Record<string, unknown>>;
  securitySchemes: Record<string, Record<string, string>>;
};

function operation(method: string, path: string): Operation {
  const op = paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`no operation ${method} ${path}`);
  return op;
}

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('openApiDocument', () => {
  it('is an OpenAPI 3.1.0 document with info and the given server', () => {
    expect(document.openapi).toBe('3.1.0');
    const info = document.info as Record<string, string>;
    expect(info.title).toBeTruthy();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(openApiDocument('https://api.example/v1').servers).toEqual([{ url: 'https://api.example/v1' }]);
    expect(document.servers).toEqual([{ url: '/' }]);
  });

  it('has every route, and nothing else, with its method, operationId, tag and summaries', () => {
    const operations = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const op = operation(route.method, route.path);
      expect(op.operationId).toBe(route.id);
      expect(op.tags).toEqual([route.tag]);
      expect(op.summary).toBe(route.summary.en);
      expect(op.description).toBe(route.summary.zh);
      expect(op.responses[String(route.success)]).toBeDefined();
    }
  });

  it('keeps both operations of a path that has two methods', () => {
    expect(Object.keys(paths['/filings/{filingId}'] ?? {}).sort()).toEqual(['get', 'put']);
  });

  it('declares every path parameter as required', () => {
    for (const route of ROUTES) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParams = operation(route.method, route.path).parameters.filter((p) => p.in === 'path');
      expect(pathParams.map((p) => p.name)).toEqual(names);
      for (const p of pathParams) expect(p.required).toBe(true);
    }
  });

  it('puts receipt security and the optional ?receipt= on receipt routes only', () => {
    expect(components.securitySchemes.receipt).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
    for (const route of ROUTES) {
      const op = operation(route.method, route.path);
      const query = op.parameters.find((p) => p.in === 'query' && p.name === 'receipt');
      if (route.access === 'receipt') {
        expect(op.security).toEqual([{ receipt: [] }]);
        expect(query).toEqual(expect.objectContaining({ required: false }));
      } else if (route.access === 'staff') {
        expect(op.security).toEqual([{ staff: [] }]);
        expect(query).toBeUndefined();
      } else {
        expect(op.security).toBeUndefined();
        expect(query).toBeUndefined();
      }
    }
    expect(components.securitySchemes.staff).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('documents the query parameters of staff routes', () => {
    const list = operation('GET', '/staff/programs/{programId}/filings');
    expect(list.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual([
      'unit',
      'status',
      'role',
      'from',
      'to',
      'limit',
      'cursor',
    ]);
  });

  it('documents the optional Idempotency-Key header on submit only', () => {
    const submit = operation('POST', '/programs/{programId}/filings');
    expect(submit.parameters).toContainEqual({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string' },
    });
    const others = ROUTES.filter((r) => r.id !== 'submitFiling').flatMap(
      (r) => operation(r.method, r.path).parameters,
    );
    expect(others.filter((p) => p.in === 'header')).toEqual([]);
  });

  it('gives routes with a body their required body schema and the body errors, others no parse errors', () => {
    for (const route of ROUTES) {
      const op = operation(route.method, route.path);
      const codes = Object.keys(op.responses);
      if (route.body) {
        expect(op.requestBody).toEqual({
          required: true,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
        });
        expect(codes).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
      } else {
        expect(op.requestBody).toBeUndefined();
        for (const code of ['400', '415', '422']) expect(codes).not.toContain(code);
      }
      expect(codes).toEqual(expect.arrayContaining(['404', '409', '503']));
    }
  });

  it('resolves every $ref inside the document', () => {
    const all = refs(document);
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all) {
      expect(ref).toMatch(/^#\/components\/schemas\/\w+$/);
      expect(components.schemas[ref.split('/').at(-1) ?? '']).toBeDefined();
    }
  });

  it('has a FilingInput component that accepts a valid filing and refuses unknown fields', () => {
    const schema = components.schemas.FilingInput;
    expect(schema).toBeDefined();
    expect(schema).not.toHaveProperty('$schema');
    expect(schema?.type).toBe('object');
    expect(schema?.required).toEqual(expect.arrayContaining(['role', 'person', 'enterprise', 'consent']));
    const validator = new Validator(schema as never, '2020-12');
    expect(validator.validate(validFiling({ n: 70_001 })).valid).toBe(true);
    expect(validator.validate({ ...validFiling({ n: 70_002 }), extra: 1 }).valid).toBe(false);
  });

  it('has an Errors component matching the documented error body', () => {
    const validator = new Validator(components.schemas.Errors as never, '2020-12');
    expect(
      validator.validate({
        errors: [{ path: '', code: 'not_found', message: { zh: '未找到', en: 'not found' } }],
      }).valid,
    ).toBe(true);
    expect(validator.validate({ errors: [{ path: '', code: 'x' }] }).valid).toBe(false);
    expect(validator.validate({}).valid).toBe(false);
  });
});
