// Refuses, at start-up, any state machine definition that the local engine would run
// differently from AWS Step Functions, with a message naming the state and the reason.
// The engine (aws-local-stepfunctions underneath) ignores JSONata and `Assign`, applies a
// 60 s default task timeout, evaluates TimeoutSecondsPath against the wrong input, and its
// timers overflow past ~24.8 days; human waits inside Map or Parallel cannot be resumed.

export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000); // ~24.8 days

export const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+$/;

type Json = Record<string, unknown>;

export class UnsupportedDefinitionError extends Error {
  override readonly name = 'UnsupportedDefinitionError';
}

function walk(states: Record<string, Json>, nested: boolean, problems: string[], path: string) {
  for (const [name, state] of Object.entries(states)) {
    const where = `${path}${name}`;
    if ('Assign' in state) problems.push(`${where}: Assign is not supported locally`);
    for (const [i, c] of ((state.Catch as Json[] | undefined) ?? []).entries()) {
      if ('Assign' in c) problems.push(`${where}.Catch[${i}]: Assign is not supported locally`);
    }
    for (const [i, c] of ((state.Choices as Json[] | undefined) ?? []).entries()) {
      if ('Assign' in c) problems.push(`${where}.Choices[${i}]: Assign is not supported locally`);
    }
    if (state.QueryLanguage === 'JSONata' || 'Arguments' in state || 'Output' in state) {
      problems.push(`${where}: JSONata is not supported locally; use JSONPath`);
    }
    if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) {
      problems.push(`${where}: HeartbeatSeconds is not supported locally`);
    }
    if (state.Type === 'Task') {
      const resource = String(state.Resource ?? '');
      if (resource.includes('${')) problems.push(`${where}: unresolved substitution in Resource ${resource}`);
      else if (resource === WAIT_FOR_TOKEN) {
        if (nested)
          problems.push(
            `${where}: a human wait (.waitForTaskToken) must be at the top level, not inside Map or Parallel`,
          );
        const params = state.Parameters as Json | undefined;
        const fn = String(params?.FunctionName ?? '');
        if (!LAMBDA_ARN.test(fn))
          problems.push(`${where}: FunctionName must be a Lambda ARN, got ${fn || 'nothing'}`);
        if (state.TimeoutSecondsPath !== undefined && state.InputPath !== undefined) {
          problems.push(`${where}: TimeoutSecondsPath together with InputPath is not supported locally`);
        }
      } else if (resource === LAMBDA_INVOKE) {
        problems.push(
          `${where}: use the function ARN as Resource (the optimized lambda:invoke result shape is not served locally)`,
        );
      } else if (!LAMBDA_ARN.test(resource)) {
        problems.push(`${where}: resource ${resource} cannot be served locally`);
      } else if (state.TimeoutSecondsPath !== undefined) {
        // The library would read it from the Parameters output, AWS from the state input.
        problems.push(
          `${where}: TimeoutSecondsPath on a Lambda task is not supported locally; use TimeoutSeconds`,
        );
      }
      if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
        problems.push(
          `${where}: every Task needs an explicit TimeoutSeconds (the local engine defaults to 60 s)`,
        );
      }
      if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > MAX_TIMER_SECONDS) {
        problems.push(`${where}: TimeoutSeconds over ${MAX_TIMER_SECONDS} s`);
      }
    }
    if (state.Type === 'Wait' && typeof state.Seconds === 'number' && state.Seconds > MAX_TIMER_SECONDS) {
      problems.push(`${where}: Wait over ${MAX_TIMER_SECONDS} s`);
    }
    if (state.Type === 'Parallel') {
      for (const [i, branch] of ((state.Branches as Json[]) ?? []).entries()) {
        walk((branch.States as Record<string, Json>) ?? {}, true, problems, `${where}.Branches[${i}].`);
      }
    }
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      walk((processor?.States as Record<string, Json>) ?? {}, true, problems, `${where}.ItemProcessor.`);
    }
  }
}

/** Throws UnsupportedDefinitionError listing every problem, or returns quietly. */
export function assertRunsLocallyAsInAws(definition: Json, name: string): void {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') problems.push('top level: JSONata is not supported locally');
  walk((definition.States as Record<string, Json>) ?? {}, false, problems, '');
  if (problems.length > 0) {
    throw new UnsupportedDefinitionError(
      `state machine ${name} cannot run locally as in AWS:\n  - ${problems.join('\n  - ')}`,
    );
  }
}
