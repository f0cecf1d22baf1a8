// cdk-nag (AwsSolutions and Serverless packs) as validation plugins: both stages synthesize
// with no unacknowledged finding, every acknowledgment has a reason, and the packs do catch a
// finding that is not acknowledged.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { acknowledge } from '#infra/nag.ts';
import { build } from './support.ts';

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  const out: { path: string; id: string; reason: string }[] = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: node.node.path, id, reason });
      }
    }
  }
  return out;
}

describe('cdk-nag', () => {
  for (const stage of ['dev', 'liaoning']) {
    it(`finds nothing unacknowledged in the ${stage} stage`, () => {
      const { app } = build(stage);
      expect(() => app.synth()).not.toThrow();
      const found = acknowledgments(app);
      expect(found.length).toBeGreaterThan(10);
      for (const a of found) {
        // Each acknowledgment sits on the resource it is about (never on a whole stack) with a reason.
        expect(a.path.split('/').length, `${a.id} on ${a.path}`).toBeGreaterThan(1);
        expect(a.reason.length, `${a.id} on ${a.path}`).toBeGreaterThanOrEqual(20);
      }
    });
  }

  it('stops synthesis on a finding that is not acknowledged', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    const stack = new Stack(app, 'Careless');
    new Bucket(stack, 'NoLogsNoTls');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1|AwsSolutions-S10|Validation failed/);
  });

  it('refuses an acknowledgment without a real reason', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, 'AwsSolutions-S1', 'because')).toThrow('needs a real reason');
  });
});
