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

/**
 * Libraries bundled today by functions whose job does not use them, each dragged in by a shared
 * module that also serves other functions. They are misses of the function's floor in the
 * bundle bench; the last test fails once one is gone, so that its line goes and the list only
 * shrinks. Anything not listed here fails the first test.
 */
const BUNDLED_WITHOUT_NEED: Record<string, readonly HeavyLibrary[]> = {
  // shared/use-cases/plans/yearly-plans.ts imports plan-sheet.ts (the template and the upload).
  staffGetPlan: ['exceljs'],
  staffSetPlan: ['exceljs'],
  // shared/use-cases/training/staff-training.ts imports imports/pass-list-sheet.ts.
  staffTrainingBatches: ['exceljs'],
  staffRecordTrainingBatch: ['exceljs'],
  // shared/use-cases/returns/selection.ts writes the XLSX list itself.
  staffReturnNominees: ['exceljs'],
  staffSetSelection: ['exceljs'],
};

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
function byFunction(pick: (id: string, has: HeavyLibrary[], declared: HeavyLibrary[]) => HeavyLibrary[]) {
  const found: Record<string, HeavyLibrary[]> = {};
  for (const f of functions) {
    const libraries = pick(f.id, bundled.get(f.id) ?? [], heavyLibrariesOf(f.needs));
    if (libraries.length > 0) found[f.id] = libraries;
  }
  return found;
}

describe('heavy libraries in the function bundles', () => {
  it('bundled every function', () => {
    expect([...bundled.keys()].sort()).toEqual(functions.map((f) => f.id).sort());
  });

  it('a function bundles no heavy library its needs do not name', () => {
    const undeclared = byFunction((id, has, declared) =>
      has.filter((l) => !declared.includes(l) && !(BUNDLED_WITHOUT_NEED[id] ?? []).includes(l)),
    );
    expect(undeclared).toEqual({});
  });

  it('a function bundles every heavy library its needs name', () => {
    const missing = byFunction((_id, has, declared) => declared.filter((l) => !has.includes(l)));
    expect(missing).toEqual({});
  });

  it('the libraries bundled without need are still bundled (drop a line once its import is gone)', () => {
    const gone = byFunction((id, has) => (BUNDLED_WITHOUT_NEED[id] ?? []).filter((l) => !has.includes(l)));
    expect(gone).toEqual({});
    const declaredAnyway = byFunction((id, _has, declared) =>
      (BUNDLED_WITHOUT_NEED[id] ?? []).filter((l) => declared.includes(l)),
    );
    expect(declaredAnyway).toEqual({});
  });

  it('each kind of library is told apart: the Encryption SDK, exceljs, charts and nodemailer all occur', () => {
    const seen = new Set([...bundled.values()].flat());
    expect([...seen].sort()).toEqual(['charts', 'encryptionSdk', 'exceljs', 'nodemailer']);
  });
});
