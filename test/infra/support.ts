// Builds the CDK app for template assertions: bundling off (the handlers are not built) and
// CloudFormation validation off unless asked, so most tests synthesize in a second or two.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuiltApp, buildApp } from '#infra/app.ts';
import { loadStage, parseStage, type Stage } from '#infra/stage.ts';
import type { Route } from '#shared/http/routes.ts';

/** A stand-in for the built site: the stack only uploads the folder. */
export function fakeSiteDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sso-site-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>site</title>');
  return dir;
}

export interface Built extends BuiltApp {
  stage: Stage;
  stateful: BuiltApp['stateful'];
  stateless: BuiltApp['stateless'];
  statefulTemplate: Template;
  statelessTemplate: Template;
}

export function build(
  stageOrName: Stage | string = 'dev',
  options: { routes?: readonly Route[]; bundle?: boolean; validate?: boolean; outdir?: string } = {},
): Built {
  const stage = typeof stageOrName === 'string' ? loadStage(stageOrName) : stageOrName;
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    builtinCloudFormationValidation: options.validate ?? false,
    context: {
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      // Construct paths in the template (as the CLI writes them), to find resources by id.
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const built = buildApp(app, stage, fakeSiteDir(), options.routes ? { routes: options.routes } : {});
  return {
    ...built,
    stage,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
  };
}

/** A stage like dev with some settings changed. */
export function stageWith(overrides: Record<string, unknown>): Stage {
  return parseStage({ ...loadStage('dev'), ...overrides });
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** Policy statements of every IAM policy in a template, with the policy's logical id. */
export function statements(
  template: Template,
): { policy: string; roles: string[]; Action: string[]; Resource: unknown[]; Effect: string }[] {
  const out: { policy: string; roles: string[]; Action: string[]; Resource: unknown[]; Effect: string }[] =
    [];
  for (const [id, policy] of Object.entries(resourcesOf(template, 'AWS::IAM::Policy'))) {
    const props = policy.Properties as {
      PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown; Effect: string }[] };
      Roles?: { Ref: string }[];
    };
    for (const s of props.PolicyDocument.Statement) {
      out.push({
        policy: id,
        roles: (props.Roles ?? []).map((r) => r.Ref),
        Action: [s.Action].flat(),
        Resource: [s.Resource].flat(),
        Effect: s.Effect,
      });
    }
  }
  return out;
}
