// docs/benchmarks.md is written from bench/results.json by bench/docs.ts; CI's check mode fails
// when the committed page is not what the script writes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main, renderBenchmarks } from '../../bench/docs.ts';
import type { Metric } from '../../bench/lib/results.ts';

const fixture: Record<string, Metric> = {
  'wcu.lifecycle': {
    value: 31.2,
    unit: 'WCU',
    goal: 30,
    better: 'lower',
    measuredAt: '2026-12-06T23:49:17.472Z',
    note: 'per filing | through the <real> workflow, *index* included',
  },
  'api.submit.rps': {
    value: 1234.5678,
    unit: 'req/s',
    goal: 18,
    better: 'higher',
    measuredAt: '2026-11-22T08:16:28.967Z',
    note: '20 connections',
  },
};

describe('renderBenchmarks', () => {
  const page = renderBenchmarks(fixture);
  const rows = page.split('\n').filter((line) => line.startsWith('| [`'));

  it('has one table row per metric, in name order, with value, unit, goal, direction, verdict and date', () => {
    expect(rows).toEqual([
      '| [`api.submit.rps`](#metric-api-submit-rps) | 1,234.568 | req/s | ≥ 18 | higher | met | 2026-11-22 08:16 UTC |',
      '| [`wcu.lifecycle`](#metric-wcu-lifecycle) | 31.2 | WCU | ≤ 30 | lower | **missed** | 2026-12-06 23:49 UTC |',
    ]);
  });

  it('counts and names the missed goals', () => {
    expect(page).toContain(
      '**1 of 2 metrics meet their goal.** Missed: [`wcu.lifecycle`](#metric-wcu-lifecycle).',
    );
  });

  it('shows each note under its metric as text: no table cell, tag or emphasis can come from the JSON', () => {
    expect(page).toContain(
      '<a id="metric-wcu-lifecycle"></a>**`wcu.lifecycle`** = 31.2 WCU (goal ≤ 30, missed;',
    );
    expect(page).toContain('per filing \\| through the \\<real\\> workflow, \\*index\\* included');
    expect(page).not.toContain('<real>');
  });

  it('does not depend on the order of the JSON', () => {
    const reversed = Object.fromEntries(Object.entries(fixture).reverse());
    expect(renderBenchmarks(reversed)).toBe(page);
  });
});

describe('main', () => {
  let dir: string;
  let paths: { results: string; page: string };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-docs-'));
    paths = { results: join(dir, 'results.json'), page: join(dir, 'benchmarks.md') };
    writeFileSync(paths.results, JSON.stringify(fixture));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the page, which --check then accepts', () => {
    expect(main([], paths)).toBe(0);
    expect(readFileSync(paths.page, 'utf8')).toBe(renderBenchmarks(fixture));
    expect(main(['--check'], paths)).toBe(0);
  });

  it('--check fails, writing nothing, when the page is missing, edited by hand or older than the JSON', () => {
    expect(main(['--check'], paths)).toBe(1);
    main([], paths);
    writeFileSync(paths.page, readFileSync(paths.page, 'utf8').replace('31.2', '29.9'));
    expect(main(['--check'], paths)).toBe(1);
    main([], paths);
    writeFileSync(
      paths.results,
      JSON.stringify({ ...fixture, 'wcu.lifecycle': { ...fixture['wcu.lifecycle'], value: 29 } }),
    );
    const before = readFileSync(paths.page, 'utf8');
    expect(main(['--check'], paths)).toBe(1);
    expect(readFileSync(paths.page, 'utf8')).toBe(before);
  });
});
