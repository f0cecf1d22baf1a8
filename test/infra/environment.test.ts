// Every deployed function gets exactly the environment variables its code reads. What a function
// reads is found in its bundle (the same esbuild build the CDK app makes, bench/lib/bundle.ts):
// the registry's names (shared/config/env.ts) are separate constants, so esbuild keeps in a
// bundle only those its code uses, each as a string. What it gets is its Environment in the
// synthesized templates (the outbox's functions in the nested stack), on a stage that sends
// mail through SES (dev) and one that sends through SMTP (liaoning). The registry is also the
// checklist of docs/environment-variables.md.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';
import {
  ANNUAL_RETURN_ARN_ENV,
  ENV_REGISTRY,
  FILING_WORKFLOW_ARN_ENV,
  UNIT_RETURN_ARN_ENV,
} from '#shared/config/env.ts';
import { bundleEach } from '../../bench/lib/bundle.ts';
import { type Built, build, resourcesOf } from './support.ts';

/**
 * Variables in a function's environment that no registry name stands for: read by the runtime
 * itself, not by the repository's code, so no bundle names them.
 */
const RUNTIME_VARIABLES: readonly string[] = [
  // Node reads it at start (source-mapped stack traces); HouseFunction sets it on every function.
  'NODE_OPTIONS',
];

/**
 * Variables a function's bundle names but the stack rightly gives only to some of the functions
 * that bundle the module reading them: the code reads them to fall back to something when they
 * are unset, and a function gets the variable of a state machine only where its needs start it.
 */
const READ_WITHOUT_SETTING: readonly string[] = [
  // shared/wiring/filing-services.ts: unset, the filing workflow is a pending one (filings stay
  // `submitted`; the outbox starts the reviews). Also the return starter's fallback, below.
  FILING_WORKFLOW_ARN_ENV,
  // shared/adapters/sfn-return-starter.ts: a return machine's ARN is its own variable, else the
  // filing workflow's sibling.
  ANNUAL_RETURN_ARN_ENV,
  UNIT_RETURN_ARN_ENV,
];
const readWithoutSetting = new Set(READ_WITHOUT_SETTING);

const functions = allFunctions();
const set = ENV_REGISTRY.filter((v) => v.setBy === 'cdk').map((v) => v.name);
const local = ENV_REGISTRY.filter((v) => v.setBy === 'local').map((v) => v.name);
let dir: string;
/** Function id → the registry names its bundle holds. */
const reads = new Map<string, Set<string>>();
/** Function id → its environment's names, per stage. */
const given: Map<string, Set<string>>[] = [];
let bundleMs = 0;

/** A name as its own token: `TABLE_NAME` in `"TABLE_NAME"` or in a message's text, not in `X_TABLE_NAME_Y`. */
const mentions = (text: string, name: string) =>
  new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(text);

/** Each function's environment names, by the construct path's function id, both stacks. */
function environments(built: Built): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const template of [built.statelessTemplate, Template.fromStack(built.stateless.outbox)]) {
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      const path = String((fn.Metadata as Record<string, unknown> | undefined)?.['aws:cdk:path'] ?? '');
      const id = /\/([A-Za-z]+)\/Function\/Resource$/.exec(path)?.[1];
      if (!id) continue;
      const env = fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined;
      out.set(id, new Set(Object.keys(env?.Variables ?? {})));
    }
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sso-environment-'));
  const started = performance.now();
  const bundles = await bundleEach(
    functions.map((f) => ({ id: f.id, path: join(ROOT, f.handler) })),
    dir,
  );
  bundleMs = performance.now() - started;
  for (const [id, b] of bundles) {
    const text = readFileSync(b.file, 'utf8');
    reads.set(id, new Set(ENV_REGISTRY.map((v) => v.name).filter((name) => mentions(text, name))));
  }
  for (const stage of ['dev', 'liaoning']) given.push(environments(build(stage)));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Function id → names, for the functions where `pick` finds any. */
function byFunction(pick: (id: string) => string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const f of functions) {
    const names = pick(f.id).sort();
    if (names.length > 0) found[f.id] = names;
  }
  return found;
}

const readBy = (id: string) => [...(reads.get(id) ?? [])];
const givenOnAnyStage = (id: string) => new Set(given.flatMap((stage) => [...(stage.get(id) ?? [])]));

describe('the environment of each deployed function', () => {
  it('bundled every function and found each in the templates of both stages', () => {
    console.info(`bundled ${functions.length} functions in ${Math.round(bundleMs)} ms`);
    const ids = functions.map((f) => f.id).sort();
    expect([...reads.keys()].sort()).toEqual(ids);
    for (const stage of given) expect([...stage.keys()].sort()).toEqual(ids);
  });

  it('gives a function every variable the CDK sets that its code reads (missing)', () => {
    const missing = byFunction((id) => {
      const env = givenOnAnyStage(id);
      return readBy(id).filter((n) => set.includes(n) && !env.has(n) && !readWithoutSetting.has(n));
    });
    expect(missing).toEqual({});
  });

  it('gives a function no variable its code does not read (unused)', () => {
    const unused = given.map((stage) =>
      byFunction((id) => {
        const read = reads.get(id) ?? new Set();
        return [...(stage.get(id) ?? [])].filter((n) => !read.has(n) && !RUNTIME_VARIABLES.includes(n));
      }),
    );
    expect(unused).toEqual([{}, {}]);
  });

  it('sets no variable of the local runtime or the tests in the cloud', () => {
    const cloud = given.map((stage) =>
      byFunction((id) => [...(stage.get(id) ?? [])].filter((n) => local.includes(n))),
    );
    expect(cloud).toEqual([{}, {}]);
  });

  it('reads every variable the CDK sets somewhere, and each fallback read is still read', () => {
    const readAnywhere = new Set([...reads.values()].flatMap((r) => [...r]));
    expect(set.filter((n) => !readAnywhere.has(n))).toEqual([]);
    expect([...readWithoutSetting].filter((n) => !readAnywhere.has(n))).toEqual([]);
  });
});

describe('docs/environment-variables.md', () => {
  it('names every variable of the registry', () => {
    const doc = readFileSync(join(ROOT, 'docs/environment-variables.md'), 'utf8');
    expect(ENV_REGISTRY.map((v) => v.name).filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });
});
