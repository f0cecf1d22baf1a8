import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@cfworker/json-schema';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../test/support/fixtures.ts';
import { toStoredFiling } from '../data/filing-body-item.ts';
import { parseFiling } from '../domain/filing.ts';
import { PROGRAMS } from '../domain/programs/index.ts';
import type { FilingRecord } from '../ports/filings.ts';
import { statusView } from '../use-cases/filing-status.ts';
import { listPrograms, programFacts } from '../use-cases/program-facts.ts';
import { staffDetail, staffRow } from '../use-cases/staff/staff-view.ts';
import { errorCodesOf, openApiDocument } from './openapi.ts';
import { ERROR_CODES, OPERATIONS } from './openapi-operations.ts';
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
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
  requestBody?: { required: boolean; content: Record<string, Media> };
}
interface Media {
  schema: Record<string, unknown>;
  example?: unknown;
}
interface Response {
  description: string;
  content?: Record<string, Media>;
  headers?: Record<string, unknown>;
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
      expect(op.description.startsWith(route.summary.zh)).toBe(true);
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
      'creditCode',
      'name',
    ]);
    expect(String(list.description)).toMatch(/`creditCode`.*`name`/s);
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

  it('gives routes with a JSON body their schema with an example and the body errors, others no parse errors', () => {
    for (const route of ROUTES) {
      const op = operation(route.method, route.path);
      const codes = Object.keys(op.responses);
      if (route.body) {
        expect(op.requestBody?.required).toBe(true);
        expect(op.requestBody?.content['application/json']?.schema).toEqual({
          $ref: `#/components/schemas/${route.body}`,
        });
        expect(op.requestBody?.content['application/json']?.example).toBeDefined();
        expect(codes).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
      } else {
        expect(codes).not.toContain('400');
      }
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

  it('is valid OpenAPI 3.1 for a well-kept validator', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.valid).toBe(true);
    // The validator does refuse: a parameter must say where it goes (path, query, header or cookie).
    const broken = structuredClone(document) as {
      paths: Record<string, Record<string, { parameters: { in: string }[] }>>;
    };
    const param = broken.paths['/programs/{programId}']?.get?.parameters[0];
    if (param) param.in = 'body';
    expect((await validate(broken as never)).valid).toBe(false);
  });
});

/** Every JSON example of the document with the schema it must match, by where it is. */
function jsonExamples(): [string, Record<string, unknown>, unknown][] {
  const found: [string, Record<string, unknown>, unknown][] = [];
  for (const route of ROUTES) {
    const op = operation(route.method, route.path);
    const body = op.requestBody?.content['application/json'];
    if (body?.example !== undefined) found.push([`${route.id} request`, body.schema, body.example]);
    for (const [status, response] of Object.entries(op.responses)) {
      const json = response.content?.['application/json'];
      if (json?.example !== undefined) found.push([`${route.id} ${status}`, json.schema, json.example]);
    }
  }
  return found;
}

/** A schema with the document's components, so a $ref resolves. */
function validator(schema: Record<string, unknown>): Validator {
  return new Validator({ ...schema, $defs: components.schemas } as never, '2020-12');
}

/** A schema's $refs to #/components/schemas/X point at #/$defs/X for the validator. */
function local(schema: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/'));
}

describe('each route’s own errors and examples', () => {
  const status = (route: (typeof ROUTES)[number]) => operation(route.method, route.path).responses;
  const codesOf = (route: (typeof ROUTES)[number]) =>
    Object.values(status(route)).flatMap((r) => {
      const schema = r.content?.['application/json']?.schema as
        | {
            allOf?: {
              properties?: { errors?: { items?: { properties?: { code?: { enum?: string[] } } } } };
            }[];
          }
        | undefined;
      return schema?.allOf?.[1]?.properties?.errors?.items?.properties?.code?.enum ?? [];
    });

  it('documents every route of the route table, and nothing else', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(ROUTES.map((r) => r.id).sort());
  });

  it('gives duplicate_person to submit and amend only, where a second active filing of the person can happen', () => {
    const with409 = ROUTES.filter((r) => codesOf(r).includes('duplicate_person')).map((r) => r.id);
    expect(with409.sort()).toEqual(['amendFiling', 'submitFiling']);
    expect(JSON.stringify(operation('GET', '/filings/{filingId}'))).not.toContain('duplicate_person');
    expect(status(ROUTES.find((r) => r.id === 'submitFiling') as never)['409']?.description).toContain(
      '`duplicate_person`',
    );
  });

  it('lists for each route only its own errors: not one table repeated under every route', () => {
    const tables = new Set(ROUTES.map((r) => JSON.stringify(Object.keys(status(r)).sort())));
    expect(tables.size).toBeGreaterThan(8);
    expect(Object.keys(operation('GET', '/programs').responses)).toEqual(['200']);
    expect(Object.keys(operation('GET', '/programs/{programId}').responses).sort()).toEqual(['200', '404']);
    expect(codesOf(ROUTES.find((r) => r.id === 'withdrawFiling') as never).sort()).toEqual([
      'concurrent_modification',
      'invalid_state',
      'not_found',
      'service_unavailable',
    ]);
    // Staff routes: 401 and 403; the others never.
    for (const route of ROUTES) {
      const codes = Object.keys(status(route));
      expect(codes.includes('401'), route.id).toBe(route.access === 'staff');
      expect(codes.includes('403') && codesOf(route).includes('forbidden'), route.id).toBe(
        route.access === 'staff',
      );
    }
  });

  it('puts each code under its own status, with its meaning in the description and Retry-After where it applies', () => {
    for (const route of ROUTES) {
      const doc = OPERATIONS[route.id];
      if (!doc) throw new Error(route.id);
      for (const code of errorCodesOf(route, doc)) {
        const response = status(route)[String(ERROR_CODES[code].status)];
        expect(response?.description, `${route.id} ${code}`).toContain(`\`${code}\``);
      }
      const unavailable = status(route)['503'];
      if (unavailable) expect(unavailable.headers).toHaveProperty('Retry-After');
    }
    expect(operation('POST', '/programs/{programId}/filings').responses['409']?.headers).toHaveProperty(
      'Retry-After',
    );
  });

  it('names only error codes the code base answers with', () => {
    const root = fileURLToPath(new URL('../', import.meta.url));
    const sources = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('openapi-operations'))
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    for (const code of Object.keys(ERROR_CODES)) expect(sources, code).toContain(`'${code}'`);
    for (const doc of Object.values(OPERATIONS)) {
      for (const code of doc.fieldCodes ?? []) expect(sources, code).toContain(`'${code}'`);
    }
  });

  it('has an example of every route’s answer, and of its body where it takes one', () => {
    for (const route of ROUTES) {
      const op = operation(route.method, route.path);
      const success = op.responses[String(route.success)];
      const examples = Object.values(success?.content ?? {}).filter((m) => m.example !== undefined);
      const isFile = Object.keys(success?.content ?? {}).some((t) => t.includes('spreadsheetml'));
      if (!isFile) expect(examples.length, route.id).toBeGreaterThan(0);
      if (route.body) expect(op.requestBody?.content['application/json']?.example, route.id).toBeDefined();
      else if (op.requestBody)
        expect(Object.keys(op.requestBody.content).length, route.id).toBeGreaterThan(0);
    }
  });

  it.each(jsonExamples())('%s: the example matches its schema', (_where, schema, example) => {
    const result = validator(local(schema)).validate(example);
    expect(result.errors).toEqual([]);
  });

  it('checks examples for real: a wrong status or a code the route does not answer with is refused', () => {
    const submit = operation('POST', '/programs/{programId}/filings');
    const created = submit.responses['201']?.content?.['application/json'];
    const conflict = submit.responses['409']?.content?.['application/json'];
    if (!created || !conflict) throw new Error('no 201 or 409 answer');
    expect(
      validator(local(created.schema)).validate({ ...(created.example as object), status: 'x' }).valid,
    ).toBe(false);
    const other = { errors: [{ path: '', code: 'not_in_pool', message: { zh: '甲', en: 'a' } }] };
    expect(validator(local(conflict.schema)).validate(other).valid).toBe(false);
    expect(validator(local(conflict.schema)).validate(conflict.example).valid).toBe(true);
  });

  it('describes the answers of the programme routes as the use cases give them', () => {
    const schemaOf = (method: string, path: string) =>
      operation(method, path).responses['200']?.content?.['application/json']?.schema ?? {};
    const list = validator(local(schemaOf('GET', '/programs'))).validate(listPrograms());
    expect(list.errors).toEqual([]);
    for (const { id } of PROGRAMS) {
      const facts = validator(local(schemaOf('GET', '/programs/{programId}'))).validate(programFacts(id));
      expect(facts.errors, id).toEqual([]);
    }
  });

  it('describes a filing as the applicant’s and the staff’s views give it', () => {
    const filing = parseFiling(validFiling({ n: 70_003 }));
    const lastEvent = {
      filingId: 'F0000000070003',
      version: 1,
      action: 'submit',
      actor: { role: 'applicant' },
      from: null,
      to: 'city_review',
      at: '2026-03-02T01:20:00.000Z',
      programId: 'liaoning-cso',
      unit: filing.enterprise.reportingUnit,
      role: filing.role,
    } as FilingRecord['lastEvent'];
    const record = {
      filingId: 'F0000000070003',
      programId: 'liaoning-cso',
      createdAt: '2026-03-02T01:20:00.000Z',
      filing: toStoredFiling(filing),
      warnings: [],
      state: 'city_review',
      version: 1,
      lastEvent,
    } as FilingRecord;
    const schemaOf = (method: string, path: string) =>
      local(operation(method, path).responses['200']?.content?.['application/json']?.schema ?? {});
    const applicant = validator(schemaOf('GET', '/filings/{filingId}')).validate(
      statusView(record, [lastEvent]),
    );
    expect(applicant.errors).toEqual([]);
    const page = validator(schemaOf('GET', '/staff/programs/{programId}/filings')).validate({
      items: [staffRow(record)],
    });
    expect(page.errors).toEqual([]);
    const detail = validator(schemaOf('GET', '/staff/filings/{filingId}')).validate({
      ...staffDetail(record, [lastEvent]),
      workflowFailures: [],
    });
    expect(detail.errors).toEqual([]);
  });

  it('has a request example of a filing that the filing schema accepts and that changes nothing when broken', () => {
    const example = operation('POST', '/programs/{programId}/filings').requestBody?.content[
      'application/json'
    ]?.example as Record<string, unknown>;
    const filing = validator(components.schemas.FilingInput as Record<string, unknown>);
    expect(filing.validate(example).valid).toBe(true);
    expect(filing.validate({ ...example, role: 42 }).valid).toBe(false);
  });
});
