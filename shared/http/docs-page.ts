// The API reference page, rendered on the server from the OpenAPI document: every route,
// its parameters, responses, and the filing's fields with their rules.
import { escapeHtml, page } from './html.ts';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};

function rules(schema: Schema): string {
  const parts: string[] = [];
  if (schema.enum) parts.push(`one of ${schema.enum.map((v) => `<code>${escapeHtml(v)}</code>`).join(', ')}`);
  if (schema.const !== undefined) parts.push(`must be <code>${escapeHtml(schema.const)}</code>`);
  if (schema.minLength !== undefined) parts.push(`≥ ${schema.minLength} chars`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} chars`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.format) parts.push(`format ${escapeHtml(schema.format)}`);
  if (schema.pattern) parts.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  if (schema.items) parts.push(`items: ${rules(schema.items) || escapeHtml(schema.items.type ?? '')}`);
  return parts.join('; ');
}

function fieldRows(schema: Schema, prefix = ''): string[] {
  const rows: string[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const required = schema.required?.includes(name) ? 'yes' : '';
    rows.push(
      `<tr><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(child.type ?? '')}</td><td>${required}</td><td>${rules(child)}</td></tr>`,
    );
    if (child.properties) rows.push(...fieldRows(child, path));
  }
  return rows;
}

export function renderDocsPage(document: Record<string, unknown>): string {
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  const sections: string[] = [];
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = (op.parameters as { name: string; in: string; required: boolean }[]) ?? [];
      const responses = Object.entries(op.responses as Record<string, { description: string }>)
        .map(([code, r]) => `<tr><td>${escapeHtml(code)}</td><td>${escapeHtml(r.description)}</td></tr>`)
        .join('');
      sections.push(`<h2 id="${escapeHtml(op.operationId)}"><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2>
<p>${escapeHtml(op.summary)}<br><span class="muted">${escapeHtml(op.description)}</span></p>
${params.length ? `<table><tr><th>parameter</th><th>in</th><th>required</th></tr>${params.map((p) => `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : ''}</td></tr>`).join('')}</table>` : ''}
${op.requestBody ? '<p>Body: <a href="#FilingInput"><code>FilingInput</code></a> (application/json, ≤ 64 KB)</p>' : ''}
<table><tr><th>status</th><th>meaning</th></tr>${responses}</table>`);
    }
  }
  const schemas = (document.components as { schemas: Record<string, Schema> }).schemas;
  const filing = schemas.FilingInput ?? {};
  const info = document.info as { title: string; description: string; version: string };
  return page(
    info.title,
    `<h1>${escapeHtml(info.title)} <span class="muted">${escapeHtml(info.version)}</span></h1>
<p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1). Errors always have the shape
<code>{ "errors": [{ "path", "code", "message": { "zh", "en" } }] }</code>.</p>
${sections.join('\n')}
<h2 id="FilingInput">FilingInput</h2>
<p>Unknown fields are refused. Codes are normalized (trim, full-width → half-width, upper case); mobiles lose <code>+86</code>.</p>
<table><tr><th>field</th><th>type</th><th>required</th><th>rules</th></tr>${fieldRows(filing).join('')}</table>`,
  );
}
