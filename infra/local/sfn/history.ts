// An execution's events as GetExecutionHistory answers them: Step Functions' event types
// (TaskStateEntered, LambdaFunctionScheduled, TaskSubmitted, ExecutionFailed, …) with their
// details objects, ids from 1 each following the one before, and dates in epoch seconds as
// the JSON protocol carries them. Made from the events the engine keeps (engine.ts), the state
// types from the definition.
import type { ExecutionEvent, ExecutionRecord } from './engine.ts';

type Json = Record<string, unknown>;

export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** Engine events that are no history event of their own: AWS shows them as task events. */
const NOT_IN_HISTORY = new Set(['StateFailed', 'StateRetried', 'StateCaught']);
const EXECUTION_TYPES: Record<string, string> = {
  ExecutionStarted: 'ExecutionStarted',
  ExecutionSucceeded: 'ExecutionSucceeded',
  ExecutionFailed: 'ExecutionFailed',
  ExecutionAborted: 'ExecutionAborted',
  ExecutionTimeout: 'ExecutionTimedOut',
};
const TASK_TYPES = new Set([
  'LambdaFunctionScheduled',
  'LambdaFunctionStarted',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
]);

/** Whether an engine event is one event of the history (the count of those dropped keeps the ids). */
export function inHistory(event: Pick<ExecutionEvent, 'type'>): boolean {
  return (
    !NOT_IN_HISTORY.has(event.type) &&
    (event.type in EXECUTION_TYPES ||
      TASK_TYPES.has(event.type) ||
      event.type === 'StateEntered' ||
      event.type === 'StateExited')
  );
}

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` → lambda, invoke.waitForTaskToken. */
function serviceResource(resource: unknown): { resourceType: string; resource: string } {
  const [type = '', ...rest] = String(resource ?? '')
    .replace(/^arn:aws:states:::/, '')
    .split(':');
  return { resourceType: type, resource: rest.join(':') };
}

const camel = (type: string) => `${type.charAt(0).toLowerCase()}${type.slice(1)}`;

export function executionHistory(
  exec: ExecutionRecord,
  definition: Json | undefined,
  options: { includeExecutionData: boolean; roleArn: string; region: string },
): HistoryEvent[] {
  const states = (definition?.States ?? {}) as Record<string, Json>;
  const withData = options.includeExecutionData;
  /** `input` and `inputDetails` (or output…), when execution data is asked for. */
  const dataOf = (key: 'input' | 'output', text: string | undefined, truncated = false): Json =>
    withData
      ? {
          ...(text !== undefined ? { [key]: text } : {}),
          [`${key}Details`]: { truncated: truncated || text === undefined },
        }
      : {};
  const history: HistoryEvent[] = [];
  let id = exec.historyDropped ?? 0;
  exec.events.forEach((e, i) => {
    if (!inHistory(e)) return;
    const state = e.state === undefined ? undefined : states[e.state];
    const errorOf = () => ({
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
    });
    let type = EXECUTION_TYPES[e.type] ?? e.type;
    let details: Json = {};
    switch (e.type) {
      case 'ExecutionStarted':
        details = { input: exec.input, inputDetails: { truncated: false }, roleArn: options.roleArn };
        if (!withData) details = { roleArn: options.roleArn };
        break;
      case 'ExecutionSucceeded':
        details = dataOf('output', exec.output);
        break;
      case 'ExecutionFailed':
        details = { error: e.error ?? exec.error, cause: e.cause ?? exec.cause };
        break;
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
        details = errorOf();
        break;
      case 'StateEntered': {
        type = `${String(state?.Type ?? 'Task')}StateEntered`;
        // Left out when it is the output of the state just exited.
        const previous = exec.events[i - 1];
        const input =
          e.input ?? (!e.truncated && previous?.type === 'StateExited' ? previous.output : undefined);
        details = { name: e.state, ...dataOf('input', input, e.truncated) };
        break;
      }
      case 'StateExited':
        type = `${String(state?.Type ?? 'Task')}StateExited`;
        details = { name: e.state, ...dataOf('output', e.output, e.truncated) };
        break;
      case 'LambdaFunctionScheduled':
        details = {
          resource: String(state?.Resource ?? ''),
          ...dataOf('input', e.input, e.truncated),
          ...(e.timeoutSeconds !== undefined ? { timeoutInSeconds: e.timeoutSeconds } : {}),
        };
        break;
      case 'LambdaFunctionStarted':
        break;
      case 'LambdaFunctionSucceeded':
        details = dataOf('output', e.output, e.truncated);
        break;
      case 'LambdaFunctionFailed':
      case 'LambdaFunctionTimedOut':
        details = errorOf();
        break;
      default: {
        // TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, TaskFailed, TaskTimedOut.
        const resource = serviceResource(state?.Resource);
        if (e.type === 'TaskScheduled') {
          details = {
            ...resource,
            region: options.region,
            ...(withData ? { parameters: e.input ?? '{}' } : {}),
            ...(e.timeoutSeconds !== undefined ? { timeoutInSeconds: e.timeoutSeconds } : {}),
          };
        } else if (e.type === 'TaskSubmitted' || e.type === 'TaskSucceeded') {
          details = { ...resource, ...dataOf('output', e.output, e.truncated) };
        } else if (e.type === 'TaskStarted') details = resource;
        else details = { ...resource, ...errorOf() };
      }
    }
    id++;
    history.push({
      timestamp: Date.parse(e.at) / 1000,
      type,
      id,
      previousEventId: id - 1,
      ...(e.type === 'LambdaFunctionStarted' ? {} : { [`${camel(detailsName(type))}EventDetails`]: details }),
    });
  });
  return history;
}

/** The details member's name: stateEnteredEventDetails for every *StateEntered, and so on. */
function detailsName(type: string): string {
  if (type.endsWith('StateEntered')) return 'StateEntered';
  if (type.endsWith('StateExited')) return 'StateExited';
  return type;
}
