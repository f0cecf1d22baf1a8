// The CDK app: one stage (from `-c stage=<name>`, default dev) as two stacks, stateful and
// stateless, with cdk-nag's AwsSolutions and Serverless packs as validation plugins: synth
// fails on any finding not acknowledged with a reason. Run through `npm run synth` / `deploy`.
import { join } from 'node:path';
import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { addGuard } from './guard.ts';
import { ROOT } from './paths.ts';
import { buildSite } from './site-build.ts';
import { loadStage, type Stage } from './stage.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface BuiltApp {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/** Both stacks of a stage in `app`, checked by cdk-nag. */
export function buildApp(
  app: App,
  stage: Stage,
  siteDir: string,
  options: Partial<Pick<ConstructorParameters<typeof StatelessStack>[2], 'routes'>> & {
    /** Also run cfn-guard's Control Tower rules (infra/guard.ts). */
    guard?: boolean;
  } = {},
): BuiltApp {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const env: Environment = { region: stage.region, ...(stage.account ? { account: stage.account } : {}) };
  const prefix = `StandardsOfficer-${stage.name}`;
  const tags = { project: 'standards-officer', stage: stage.name };
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    stage,
    env,
    tags,
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    stage,
    stateful,
    siteDir,
    env,
    tags,
    ...(options.routes ? { routes: options.routes } : {}),
  });
  // Deployed after the stateful stack even where it takes nothing from it by reference.
  stateless.addStackDependency(stateful);
  if (options.guard) addGuard(app);
  return { app, stateful, stateless };
}

if (import.meta.main) {
  const app = new App();
  const stageName = String(app.node.tryGetContext('stage') ?? 'dev');
  const stage = loadStage(stageName);
  // The pages as `npm start` serves them; config.json is written by the stack (API URL, sign-in).
  const siteDir = await buildSite({ outDir: join(ROOT, '.build', 'site') });
  // cfn-guard runs in test:infra (test/infra/guard.test.ts); `-c guard=true` runs it here too.
  buildApp(app, stage, siteDir, { guard: app.node.tryGetContext('guard') === 'true' });
  app.synth();
}
