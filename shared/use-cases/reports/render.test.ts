import { describe, expect, it } from 'vitest';
import { counterDelta } from '../../data/counter-item.ts';
import { fromCounterItem } from '../../data/counter-reader.ts';
import type { FilingState } from '../../domain/lifecycle.ts';
import { anhuiStdDirector } from '../../domain/programs/anhui-std-director.ts';
import { liaoningCso } from '../../domain/programs/liaoning-cso.ts';
import type { Program } from '../../domain/programs/program.ts';
import type { CounterRecord } from '../../ports/counters.ts';
import { CSV_BOM, csvField, reportFilename, toCsv } from './render-csv.ts';
import { toHtml } from './render-html.ts';
import { computeTargetProgress } from './target-progress.ts';

const HOSTILE = '<script>alert("x")</script>, "甲"市';

/** Liaoning with one unit renamed to something that needs escaping everywhere. */
const program: Program = {
  ...liaoningCso,
  reportingUnits: liaoningCso.reportingUnits.map((u) =>
    u.code === '210200' ? { ...u, name: { zh: HOSTILE, en: HOSTILE } } : u,
  ),
};

function records(): CounterRecord[] {
  const items = new Map<string, Record<string, unknown>>();
  const steps: [string, string, FilingState | null, FilingState, string][] = [];
  for (let i = 0; i < 5; i++) {
    const unit = i < 3 ? '210100' : '210200';
    const at = `2025-0${i + 1}-10T04:00:00Z`;
    steps.push(
      [unit, 'cso', null, 'submitted', at],
      [unit, 'cso', 'submitted', 'city_review', at],
      [unit, 'cso', 'city_review', 'province_review', at],
      [unit, 'cso', 'province_review', 'in_pool', at],
    );
  }
  steps.push(['210300', 'director', null, 'submitted', '2025-06-01T04:00:00Z']);
  for (const [unit, role, from, to, at] of steps) {
    const delta = counterDelta({ programId: program.id, unit, role, from, to, at });
    if (!delta) continue;
    const item = items.get(delta.key.sk) ?? { year: '2025', unit, role };
    for (const [name, attr] of Object.entries(delta.ExpressionAttributeNames)) {
      if (name.startsWith('#a'))
        item[attr] = Number(item[attr] ?? 0) + Number(delta.ExpressionAttributeValues[`:v${name.slice(2)}`]);
    }
    items.set(delta.key.sk, item);
  }
  return [...items.values()].map(fromCounterItem);
}

const report = computeTargetProgress({
  program,
  records: records(),
  asOf: '2025-06-30',
  today: '2026-01-05',
  generatedAt: '2026-01-05T01:00:00.000Z',
});

/** RFC 4180 parser (tests only): quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('toCsv', () => {
  const csv = toCsv(report);

  it('starts with a BOM and Chinese headers, and ends each record with CRLF', () => {
    expect(csv.startsWith(`${CSV_BOM}备案单位,单位代码,岗位,累计备案,审核中,`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/\n/);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it('has one row per unit × role, a total per role and the grand total, all the same width', () => {
    const rows = parseCsv(csv.slice(1));
    const [header, ...body] = rows;
    expect(body).toHaveLength(report.rows.length + report.byRole.length + 1);
    expect(body.every((r) => r.length === header?.length)).toBe(true);
    const inPool = header?.indexOf('在库人数') ?? -1;
    expect(body.find((r) => r[1] === '210100' && r[2] === '首席标准官')?.[inPool]).toBe('3');
    expect(body.at(-1)?.slice(0, 4)).toEqual(['合计', '', '全部岗位', '6']);
    expect(body.at(-1)?.[inPool]).toBe('5');
    expect(body.find((r) => r[0] === '合计' && r[2] === '标准总监')?.[header?.indexOf('审核中') ?? -1]).toBe(
      '1',
    );
  });

  it('quotes a name with quotes and commas so it reads back unchanged', () => {
    const rows = parseCsv(csv.slice(1));
    expect(rows.filter((r) => r[1] === '210200').map((r) => r[0])).toEqual([HOSTILE, HOSTILE, HOSTILE]);
    expect(csv).toContain('"<script>alert(""x"")</script>, ""甲""市"');
  });

  it('quotes fields per RFC 4180 and defuses formulas', () => {
    expect(csvField('沈阳市')).toBe('沈阳市');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-3)).toBe('-3');
  });

  it('names the file by programme and date', () => {
    expect(reportFilename(report, 'csv')).toBe('target-progress-liaoning-cso-2025-06-30.csv');
  });
});

describe('toHtml', () => {
  it('is one self-contained page with both charts inline as SVG', async () => {
    const html = await toHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(2);
    expect(html).toContain('在库人数（月末）');
    expect(html).toContain('Pool by reporting unit');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    // No script, no link, no remote address but the SVG namespaces.
    expect(html).not.toMatch(/<script[\s>]/i);
    expect(html).not.toMatch(/<link|<img|<iframe|src=/i);
    for (const url of html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [])
      expect(url).toMatch(/^http:\/\/www\.w3\.org\//);
    // The figures are there.
    expect(html).toContain('目标进度报告');
    expect(html).toContain('800（2025-12-31）');
    expect(html).toContain('<tr class="lagging">');
  });

  it('escapes a unit name holding markup, in the tables and in the chart', async () => {
    const html = await toHtml(report);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, &quot;甲&quot;市');
    const svg = html.slice(html.lastIndexOf('<svg'), html.lastIndexOf('</svg>'));
    expect(svg).toContain('&lt;script&gt;alert');
    expect(svg).not.toContain('<script>');
  });
});

describe('a programme whose review ends at the city (Anhui)', () => {
  const registeredSteps: [FilingState | null, FilingState][] = [
    [null, 'submitted'],
    ['submitted', 'city_review'],
    ['city_review', 'registered'],
  ];
  const items = new Map<string, Record<string, unknown>>();
  for (const [from, to] of registeredSteps) {
    const delta = counterDelta({
      programId: anhuiStdDirector.id,
      unit: '340100',
      role: 'director',
      from,
      to,
      at: '2025-05-10T04:00:00Z',
    });
    if (!delta) continue;
    const item = items.get(delta.key.sk) ?? { year: '2025', unit: '340100', role: 'director' };
    for (const [name, attr] of Object.entries(delta.ExpressionAttributeNames)) {
      if (name.startsWith('#a'))
        item[attr] = Number(item[attr] ?? 0) + Number(delta.ExpressionAttributeValues[`:v${name.slice(2)}`]);
    }
    items.set(delta.key.sk, item);
  }
  const anhui = computeTargetProgress({
    program: anhuiStdDirector,
    records: [...items.values()].map(fromCounterItem),
    asOf: '2025-06-30',
    today: '2026-01-05',
    generatedAt: '2026-01-05T01:00:00.000Z',
  });

  it('names the registered directors 已备案 in the CSV, where Liaoning has 在库', () => {
    const [header, ...body] = parseCsv(toCsv(anhui).slice(1));
    expect(header).toContain('已备案人数');
    expect(header).not.toContain('在库人数');
    const registered = header?.indexOf('已备案人数') ?? -1;
    expect(body.find((r) => r[1] === '340100')?.[registered]).toBe('1');
    expect(body.at(-1)?.[registered]).toBe('1');
  });

  it('names them 已备案 in the page and its charts, and says nothing of a pool', async () => {
    const html = await toHtml(anhui);
    expect(html).toContain('已备案人数');
    expect(html).toContain('已备案人数（月末）');
    expect(html).toContain('Registered by reporting unit');
    expect(html).toContain('近3个月备案');
    expect(html).not.toContain('在库');
    expect(html).not.toContain('人才库');
  });
});
