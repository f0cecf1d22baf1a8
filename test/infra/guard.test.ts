// cfn-guard (Control Tower proactive controls, the binary shipped in
// @cdklabs/cdk-validator-cfnguard) beside cdk-nag: both stages synthesize with no
// unacknowledged finding, each acknowledgment sits on its resource with a reason, and the
// check does catch a finding that is not acknowledged.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app.ts';
import { addGuard, GUARD_ACKNOWLEDGMENTS } from '#infra/guard.ts';
import { loadStage } from '#infra/stage.ts';
import { fakeSiteDir } from './support.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * cfn-guard's conclusion and the rules it found on a construct. A finding the report cannot
 * place on any construct (an empty path: one kms_create_grant_aws_service_check per stage) does
 * not fail synthesis and cannot be acknowledged; it is left out here.
 */
function guardReport(outdir: string): { conclusion: string; rules: string[] } {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      pluginName: string;
      conclusion: string;
      violations?: { ruleName: string; violatingConstructs?: { constructPath?: string }[] }[];
    }[];
  };
  const guard = report.pluginReports.find((p) => p.pluginName === 'cdk-validator-cfnguard');
  if (!guard) throw new Error('cfn-guard did not run');
  const placed = (guard.violations ?? []).filter((v) =>
    (v.violatingConstructs ?? []).some((c) => (c.constructPath ?? '') !== ''),
  );
  return { conclusion: guard.conclusion, rules: placed.map((v) => v.ruleName) };
}

function app(outdir: string): App {
  dirs.push(outdir);
  return new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
  });
}

describe('cfn-guard', () => {
  for (const name of ['dev', 'liaoning']) {
    it(`finds nothing unacknowledged in the ${name} stage`, () => {
      const outdir = mkdtempSync(join(tmpdir(), `sso-guard-${name}-`));
      const built = buildApp(app(outdir), loadStage(name), fakeSiteDir(), { guard: true });
      expect(() => built.app.synth()).not.toThrow();
      expect(guardReport(outdir)).toEqual({ conclusion: 'success', rules: [] });
      // Every acknowledgment is on a resource below a stack, with a reason.
      let found = 0;
      for (const node of built.app.node.findAll()) {
        for (const entry of node.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            if (!GUARD_ACKNOWLEDGMENTS.some((a) => id.endsWith(a.rule))) continue;
            found++;
            expect(node.node.path.split('/').length, `${id} on ${node.node.path}`).toBeGreaterThan(2);
            expect(reason.length, `${id} on ${node.node.path}`).toBeGreaterThanOrEqual(40);
          }
        }
      }
      expect(found).toBeGreaterThan(10);
    }, 450_000);
  }

  it('stops synthesis on a finding that is not acknowledged (the binary runs here, offline)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sso-guard-careless-'));
    const careless = app(outdir);
    const stack = new Stack(careless, 'Careless');
    // A queue that is not a dead-letter queue of ours: sqs_dlq_check is acknowledged only on
    // resources present when addGuard ran.
    addGuard(careless);
    new Queue(stack, 'NoDeadLetters');
    expect(() => careless.synth()).toThrow();
    expect(guardReport(outdir).rules).toContain('sqs_dlq_check');
  }, 180_000);
});
