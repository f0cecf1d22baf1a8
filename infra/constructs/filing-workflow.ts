// The workflows: their functions and one Step Functions standard state machine per ASL file
// in workflows/, loaded as written with definition substitutions for the function ARNs.
// Logging (without execution data: filings hold personal data) and tracing on; the machine's
// role may invoke only the functions its definition names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STATE_MACHINES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';
import { FUNCTION_NEEDS } from '../functions.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { ROOT } from '../paths.ts';
import { type AppResources, appFunction } from './app-function.ts';
import type { HouseFunction } from './house-function.ts';

/** The `${Name}` placeholders an ASL file uses. */
export function placeholders(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

export interface FilingWorkflowProps {
  resources: AppResources;
  /** State machine names (the functions refer to the machines by ARNs built from them). */
  names: Record<string, string>;
  logRetention: RetentionDays;
}

export class FilingWorkflow extends Construct {
  readonly functions = new Map<string, HouseFunction>();
  readonly stateMachines = new Map<string, StateMachine>();

  constructor(scope: Construct, id: string, props: FilingWorkflowProps) {
    super(scope, id);
    for (const f of WORKFLOW_FUNCTIONS) {
      const needs = FUNCTION_NEEDS[f.id];
      if (!needs) throw new Error(`no needs for ${f.id}`);
      const fn = appFunction(
        this,
        f.id,
        { handler: f.handler, needs, description: `Workflow: ${f.id}` },
        props.resources,
      );
      acknowledge(
        fn.fn,
        'Serverless-LambdaDLQ',
        'Invoked synchronously by Step Functions, whose Retry and Catch record the failure on the filing and alert.',
      );
      this.functions.set(f.id, fn);
    }
    for (const machine of STATE_MACHINES) {
      const asl = readFileSync(join(ROOT, machine.file), 'utf8');
      const used = placeholders(asl);
      // Task ARNs name their partition (`arn:${Partition}:states:::lambda:invoke…`): a literal
      // `arn:aws:` fails at run time in aws-cn.
      const substitutions: Record<string, string> = used.includes('Partition')
        ? { Partition: Aws.PARTITION }
        : {};
      const invoked: HouseFunction[] = [];
      for (const f of WORKFLOW_FUNCTIONS) {
        const fn = this.functions.get(f.id);
        if (fn && used.includes(f.substitution)) {
          substitutions[f.substitution] = fn.fn.functionArn;
          invoked.push(fn);
        }
      }
      const missing = used.filter((p) => !(p in substitutions));
      if (missing.length > 0)
        throw new Error(`${machine.file} uses ${missing.join(', ')}, which nothing provides`);
      const stateMachineName = props.names[machine.id];
      if (!stateMachineName) throw new Error(`no name for state machine ${machine.id}`);
      // Under /aws/vendedlogs/: Step Functions' log delivery there keeps the log group's
      // resource policy from outgrowing its size limit.
      const logs = new LogGroup(this, `${machine.id}Logs`, {
        logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const sm = new StateMachine(this, machine.id, {
        stateMachineName,
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(asl),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      });
      acknowledge(
        sm.role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray tracing and CloudWatch Logs delivery (logs:*LogDelivery, DescribeLogGroups…) have no resource-level permissions.',
      );
      for (const fn of invoked) {
        fn.fn.grantInvoke(sm);
        acknowledgeWildcardResource(
          sm.role,
          `${fn.fn.functionArn}:*`,
          'The state machine may invoke only the functions its definition names, any version or alias (the grant aws-cdk-lib makes).',
        );
      }
      this.stateMachines.set(machine.id, sm);
    }
  }
}
