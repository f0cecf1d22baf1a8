// The local Step Functions engine through its public API, with an in-memory store and a fake
// Lambda invoker: human waits get real tokens, their timeouts are read from the state input
// and kept by the engine (fast-forwarded with tick), answers resume the execution once, and a
// second engine over the same store resumes a parked wait without notifying anyone again.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type EngineStore,
  type ExecutionRecord,
  LocalStepFunctions,
  type PendingTask,
  SfnApiError,
  type TaskInvoker,
} from '#infra/local/sfn/engine.ts';
import { executionHistory, type HistoryEvent } from '#infra/local/sfn/history.ts';
import { localFunctionArn, localStateMachineArn, substitute } from '#infra/local/sfn/local-workflows.ts';
import { UnsupportedDefinitionError, WAIT_FOR_TOKEN } from '#infra/local/sfn/validate.ts';
import { WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';

type Json = Record<string, unknown>;

/** What a store would hold: copies, never the engine's own objects. */
class MemoryStore implements EngineStore {
  readonly executions = new Map<string, ExecutionRecord>();
  readonly tasks = new Map<string, PendingTask>();
  offset = 0;

  async putExecution(record: ExecutionRecord) {
    this.executions.set(record.executionArn, structuredClone(record));
  }
  async getExecution(executionArn: string) {
    const record = this.executions.get(executionArn);
    return record && structuredClone(record);
  }
  async listExecutions() {
    return [...this.executions.values()].map((r) => structuredClone(r));
  }
  async putTask(task: PendingTask) {
    this.tasks.set(task.token, structuredClone(task));
  }
  async getTask(token: string) {
    const task = this.tasks.get(token);
    return task && structuredClone(task);
  }
  async deleteTask(token: string) {
    this.tasks.delete(token);
  }
  async markInvoked(token: string) {
    const task = this.tasks.get(token);
    if (task) task.invoked = true;
  }
  async listTasks() {
    return [...this.tasks.values()].map((t) => structuredClone(t));
  }
  async getClockOffset() {
    return this.offset;
  }
  async setClockOffset(ms: number) {
    this.offset = ms;
  }
}

const STEP = localFunctionArn('TestStep');
const NOTIFY = localFunctionArn('TestNotify');
const MACHINE = localStateMachineArn('TestReview');

interface Call {
  arn: string;
  payload: Json;
}

/** Records every invocation; the step function fails (Flaky) for inputs asking it to. */
class FakeInvoker implements TaskInvoker {
  readonly calls: Call[] = [];

  async invoke(functionArn: string, payload: unknown): Promise<unknown> {
    const copy = JSON.parse(JSON.stringify(payload ?? null)) as Json;
    this.calls.push({ arn: functionArn, payload: copy });
    if (functionArn === NOTIFY) return null; // a notification: the token goes out by mail
    if (copy.failPrepare) throw Object.assign(new Error('the step failed'), { name: 'Flaky' });
    return { prepared: true, filingId: copy.filingId };
  }

  to(arn: string, filingId?: string): Call[] {
    return this.calls.filter(
      (c) => c.arn === arn && (filingId === undefined || c.payload.filingId === filingId),
    );
  }
}

/**
 * A Lambda step, then a human wait whose timeout comes from the state input. With `loop`,
 * the wait can also send the execution back to the step (every state then reachable from it).
 */
const definition = (options: { loop?: boolean } = {}): Json => ({
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: STEP,
      TimeoutSeconds: 60,
      ResultPath: '$.prepared',
      Retry: [
        {
          ErrorEquals: ['Flaky'],
          IntervalSeconds: 1,
          MaxAttempts: 2,
          BackoffRate: 1,
          JitterStrategy: 'FULL',
        },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PrepareFailed' }],
      Next: 'Await',
    },
    Await: {
      Type: 'Task',
      Resource: WAIT_FOR_TOKEN,
      Parameters: {
        FunctionName: NOTIFY,
        // The timeout is not in the payload: TimeoutSecondsPath must read the state input.
        Payload: { step: 'await', 'filingId.$': '$.filingId', 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSecondsPath: '$.wait.timeoutSeconds',
      ResultPath: '$.decision',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' },
        { ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'WasRejected' },
        ...(options.loop ? [{ ErrorEquals: ['Again'], ResultPath: '$.error', Next: 'Prepare' }] : []),
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    TimedOut: { Type: 'Succeed' },
    WasRejected: { Type: 'Succeed' },
    PrepareFailed: { Type: 'Fail', Error: 'PrepareFailed', Cause: 'the step kept failing' },
  },
});

const inputFor = (filingId: string, timeoutSeconds = 7200, extra: Json = {}) =>
  JSON.stringify({ filingId, wait: { timeoutSeconds }, ...extra });

const engines: LocalStepFunctions[] = [];

async function newEngine(
  store: EngineStore,
  invoker: TaskInvoker,
  machine: Json = definition(),
  arn = MACHINE,
): Promise<LocalStepFunctions> {
  const engine = new LocalStepFunctions(store, invoker);
  engines.push(engine);
  engine.register(arn, machine);
  await engine.start();
  return engine;
}

afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
});

async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until the execution is parked in Await; returns the token its notification carried. */
async function parked(engine: LocalStepFunctions, invoker: FakeInvoker, filingId: string): Promise<string> {
  const call = await eventually(
    async () => invoker.to(NOTIFY, filingId)[0],
    `the notification of ${filingId}`,
  );
  const token = String(call.payload.taskToken);
  await eventually(
    async () => (await engine.pendingTasks()).some((t) => t.token === token && t.invoked !== false),
    `the pending task of ${filingId}`,
  );
  return token;
}

async function finished(engine: LocalStepFunctions, executionArn: string): Promise<ExecutionRecord> {
  return eventually(async () => {
    const exec = await engine.describeExecution(executionArn);
    return exec.status !== 'RUNNING' && exec;
  }, `the end of ${executionArn}`);
}

const entered = (exec: ExecutionRecord) =>
  exec.events.filter((e) => e.type === 'StateEntered').map((e) => e.state);

async function apiError(promise: Promise<unknown>): Promise<SfnApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SfnApiError);
    return error as SfnApiError;
  }
  throw new Error('expected an SfnApiError, the call succeeded');
}

describe('LocalStepFunctions', () => {
  it('runs the Lambda step and parks at the wait with a real token in the payload', async () => {
    const store = new MemoryStore();
    const invoker = new FakeInvoker();
    const engine = await newEngine(store, invoker);
    const { executionArn, startDate } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    expect(executionArn).toBe(`${MACHINE.replace(':stateMachine:', ':execution:')}:F1`);
    expect(Number.isNaN(Date.parse(startDate))).toBe(false);

    const token = await parked(engine, invoker, 'F1');
    expect(token).not.toBe('__LOCAL_TASK_TOKEN__');
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/); // 48 random bytes
    // the wait function gets exactly its Payload, with the token, nothing of the engine's
    expect(invoker.to(NOTIFY)).toEqual([
      { arn: NOTIFY, payload: { step: 'await', filingId: 'F1', taskToken: token } },
    ]);
    // the Lambda step got the execution input
    expect(invoker.to(STEP)).toEqual([{ arn: STEP, payload: JSON.parse(inputFor('F1')) }]);

    const pending = await engine.pendingTasks();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ token, executionArn, stateName: 'Await' });
    // persisted, so that a restart can resume it
    expect(store.tasks.get(token)?.executionArn).toBe(executionArn);
    const exec = await engine.describeExecution(executionArn);
    expect(exec.status).toBe('RUNNING');
    expect(exec.stateName).toBe('Await');
    expect(entered(exec)).toEqual(['Prepare', 'Await']);

    // every wait gets its own token
    await engine.startExecution(MACHINE, 'F2', inputFor('F2'));
    const other = await parked(engine, invoker, 'F2');
    expect(other).not.toBe(token);
  });

  it('reads TimeoutSecondsPath from the state input (not from the Parameters output)', async () => {
    const store = new MemoryStore();
    const invoker = new FakeInvoker();
    const engine = await newEngine(store, invoker);
    const before = engine.now();
    const long = await engine.startExecution(MACHINE, 'LONG', inputFor('LONG', 7200));
    const short = await engine.startExecution(MACHINE, 'SHORT', inputFor('SHORT', 600));
    const longToken = await parked(engine, invoker, 'LONG');
    const shortToken = await parked(engine, invoker, 'SHORT');
    const after = engine.now();
    const deadline = async (token: string) =>
      (await engine.pendingTasks()).find((t) => t.token === token)?.deadline ?? Number.NaN;
    expect(await deadline(longToken)).toBeGreaterThanOrEqual(before + 7200_000);
    expect(await deadline(longToken)).toBeLessThanOrEqual(after + 7200_000);
    expect(await deadline(shortToken)).toBeGreaterThanOrEqual(before + 600_000);
    expect(await deadline(shortToken)).toBeLessThanOrEqual(after + 600_000);

    // nothing is due before ten minutes; after them only the short wait times out
    expect(await engine.tick(540_000)).toBe(0);
    expect(await engine.tick(120_000)).toBe(1);
    expect(entered(await finished(engine, short.executionArn))).toEqual(['Prepare', 'Await', 'TimedOut']);
    expect((await engine.describeExecution(long.executionArn)).status).toBe('RUNNING');
    expect((await engine.pendingTasks()).map((t) => t.token)).toEqual([longToken]);
  });

  it('SendTaskSuccess resumes the execution with the output at ResultPath', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    await engine.sendTaskSuccess(token, JSON.stringify({ decision: 'approve', by: 'city-210100' }));

    const exec = await finished(engine, executionArn);
    expect(exec.status).toBe('SUCCEEDED');
    expect(entered(exec)).toEqual(['Prepare', 'Await', 'Done']);
    expect(JSON.parse(exec.output ?? 'null')).toEqual({
      filingId: 'F1',
      wait: { timeoutSeconds: 7200 },
      prepared: { prepared: true, filingId: 'F1' },
      decision: { decision: 'approve', by: 'city-210100' },
    });
    expect(exec.stopDate).toBeDefined();
    expect(await engine.pendingTasks()).toEqual([]);
  });

  it('SendTaskFailure with a custom error goes to its Catch', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    await engine.sendTaskFailure(token, 'Rejected', '培训证书无法核实');

    const exec = await finished(engine, executionArn);
    expect(exec.status).toBe('SUCCEEDED');
    expect(entered(exec)).toEqual(['Prepare', 'Await', 'WasRejected']);
    const output = JSON.parse(exec.output ?? 'null') as Json;
    expect(output.error).toEqual({ Error: 'Rejected', Cause: '培训证书无法核实' });
    expect(output.decision).toBeUndefined();
  });

  it('SendTaskFailure with an error no Catch names fails the execution with that error', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    await engine.sendTaskFailure(token, 'Unexpected', 'no catcher for this');
    const exec = await finished(engine, executionArn);
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('Unexpected');
    expect(exec.cause).toBe('no catcher for this');
  });

  it('answers TaskDoesNotExist for a token it never issued', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    await parked(engine, invoker, 'F1');
    const unknown = 'x'.repeat(64);
    expect((await apiError(engine.sendTaskSuccess(unknown, '{}'))).type).toBe('TaskDoesNotExist');
    expect((await apiError(engine.sendTaskFailure(unknown, 'Rejected'))).type).toBe('TaskDoesNotExist');
    expect((await apiError(engine.sendTaskHeartbeat(unknown))).type).toBe('TaskDoesNotExist');
    const placeholder = await apiError(engine.sendTaskSuccess('__LOCAL_TASK_TOKEN__', '{}'));
    expect(placeholder.type).toBe('TaskDoesNotExist');
    expect(placeholder.name).toBe('TaskDoesNotExist');
    // the real wait is untouched
    expect(await engine.pendingTasks()).toHaveLength(1);
  });

  it('takes one answer per token: a second answer is TaskDoesNotExist and changes nothing', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    await engine.sendTaskHeartbeat(token); // a heartbeat is not an answer
    await engine.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }));
    expect((await apiError(engine.sendTaskSuccess(token, JSON.stringify({ decision: 'reject' })))).type).toBe(
      'TaskDoesNotExist',
    );
    expect((await apiError(engine.sendTaskFailure(token, 'Rejected'))).type).toBe('TaskDoesNotExist');
    const exec = await finished(engine, executionArn);
    expect(entered(exec)).toEqual(['Prepare', 'Await', 'Done']);
    expect((JSON.parse(exec.output ?? 'null') as Json).decision).toEqual({ decision: 'approve' });
  });

  it('keeps no run of a parked execution in memory: only its token and deadline, until it is answered', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const arns: string[] = [];
    for (const id of ['F1', 'F2', 'F3'])
      arns.push((await engine.startExecution(MACHINE, id, inputFor(id))).executionArn);
    const tokens = [
      await parked(engine, invoker, 'F1'),
      await parked(engine, invoker, 'F2'),
      await parked(engine, invoker, 'F3'),
    ];
    await eventually(async () => engine.memory().running === 0, 'the runs to end');
    expect(engine.memory()).toEqual({ running: 0, invoking: 0, parked: 3 });

    await engine.sendTaskSuccess(tokens[1] ?? '', JSON.stringify({ decision: 'approve' }));
    const exec = await finished(engine, arns[1] ?? '');
    expect(exec.status).toBe('SUCCEEDED');
    // the wait state is entered once in the history, though the run on from it enters it again
    expect(entered(exec)).toEqual(['Prepare', 'Await', 'Done']);
    expect(engine.memory()).toEqual({ running: 0, invoking: 0, parked: 2 });
    // the others still wait, notified once each
    expect(invoker.to(NOTIFY)).toHaveLength(3);
    expect((await engine.describeExecution(arns[0] ?? '')).status).toBe('RUNNING');
  });

  it('two answers at once to a parked wait: one runs it on, the other is TaskDoesNotExist', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    await eventually(async () => engine.memory().parked === 1, 'the wait to park');
    const outcomes = await Promise.allSettled([
      engine.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' })),
      engine.sendTaskFailure(token, 'Rejected', 'no'),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as SfnApiError).type).toBe('TaskDoesNotExist');
    const exec = await finished(engine, executionArn);
    const won = outcomes[0]?.status === 'fulfilled' ? 'Done' : 'WasRejected';
    expect(entered(exec)).toEqual(['Prepare', 'Await', won]);
  });

  it('an answer the store cannot take leaves the wait parked; the answer retried runs it on once', async () => {
    const store = new MemoryStore();
    const invoker = new FakeInvoker();
    const engine = await newEngine(store, invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    await eventually(async () => engine.memory().parked === 1, 'the wait to park');
    const deleteTask = store.deleteTask.bind(store);
    store.deleteTask = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { name: 'TimeoutError' });
    };
    await expect(engine.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }))).rejects.toThrow(
      'ECONNREFUSED',
    );
    // a due timeout cannot fire either while the store is down
    await expect(engine.tick(7200_000 + 1000)).rejects.toThrow('ECONNREFUSED');
    expect(engine.memory().parked).toBe(1);
    expect((await engine.describeExecution(executionArn)).status).toBe('RUNNING');

    store.deleteTask = deleteTask;
    await engine.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }));
    const exec = await finished(engine, executionArn);
    expect(entered(exec)).toEqual(['Prepare', 'Await', 'Done']);
    expect(await engine.tick(1000)).toBe(0);
    expect(engine.memory()).toEqual({ running: 0, invoking: 0, parked: 0 });
  });

  it('tick() fires a due timeout into the Catch for States.Timeout; the token is then dead', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1', 7200));
    const token = await parked(engine, invoker, 'F1');
    expect(await engine.tick(7200_000 + 1000)).toBe(1);

    const exec = await finished(engine, executionArn);
    expect(exec.status).toBe('SUCCEEDED');
    expect(entered(exec)).toEqual(['Prepare', 'Await', 'TimedOut']);
    expect((JSON.parse(exec.output ?? 'null') as { error?: { Error?: string } }).error?.Error).toBe(
      'States.Timeout',
    );
    expect(await engine.pendingTasks()).toEqual([]);
    expect((await apiError(engine.sendTaskSuccess(token, '{}'))).type).toBe('TaskDoesNotExist');
    expect(await engine.tick(7200_000)).toBe(0);
  });

  it('StartExecution with the same name and input while running returns the same execution', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const first = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    const again = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    expect(again).toEqual(first);
    // nothing ran a second time
    expect(invoker.to(STEP)).toHaveLength(1);
    expect(invoker.to(NOTIFY)).toHaveLength(1);
    expect(await engine.pendingTasks()).toHaveLength(1);

    const different = await apiError(engine.startExecution(MACHINE, 'F1', inputFor('F1', 600)));
    expect(different.type).toBe('ExecutionAlreadyExists');

    // once closed, even the same input is refused (as for Standard workflows in AWS)
    await engine.sendTaskSuccess(token, '{}');
    await finished(engine, first.executionArn);
    expect((await apiError(engine.startExecution(MACHINE, 'F1', inputFor('F1')))).type).toBe(
      'ExecutionAlreadyExists',
    );
    expect(invoker.to(STEP)).toHaveLength(1);
  });

  it('a start whose answer was lost (saved, then the store failed) runs when the caller retries, once', async () => {
    const invoker = new FakeInvoker();
    const store = new MemoryStore();
    const engine = await newEngine(store, invoker);
    const put = store.putExecution.bind(store);
    // The write lands, the answer does not (DynamoDB Local killed right after it wrote).
    store.putExecution = async (record) => {
      await put(record);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    };
    await expect(engine.startExecution(MACHINE, 'F1', inputFor('F1'))).rejects.toThrow('socket hang up');
    store.putExecution = put;
    expect([...store.executions.values()].map((e) => e.status)).toEqual(['RUNNING']);
    expect(invoker.to(STEP)).toEqual([]);

    const again = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    await parked(engine, invoker, 'F1');
    expect(await engine.startExecution(MACHINE, 'F1', inputFor('F1'))).toEqual(again);
    expect(invoker.to(STEP)).toHaveLength(1);
    expect(invoker.to(NOTIFY)).toHaveLength(1);
  });

  it('two concurrent StartExecution calls with the same name and input run one execution', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const answers = await Promise.allSettled([
      engine.startExecution(MACHINE, 'F1', inputFor('F1')),
      engine.startExecution(MACHINE, 'F1', inputFor('F1')),
    ]);
    for (const answer of answers) expect(answer.status).toBe('fulfilled');
    const arns = answers.map((a) => (a.status === 'fulfilled' ? a.value.executionArn : ''));
    expect(arns[1]).toBe(arns[0]);
    await parked(engine, invoker, 'F1');
    // a grace period for a second run, if one was started, to show itself (not a timing check)
    await new Promise((r) => setTimeout(r, 200));
    expect(invoker.to(STEP)).toHaveLength(1);
    expect(invoker.to(NOTIFY)).toHaveLength(1);
    expect(await engine.pendingTasks()).toHaveLength(1);
  });

  it('retries a failing Lambda step per its Retry field, then takes its Catch', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(
      MACHINE,
      'F1',
      inputFor('F1', 7200, { failPrepare: true }),
    );
    const exec = await finished(engine, executionArn);
    // one attempt and MaxAttempts (2) retries
    expect(invoker.to(STEP)).toHaveLength(3);
    expect(invoker.to(NOTIFY)).toEqual([]);
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('PrepareFailed');
    expect(exec.cause).toBe('the step kept failing');
    expect(entered(exec)).toEqual(['Prepare', 'PrepareFailed']);
  });

  // Straight: Prepare → Await → Done, so the step before the wait cannot be reached from it.
  // Looping: the wait may also lead back to the step.
  it.each([
    ['straight', false],
    ['looping', true],
  ])(
    'after a restart over the same store (%s definition), the token issued before it completes the execution',
    async (_kind, loop) => {
      const store = new MemoryStore();
      const firstInvoker = new FakeInvoker();
      const first = await newEngine(store, firstInvoker, definition({ loop }));
      const { executionArn } = await first.startExecution(MACHINE, 'F1', inputFor('F1'));
      const token = await parked(first, firstInvoker, 'F1');
      first.stop();

      const invoker = new FakeInvoker();
      const second = await newEngine(store, invoker, definition({ loop }));
      await second.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }));
      const exec = await finished(second, executionArn);
      expect(exec.status).toBe('SUCCEEDED');
      expect(JSON.parse(exec.output ?? 'null')).toEqual({
        filingId: 'F1',
        wait: { timeoutSeconds: 7200 },
        prepared: { prepared: true, filingId: 'F1' },
        decision: { decision: 'approve' },
      });
      // resumed at the wait: no second notification, the step before it not run again
      expect(invoker.calls).toEqual([]);
      expect(firstInvoker.to(NOTIFY)).toHaveLength(1);
      expect(firstInvoker.to(STEP)).toHaveLength(1);
      expect(await second.pendingTasks()).toEqual([]);
      expect((await apiError(second.sendTaskSuccess(token, '{}'))).type).toBe('TaskDoesNotExist');
    },
  );

  it('a wait whose function had not returned when the process died is invoked again after a restart, with the same token', async () => {
    const store = new MemoryStore();
    // The first process dies while the notification is being sent: it never returns.
    const hanging = new FakeInvoker();
    const sendNotice = hanging.invoke.bind(hanging);
    hanging.invoke = async (arn, payload) => {
      const out = await sendNotice(arn, payload);
      return arn === NOTIFY ? new Promise(() => {}) : out;
    };
    const first = await newEngine(store, hanging);
    const { executionArn } = await first.startExecution(MACHINE, 'F1', inputFor('F1'));
    const call = await eventually(async () => hanging.to(NOTIFY, 'F1')[0], 'the first notification');
    const token = String(call.payload.taskToken);
    expect((await store.getTask(token))?.invoked).toBe(false);
    first.stop();

    const invoker = new FakeInvoker();
    const second = await newEngine(store, invoker);
    const again = await eventually(async () => invoker.to(NOTIFY, 'F1')[0], 'the notification again');
    expect(again.payload.taskToken).toBe(token);
    await eventually(
      async () => (await store.getTask(token))?.invoked === true,
      'the wait marked as notified',
    );
    await second.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }));
    expect((await finished(second, executionArn)).status).toBe('SUCCEEDED');
    // The step before the wait ran once; the wait was notified once per process.
    expect([hanging.to(STEP), invoker.to(STEP)].map((c) => c.length)).toEqual([1, 0]);
    expect(invoker.to(NOTIFY)).toHaveLength(1);
  });

  it('after a restart, the deadline and the fast-forwarded clock still hold, with no second notification', async () => {
    // (looping, so that this checks the clock even while the straight restart above fails)
    const store = new MemoryStore();
    const firstInvoker = new FakeInvoker();
    const first = await newEngine(store, firstInvoker, definition({ loop: true }));
    const { executionArn } = await first.startExecution(MACHINE, 'F1', inputFor('F1', 7200));
    const token = await parked(first, firstInvoker, 'F1');
    expect(await first.tick(3600_000)).toBe(0);
    first.stop();

    const invoker = new FakeInvoker();
    const second = await newEngine(store, invoker, definition({ loop: true }));
    const wallClock = Date.now();
    expect(second.now()).toBeGreaterThanOrEqual(wallClock + 3600_000);
    // the wait is still pending (a heartbeat finds it); 6,600 s in, it is not due yet
    await second.sendTaskHeartbeat(token);
    expect(await second.tick(3000_000)).toBe(0);
    expect((await second.describeExecution(executionArn)).status).toBe('RUNNING');
    // past its deadline it times out (by this tick or, if the resumed wait was not back in
    // place yet, by the engine's own clock a moment later)
    expect(await second.tick(700_000)).toBeLessThanOrEqual(1);
    const exec = await finished(second, executionArn);
    expect(entered(exec).at(-1)).toBe('TimedOut');
    expect(invoker.to(NOTIFY)).toEqual([]);
  });

  it('stopExecution marks it ABORTED, drops its wait, and nothing runs after', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1', 600));
    const token = await parked(engine, invoker, 'F1');
    await engine.stopExecution(executionArn, 'FilingWithdrawn', 'the applicant withdrew');

    const exec = await engine.describeExecution(executionArn);
    expect(exec.status).toBe('ABORTED');
    expect(exec.error).toBe('FilingWithdrawn');
    expect(exec.cause).toBe('the applicant withdrew');
    expect(exec.stopDate).toBeDefined();
    expect(await engine.pendingTasks()).toEqual([]);
    expect((await apiError(engine.sendTaskSuccess(token, '{}'))).type).toBe('TaskDoesNotExist');
    // past its deadline nothing fires and it stays aborted
    expect(await engine.tick(3600_000)).toBe(0);
    await engine.stopExecution(executionArn); // stopping again changes nothing
    const later = await engine.describeExecution(executionArn);
    expect(later.status).toBe('ABORTED');
    expect(later.error).toBe('FilingWithdrawn');
    expect(entered(later)).toEqual(['Prepare', 'Await']);
  });

  it('answers StateMachineDoesNotExist and ExecutionDoesNotExist for unknown ARNs', async () => {
    const engine = await newEngine(new MemoryStore(), new FakeInvoker());
    expect((await apiError(engine.startExecution(localStateMachineArn('Nope'), 'F1', '{}'))).type).toBe(
      'StateMachineDoesNotExist',
    );
    expect((await apiError(engine.describeExecution(`${MACHINE}:nope`))).type).toBe('ExecutionDoesNotExist');
    expect((await apiError(engine.stopExecution(`${MACHINE}:nope`))).type).toBe('ExecutionDoesNotExist');
  });

  it('refuses to register a definition it would run differently from AWS', () => {
    const engine = new LocalStepFunctions(new MemoryStore(), new FakeInvoker());
    const jsonata = { ...definition(), QueryLanguage: 'JSONata' };
    expect(() => engine.register(MACHINE, jsonata)).toThrow(UnsupportedDefinitionError);
    expect(() => engine.register(MACHINE, jsonata)).toThrow(/state machine TestReview cannot run locally/);
  });

  // The library reads every Task's TimeoutSecondsPath from the Parameters output; AWS reads it
  // from the state input. The engine moves it for human waits only, so a Lambda step with
  // Parameters and TimeoutSecondsPath must either be refused at registration or run as in AWS.
  it("a Lambda step's TimeoutSecondsPath is read from the state input too (or the definition is refused)", async () => {
    const invoker = new FakeInvoker();
    const engine = new LocalStepFunctions(new MemoryStore(), invoker);
    engines.push(engine);
    const arn = localStateMachineArn('TimedStep');
    let refused = false;
    try {
      engine.register(arn, {
        StartAt: 'Work',
        States: {
          Work: {
            Type: 'Task',
            Resource: STEP,
            Parameters: { 'filingId.$': '$.filingId' },
            TimeoutSecondsPath: '$.wait.timeoutSeconds',
            End: true,
          },
        },
      });
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedDefinitionError);
      expect((error as Error).message).toMatch(/Work: .*TimeoutSecondsPath/);
      refused = true;
    }
    if (refused) return;
    await engine.start();
    const { executionArn } = await engine.startExecution(arn, 'F1', inputFor('F1', 30));
    const exec = await finished(engine, executionArn);
    expect({ status: exec.status, error: exec.error, cause: exec.cause }).toEqual({
      status: 'SUCCEEDED',
      error: undefined,
      cause: undefined,
    });
    expect(JSON.parse(exec.output ?? 'null')).toEqual({ prepared: true, filingId: 'F1' });
  });

  describe('the real filing workflow, restarted while it waits', () => {
    const FILING = localStateMachineArn('FilingWorkflow');
    const values = {
      Partition: 'aws',
      ...Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.substitution, localFunctionArn(f.id)])),
    };
    const filingDefinition = () =>
      JSON.parse(
        substitute(
          readFileSync(new URL('../../workflows/filing.asl.json', import.meta.url), 'utf8'),
          values,
          'workflows/filing.asl.json',
        ),
      ) as Json;
    const WAIT_FN = localFunctionArn('WorkflowWait');

    /** The workflow's functions, faked: every step hands the state back; waits only notify. */
    class FilingInvoker implements TaskInvoker {
      readonly calls: { arn: string; step: string; taskToken?: string }[] = [];
      async invoke(functionArn: string, payload: unknown): Promise<unknown> {
        const p = JSON.parse(JSON.stringify(payload)) as { step: string; state: Json; taskToken?: string };
        this.calls.push({
          arn: functionArn,
          step: p.step,
          ...(p.taskToken ? { taskToken: p.taskToken } : {}),
        });
        return functionArn === WAIT_FN ? null : p.state;
      }
      async waitFor(step: string): Promise<string> {
        const call = await eventually(
          async () => this.calls.find((c) => c.step === step),
          `the ${step} notice`,
        );
        return String(call.taskToken);
      }
    }

    it.each([
      ['CityReview', 'openReview', { decision: 'approve' }],
      ['AwaitProvince', 'awaitProvince', { decision: 'include' }],
    ])(
      'resumes a filing parked in %s and completes it with the token issued before',
      async (state, step, answer) => {
        const store = new MemoryStore();
        const firstInvoker = new FilingInvoker();
        const first = await newEngine(store, firstInvoker, filingDefinition(), FILING);
        const input = {
          filingId: 'F0000000000001',
          programId: 'liaoning-cso',
          stage: 'city',
          wait: { timeoutSeconds: 3600 },
        };
        const { executionArn } = await first.startExecution(FILING, 'F0000000000001', JSON.stringify(input));
        let token = await firstInvoker.waitFor('openReview');
        if (state === 'AwaitProvince') {
          await first.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }));
          token = await firstInvoker.waitFor('awaitProvince');
        }
        await eventually(
          async () => (await first.pendingTasks()).some((t) => t.token === token && t.stateName === state),
          `the filing parked in ${state}`,
        );
        first.stop();

        const invoker = new FilingInvoker();
        const second = await newEngine(store, invoker, filingDefinition(), FILING);
        await second.sendTaskSuccess(token, JSON.stringify(answer));
        if (state === 'CityReview') {
          // approved: on to the province's wait, a new one (and a new notice)
          const next = await invoker.waitFor('awaitProvince');
          await second.sendTaskSuccess(next, JSON.stringify({ decision: 'include' }));
        }
        await eventually(
          async () => (await second.describeExecution(executionArn)).status === 'SUCCEEDED',
          'the filing workflow to succeed',
        );
        const exec = await second.describeExecution(executionArn);
        expect(entered(exec).at(-1)).toBe('Included');
        // no second notice for the wait that was pending across the restart
        expect(invoker.calls.filter((c) => c.step === step)).toEqual([]);
        expect(firstInvoker.calls.filter((c) => c.step === step)).toHaveLength(1);
      },
    );
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('idleness', () => {
  // What a poll of the store alone would take for settled: the execution RUNNING, its wait saved.
  // One write is still on its way: the wait marked as notified, or the record saved as it parks.
  it.each([
    ['markInvoked', (_store: MemoryStore): boolean => true],
    ['putExecution', (store: MemoryStore): boolean => [...store.tasks.values()].some((t) => t.invoked)],
  ] as const)('is not reported while a store write (%s) is still pending', async (method, holdNow) => {
    const store = new MemoryStore();
    const entered = deferred();
    const release = deferred();
    const write = store[method].bind(store) as (value: never) => Promise<void>;
    let held = false;
    store[method] = (async (value: never): Promise<void> => {
      if (!held && holdNow(store)) {
        held = true;
        entered.resolve();
        await release.promise;
      }
      await write(value);
    }) as never;
    const invoker = new FakeInvoker();
    const engine = await newEngine(store, invoker);
    expect(engine.idle()).toBe(true);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));

    await entered.promise;
    expect((await store.listTasks()).map((t) => t.executionArn)).toEqual([executionArn]);
    expect((await store.getExecution(executionArn))?.status).toBe('RUNNING');
    expect(engine.idle()).toBe(false);
    expect(engine.activity().pending).toBeGreaterThan(0);

    release.resolve();
    await eventually(async () => engine.idle(), 'the engine to be idle');
    // Idle: every write has landed, the wait marked and the record complete up to the parking.
    const [task] = await store.listTasks();
    expect(task?.invoked).toBe(true);
    const saved = await store.getExecution(executionArn);
    expect(saved?.events.at(-1)).toMatchObject({ type: 'TaskSubmitted', state: 'Await' });
    const { begun } = engine.activity();
    expect(engine.activity()).toEqual({ pending: 0, due: 0, begun });
  });

  it('counts an answer, the run it resumes and a due timeout as work under way', async () => {
    const store = new MemoryStore();
    const invoker = new FakeInvoker();
    const engine = await newEngine(store, invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1', 60));
    const token = await parked(engine, invoker, 'F1');
    await eventually(async () => engine.idle(), 'the engine to be idle');

    const answered = engine.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }));
    expect(engine.idle()).toBe(false);
    await answered;
    await eventually(async () => engine.idle(), 'the engine to be idle after the answer');
    expect((await store.getExecution(executionArn))?.status).toBe('SUCCEEDED');

    // A wait past its deadline is due until its timeout has fired and its run is saved.
    const other = await engine.startExecution(MACHINE, 'F2', inputFor('F2', 60));
    await parked(engine, invoker, 'F2');
    await eventually(async () => engine.idle(), 'the engine to be idle with F2 waiting');
    const ticked = engine.tick(61_000);
    expect(engine.idle()).toBe(false);
    expect(await ticked).toBe(1);
    await eventually(async () => engine.idle(), 'the engine to be idle after the timeout');
    expect(entered(await engine.describeExecution(other.executionArn)).at(-1)).toBe('TimedOut');
  });
});

describe('the timeout clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('begins no work while nothing is due, and fires a wait once its deadline passes', async () => {
    // Fake timers for the engine's one-second clock only; promises still settle as usual.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const store = new MemoryStore();
    const invoker = new FakeInvoker();
    const engine = await newEngine(store, invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1', 60));
    await parked(engine, invoker, 'F1');
    await eventually(async () => engine.idle(), 'the engine to be idle with F1 waiting');

    // A reading that spans many ticks sees the same engine: no tick counts as work begun.
    const before = engine.activity();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(engine.activity()).toEqual(before);

    await vi.advanceTimersByTimeAsync(31_000);
    await eventually(async () => engine.idle(), 'the engine to be idle after the timeout');
    expect(engine.activity().begun).toBeGreaterThan(before.begun);
    expect(entered(await engine.describeExecution(executionArn)).at(-1)).toBe('TimedOut');
  });
});

describe('execution history', () => {
  const history = (exec: ExecutionRecord, includeExecutionData = true): HistoryEvent[] =>
    executionHistory(exec, definition(), {
      includeExecutionData,
      roleArn: 'arn:aws:iam::000000000000:role/local',
      region: 'us-east-1',
    });
  const detailsOf = (event: HistoryEvent | undefined) =>
    Object.entries(event ?? {}).find(([key]) => key.endsWith('EventDetails'))?.[1] as Json | undefined;

  it.each([
    ['in one process', false],
    ['across a restart while it waits', true],
  ])('shows a Lambda step, a wait and its answer as Step Functions does (%s)', async (_how, restart) => {
    const store = new MemoryStore();
    const invoker = new FakeInvoker();
    let engine = await newEngine(store, invoker);
    const { executionArn } = await engine.startExecution(MACHINE, 'F1', inputFor('F1'));
    const token = await parked(engine, invoker, 'F1');
    if (restart) {
      await eventually(async () => engine.idle(), 'the first engine to be idle');
      engine.stop();
      engine = await newEngine(store, new FakeInvoker());
    }
    await engine.sendTaskSuccess(token, JSON.stringify({ decision: 'approve' }));
    const exec = await finished(engine, executionArn);
    const events = history(exec);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => [e.id, e.previousEventId])).toEqual(events.map((_e, i) => [i + 1, i]));
    const [started, prepare, scheduled, , succeeded, prepared, wait, taskScheduled] = events;
    expect(detailsOf(started)).toEqual({
      input: inputFor('F1'),
      inputDetails: { truncated: false },
      roleArn: 'arn:aws:iam::000000000000:role/local',
    });
    expect(detailsOf(prepare)).toEqual({
      name: 'Prepare',
      input: inputFor('F1'),
      inputDetails: { truncated: false },
    });
    expect(detailsOf(scheduled)).toMatchObject({ resource: STEP, timeoutInSeconds: 60 });
    expect(JSON.parse(String(detailsOf(scheduled)?.input))).toEqual(JSON.parse(inputFor('F1')));
    expect(JSON.parse(String(detailsOf(succeeded)?.output))).toEqual({ prepared: true, filingId: 'F1' });
    const afterPrepare = JSON.parse(String(detailsOf(prepared)?.output)) as Json;
    expect(afterPrepare.prepared).toEqual({ prepared: true, filingId: 'F1' });
    // The wait's input is the step's output (kept once, shown twice).
    expect(JSON.parse(String(detailsOf(wait)?.input))).toEqual(afterPrepare);
    const parameters = JSON.parse(String(detailsOf(taskScheduled)?.parameters)) as Json;
    expect(detailsOf(taskScheduled)).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: 'us-east-1',
      timeoutInSeconds: 7200,
    });
    expect(parameters.FunctionName).toBe(NOTIFY);
    // The token stays out of the history.
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.parse(String(detailsOf(events[10])?.output))).toEqual({ decision: 'approve' });
    expect(detailsOf(events.at(-1))).toEqual({ output: exec.output, outputDetails: { truncated: false } });
    expect(events.every((e) => typeof e.timestamp === 'number' && e.timestamp > 0)).toBe(true);

    // Without execution data: the same events, no inputs or outputs.
    const bare = history(exec, false);
    expect(bare.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(JSON.stringify(bare)).not.toMatch(/"(input|output|parameters)"/);
  });

  it('shows each attempt of a retried Lambda step and the failure that ends the execution', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const { executionArn } = await engine.startExecution(
      MACHINE,
      'F1',
      inputFor('F1', 7200, { failPrepare: true }),
    );
    const exec = await finished(engine, executionArn);
    const attempt = ['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'];
    const events = history(exec);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...attempt,
      ...attempt,
      ...attempt,
      'TaskStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
    expect(events.filter((e) => e.type === 'LambdaFunctionFailed').map(detailsOf)).toEqual(
      Array(3).fill({ error: 'Flaky', cause: 'the step failed' }),
    );
    expect(detailsOf(events.at(-1))).toEqual({ error: 'PrepareFailed', cause: 'the step kept failing' });
  });

  it('shows a timed-out wait as TaskTimedOut, and a stopped execution as ExecutionAborted', async () => {
    const invoker = new FakeInvoker();
    const engine = await newEngine(new MemoryStore(), invoker);
    const timedOut = await engine.startExecution(MACHINE, 'F1', inputFor('F1', 60));
    const stopped = await engine.startExecution(MACHINE, 'F2', inputFor('F2', 600));
    await parked(engine, invoker, 'F1');
    await parked(engine, invoker, 'F2');
    expect(await engine.tick(61_000)).toBe(1);
    const timedOutTypes = history(await finished(engine, timedOut.executionArn)).map((e) => e.type);
    expect(timedOutTypes.slice(-6)).toEqual([
      'TaskSubmitted',
      'TaskTimedOut',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    await engine.stopExecution(stopped.executionArn, 'FilingWithdrawn', 'the applicant withdrew');
    const aborted = history(await engine.describeExecution(stopped.executionArn));
    expect(aborted.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'FilingWithdrawn', cause: 'the applicant withdrew' },
    });
  });
});
