// The heavy libraries in each function's bundle, from esbuild's metafile of the same build the CDK
// app makes (bench/lib/bundle.ts): a function bundles the Encryption SDK, exceljs, the chart
// library or nodemailer only where infra/functions.ts says its job uses it, and bundles each one
// it is said to use (a stale declaration would let the bundle bench's floor grow).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctions, type HeavyLibrary, heavyLibrariesOf } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';
import { bundleEach, heavyLibrariesIn } from '../../bench/lib/bundle.ts';

const functions = allFunctions();
let dir: string;
const bundled = new Map<string, HeavyLibrary[]>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sso-bundle-libraries-'));
  const bundles = await bundleEach(
    functions.map((f) => ({ id: f.id, path: join(ROOT, f.handler) })),
    dir,
  );
  for (const [id, b] of bundles) bundled.set(id, heavyLibrariesIn(b.inputs));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Each function's libraries that pass a filter, functions with none left out. */
function byFunction(pick: (has: HeavyLibrary[], declared: HeavyLibrary[]) => HeavyLibrary[]) {
  const found: Record<string, HeavyLibrary[]> = {};
  for (const f of functions) {
    const libraries = pick(bundled.get(f.id) ?? [], heavyLibrariesOf(f.needs));
    if (libraries.length > 0) found[f.id] = libraries;
  }
  return found;
}

describe('heavy libraries in the function bundles', () => {
  it('bundled every function', () => {
    expect([...bundled.keys()].sort()).toEqual(functions.map((f) => f.id).sort());
  });

  it('a function bundles no heavy library its needs do not name', () => {
    const undeclared = byFunction((has, declared) => has.filter((l) => !declared.includes(l)));
    expect(undeclared).toEqual({});
  });

  it('a function bundles every heavy library its needs name', () => {
    const missing = byFunction((has, declared) => declared.filter((l) => !has.includes(l)));
    expect(missing).toEqual({});
  });

  it('each kind of library is told apart: the Encryption SDK, exceljs, charts and nodemailer all occur', () => {
    const seen = new Set([...bundled.values()].flat());
    expect([...seen].sort()).toEqual(['charts', 'encryptionSdk', 'exceljs', 'nodemailer']);
  });
});
