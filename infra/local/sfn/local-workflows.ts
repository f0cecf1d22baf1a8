// Wires the local Step Functions engine for `npm start`: the ASL files of workflows/ with
// their substitutions pointing at local function ARNs, whose invocations call the same
// handler modules the CDK app deploys, and the Step Functions API on loopback.
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STATE_MACHINES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';
import { serveStepFunctionsApi } from './api.ts';
import { LocalStepFunctions, type TaskInvoker } from './engine.ts';
import { dynamoEngineStore, localSfnTableName, prepareEngineTable } from './store.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export const localFunctionArn = (id: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${id}`;
export const localStateMachineArn = (id: string) =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${id}`;

/** Replaces every `${Name}` placeholder; refuses a definition that names one it does not know. */
export function substitute(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\$\{(\w+)\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: no value for the substitution \${${name}}`);
    return value;
  });
}

/**
 * Fault injection for tests of the local runtime only: LOCAL_FAULTS="WorkflowStep:applyDecision=3"
 * makes the first 3 invocations of that function and step fail as a crashed handler would.
 * Counts of injected faults are kept for /_local/faults.json.
 */
export const injectedFaults = new Map<string, number>();

function faultPlan(env: NodeJS.ProcessEnv): Map<string, number> {
  const plan = new Map<string, number>();
  for (const part of (env.LOCAL_FAULTS ?? '').split(',').filter(Boolean)) {
    const [key, count] = part.split('=');
    if (key) plan.set(key, Number(count ?? 1));
  }
  return plan;
}

function invoker(root: string): TaskInvoker {
  const modules = new Map<
    string,
    Promise<{ handler: (event: unknown, context: unknown) => Promise<unknown> }>
  >();
  const faults = faultPlan(process.env);
  return {
    async invoke(functionArn, payload) {
      const id = functionArn.split(':function:')[1] ?? '';
      const key = `${id}:${String((payload as { step?: unknown } | null)?.step ?? '')}`;
      const left = faults.get(key) ?? 0;
      if (left > 0) {
        faults.set(key, left - 1);
        injectedFaults.set(key, (injectedFaults.get(key) ?? 0) + 1);
        throw Object.assign(new Error('injected fault'), { name: 'InjectedFault' });
      }
      const fn = WORKFLOW_FUNCTIONS.find((f) => f.id === id);
      if (!fn)
        throw Object.assign(new Error(`no local function ${id}`), {
          name: 'Lambda.ResourceNotFoundException',
        });
      let mod = modules.get(id);
      if (!mod) {
        mod = import(join(root, fn.handler));
        modules.set(id, mod);
      }
      const context = {
        functionName: id,
        awsRequestId: crypto.randomUUID(),
        getRemainingTimeInMillis: () => 60_000,
      };
      // A JSON round trip, as Lambda serializes the payload and the result.
      const result = await (await mod).handler(JSON.parse(JSON.stringify(payload ?? null)), context);
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    },
  };
}

export async function startLocalWorkflows(options: {
  root: string;
  doc: DynamoDBDocumentClient;
  /** The application table; the engine's own table is named after it (localSfnTableName). */
  tableName: string;
  /** A port, or a listening socket handed over by the supervisor. */
  listen: number | NetServer;
}): Promise<{ engine: LocalStepFunctions; server: Server }> {
  // The engine keeps its state in a table of its own, beside the application table.
  const engineTable = localSfnTableName(options.tableName);
  const moved = await prepareEngineTable(options.doc, options.tableName, engineTable);
  if (moved > 0) {
    console.log(`local workflow engine: moved ${moved} items from ${options.tableName} to ${engineTable}`);
  }
  const engine = new LocalStepFunctions(dynamoEngineStore(options.doc, engineTable), invoker(options.root));
  const values = {
    Partition: 'aws',
    ...Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.substitution, localFunctionArn(f.id)])),
  };
  for (const machine of STATE_MACHINES) {
    const text = await readFile(join(options.root, machine.file), 'utf8');
    engine.register(localStateMachineArn(machine.id), JSON.parse(substitute(text, values, machine.file)));
  }
  await engine.start();
  const server = await serveStepFunctionsApi(engine, options.listen);
  return { engine, server };
}
