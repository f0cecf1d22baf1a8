import { describe, expect, it } from 'vitest';
import { renderDocsPage } from './docs-page.ts';
import { openApiDocument } from './openapi.ts';
import { ROUTES } from './routes.ts';

const html = renderDocsPage(openApiDocument());

/** The table row of one FilingInput field. */
function fieldRow(path: string): string {
  // Within the FilingInput section (routes' parameter tables come first and may share names).
  const start = html.indexOf(`<tr><td><code>${path}</code></td>`, html.indexOf('<h2 id="FilingInput">'));
  if (start < 0) throw new Error(`no row for ${path}`);
  return html.slice(start, html.indexOf('</tr>', start));
}

function minimalDocument(
  overrides: { title?: string; summary?: string; param?: string; schema?: unknown } = {},
) {
  return {
    info: { title: overrides.title ?? 'API', description: 'd', version: '1' },
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          summary: overrides.summary ?? 'Get a thing',
          description: '取',
          parameters: [{ name: overrides.param ?? 'id', in: 'path', required: true }],
          responses: { '200': { description: 'OK' } },
        },
      },
    },
    components: { schemas: { FilingInput: overrides.schema ?? { type: 'object', properties: {} } } },
  };
}

describe('renderDocsPage', () => {
  it('is a complete HTML page titled after the API', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Standards-officer programmes API</title>');
    expect(html).toContain('href="openapi.json"');
  });

  it('has a section for every route with its method, path, summaries and status codes', () => {
    for (const route of ROUTES) {
      const heading = `<h2 id="${route.id}"><span class="method">${route.method}</span> <code>${route.path}</code></h2>`;
      expect(html).toContain(heading);
      const section = html.slice(html.indexOf(heading), html.indexOf('<h2', html.indexOf(heading) + 1));
      expect(section).toContain(route.summary.en);
      expect(section).toContain(route.summary.zh);
      expect(section).toContain(`<td>${route.success}</td>`);
      expect(section.includes('Body: <a href="#FilingInput">')).toBe(route.body !== undefined);
    }
  });

  it('lists the parameters of a route, required ones marked', () => {
    const start = html.indexOf('<h2 id="submitFiling">');
    const section = html.slice(start, html.indexOf('<h2', start + 1));
    expect(section).toContain('<tr><td><code>programId</code></td><td>path</td><td>yes</td></tr>');
    expect(section).toContain('<tr><td><code>Idempotency-Key</code></td><td>header</td><td></td></tr>');
    const list = html.slice(html.indexOf('<h2 id="listPrograms">'), html.indexOf('<h2 id="getProgram">'));
    expect(list).not.toContain('<th>parameter</th>');
  });

  it('lists every FilingInput field, nested ones by dotted path, with type, required and rules', () => {
    expect(html).toContain('<h2 id="FilingInput">FilingInput</h2>');
    expect(fieldRow('role')).toContain('<td>yes</td>');
    expect(fieldRow('person.idNumber')).toContain('<td>string</td><td>yes</td>');
    expect(fieldRow('person.appointment.date')).toContain('pattern <code>');
    expect(fieldRow('person.training')).toContain('<td>object</td><td></td>');
    expect(fieldRow('person.training.course')).toContain('<td>string</td><td>yes</td>');
    expect(fieldRow('person.sex')).toContain('one of <code>male</code>, <code>female</code>');
    expect(fieldRow('person.standardsWorkYears')).toContain('≥ 0; ≤ 60');
    expect(fieldRow('person.name')).toContain('≥ 2 chars; ≤ 30 chars');
    expect(fieldRow('enterprise.categories')).toContain('items: one of <code>standardization_pilot</code>');
    expect(fieldRow('consent.accepted')).toContain('must be <code>true</code>');
    expect(fieldRow('consent.acceptedAt')).toContain('format date-time');
  });

  it('escapes everything taken from the document', () => {
    const page = renderDocsPage(
      minimalDocument({
        title: '<script>alert(1)</script>',
        summary: '<img src=x onerror=alert(1)>',
        param: '"><b>',
        schema: {
          type: 'object',
          required: ['<x>'],
          properties: { '<x>': { type: 'string', enum: ['<a>'], pattern: '^<&>$' } },
        },
      }),
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('<code>&quot;&gt;&lt;b&gt;</code>');
    expect(page).toContain('<tr><td><code>&lt;x&gt;</code></td><td>string</td><td>yes</td>');
    expect(page).toContain('one of <code>&lt;a&gt;</code>');
    expect(page).toContain('pattern <code>^&lt;&amp;&gt;$</code>');
  });

  it('shows an array of plain items by their type, and a document without a filing schema', () => {
    const page = renderDocsPage(
      minimalDocument({
        schema: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
      }),
    );
    expect(page).toContain(
      '<tr><td><code>tags</code></td><td>array</td><td></td><td>items: string</td></tr>',
    );
    const doc = minimalDocument();
    const empty = renderDocsPage({ ...doc, components: { schemas: {} } });
    expect(empty).toContain('<h2 id="FilingInput">FilingInput</h2>');
    expect(empty).toContain('<h2 id="getThing">');
  });
});
