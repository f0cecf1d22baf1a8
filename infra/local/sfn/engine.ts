// The local Step Functions engine: the same ASL files run on `aws-local-stepfunctions`, with
// what that library lacks supplied here. Task states call the same handler modules as in
// the cloud. A `.waitForTaskToken` task gets a real token, parks until SendTaskSuccess or
// SendTaskFailure (or its timeout, kept by this engine so that it survives restarts and can be
// fast-forwarded), and what a parked execution needs (its input, the state it waits in, its
// token and deadline) is persisted, so a restart resumes every pending wait with the same
// token: links emailed before the restart keep working. Handlers know none of this.
// A parked execution is not kept in memory: once its function has been invoked, its run is
// ended and only its token, execution and deadline stay (about a hundred bytes); an answer or
// a timeout runs it on from the wait state with that answer, as a restart would.
import { randomBytes, randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { SERVICE_UNAVAILABLE } from '#shared/observability/redacted-errors.ts';
import { isUnavailable } from '#shared/observability/unavailable.ts';
import { inHistory } from './history.ts';
import { assertRunsLocallyAsInAws, MAX_TIMER_SECONDS, WAIT_FOR_TOKEN } from './validate.ts';

type Json = Record<string, unknown>;

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Where a restart resumes it: the last state entered and that state's input. */
  stateName?: string;
  stateInput?: string;
  /** What happened, oldest first; the Step Functions history is made from it (history.ts). */
  events: ExecutionEvent[];
  /** History events made from the events dropped from the front of `events` (kept short). */
  historyDropped?: number;
}

/**
 * One step of an execution: the library's events (ExecutionStarted, StateEntered, StateExited,
 * StateFailed, StateRetried, StateCaught, ExecutionSucceeded, ExecutionFailed, ExecutionAborted)
 * and, between a task state's entry and exit, its task's own, under their Step Functions names
 * (LambdaFunctionScheduled … LambdaFunctionSucceeded, TaskScheduled … TaskSucceeded).
 */
export interface ExecutionEvent {
  type: string;
  at: string;
  state?: string;
  error?: string;
  cause?: string;
  /**
   * JSON text: the state's input (StateEntered; absent when it is the output of the StateExited
   * just before it), the task's parameters (TaskScheduled, LambdaFunctionScheduled).
   */
  input?: string;
  /** JSON text: the state's output (StateExited), the function's or the answer's (task events). */
  output?: string;
  timeoutSeconds?: number;
  /** Its input or output was left out, to keep the execution's record small. */
  truncated?: boolean;
}

export interface PendingTask {
  token: string;
  executionArn: string;
  stateName: string;
  /** The state's raw input, to resume the execution at this state after a restart. */
  stateInput: string;
  /** Engine-clock milliseconds. */
  deadline: number;
  createdAt: string;
  /**
   * Whether the state's function was invoked with this token (the notice sent, the review task
   * opened). `false` until it returns: a process killed in between leaves a wait nobody knows
   * the token of, so a restart invokes it again. Absent on tasks saved before it existed.
   */
  invoked?: boolean;
}

export interface EngineStore {
  putExecution(record: ExecutionRecord): Promise<void>;
  getExecution(executionArn: string): Promise<ExecutionRecord | undefined>;
  listExecutions(): Promise<ExecutionRecord[]>;
  /**
   * The running executions without their histories: what the settled check reads, often, with
   * thousands of executions stored. Without it, `listExecutions` is filtered.
   */
  listRunning?(): Promise<RunningExecution[]>;
  putTask(task: PendingTask): Promise<void>;
  getTask(token: string): Promise<PendingTask | undefined>;
  deleteTask(token: string): Promise<void>;
  /** Marks a task's function as invoked, if the task is still pending (answered ones stay gone). */
  markInvoked(token: string): Promise<void>;
  listTasks(): Promise<PendingTask[]>;
  /** Fast-forward offset of the engine clock (ms), kept across restarts. */
  getClockOffset(): Promise<number>;
  setClockOffset(ms: number): Promise<void>;
}

export type RunningExecution = Pick<ExecutionRecord, 'executionArn' | 'stateName'>;

export interface TaskInvoker {
  /** Runs the Lambda handler behind a function ARN with a payload; returns its result. */
  invoke(functionArn: string, payload: unknown): Promise<unknown>;
}

/** A Step Functions API error, with the `__type` the SDK turns into a named exception. */
export class SfnApiError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
    this.name = type;
  }
}

const TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
/** Events kept per execution (the oldest go first). */
const MAX_EVENTS = 200;
/** Characters of input or output one event keeps, and all of an execution's events together. */
const DATA_LIMIT = 32_768;
const DATA_BUDGET = 131_072;
/** Events saved with the execution as they happen (besides entering a state). */
const FAILURE_EVENTS = new Set(['StateFailed', 'StateRetried', 'StateCaught']);
const HIDDEN_TIMEOUT = '__localTimeoutSeconds';
const HIDDEN_INPUT = '__localStateInput';

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * What the engine does when its store fails outside any request (a timer, an execution's own
 * progress): says so and goes on. An unhandled rejection would end the whole HTTP side.
 */
function storeUnavailable(what: string) {
  return (error: Error) =>
    console.error(
      `local workflow engine: ${what} skipped, the store did not answer (${error.name}: ${error.message})`,
    );
}

/** A store failure inside a task, as the ASL's retriers know it (ServiceUnavailable when it is one). */
function asOutage(error: Error): never {
  throw isUnavailable(error) ? namedError(SERVICE_UNAVAILABLE, error.message) : error;
}

function replaceToken(value: unknown, token: string): unknown {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => replaceToken(v, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceToken(v, token)]));
  }
  return value;
}

interface Machine {
  arn: string;
  name: string;
  definition: Json;
  /** When this process registered it (ISO). */
  registeredAt: string;
}

/** A value as the JSON text an event keeps, or nothing (and `truncated`) past DATA_LIMIT. */
function data(
  key: 'input' | 'output',
  value: unknown,
): { input?: string; output?: string; truncated?: boolean } {
  const text = JSON.stringify(value ?? null);
  return text.length > DATA_LIMIT ? { truncated: true } : { [key]: text };
}

/** Keeps the events' inputs and outputs within DATA_BUDGET, dropping the oldest first. */
function trimData(events: ExecutionEvent[]): void {
  let total = 0;
  for (const e of events) total += (e.input?.length ?? 0) + (e.output?.length ?? 0);
  for (const e of events) {
    if (total <= DATA_BUDGET) return;
    if (e.input === undefined && e.output === undefined) continue;
    total -= (e.input?.length ?? 0) + (e.output?.length ?? 0);
    delete e.input;
    delete e.output;
    e.truncated = true;
  }
}

/** A task's own events between its state's entry and exit, gathered while its function runs. */
interface Attempt {
  state: string;
  /** How its events are named: a `.waitForTaskToken` task's or a Lambda function's. */
  prefix: 'Task' | 'LambdaFunction';
  events: ExecutionEvent[];
  /** Settled: the function returned or threw (or the library gave up on it). */
  done: boolean;
  /** The error it failed with, when it did. */
  failed?: string;
  /** Written into the execution's events; a late outcome is then left out. */
  taken: boolean;
}

/** A task's failure event: timed out (States.Timeout) or failed. */
function failure(attempt: Attempt, error: string, cause: string, at: string): ExecutionEvent {
  const how = error === 'States.Timeout' ? 'TimedOut' : 'Failed';
  return { type: `${attempt.prefix}${how}`, at, state: attempt.state, error, cause };
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** The task's deadline (engine-clock ms), as stored with it. */
  deadline: number;
}

/** A wait whose run has ended: what is left of it in memory until it is answered or times out. */
interface Parked {
  executionArn: string;
  /** Engine-clock ms, as stored with the task. */
  deadline: number;
}

/** The answer a run resumed at a wait state takes instead of opening a new wait. */
type Answer = { stateName: string } & ({ value: unknown } | { error: Error });

/** Ends the library's run of a parked execution; never retried, never recorded. */
const PARKED = 'Local.Parked';

/** An entry of the library's event log, as this engine reads it. */
interface LogEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
}

type LibraryRun = ReturnType<StateMachine['run']>;

/**
 * One run of an execution through the library, from the state it starts at to its end or to a
 * wait that parks it (a resumed execution gets a new one): what it resumes with, its tasks'
 * attempts, whose events wait for the event log to reach them, and how it stopped.
 */
class Run {
  readonly exec: ExecutionRecord;
  /** The library's run, once started. */
  execution: LibraryRun | undefined;
  /** Stopped from outside (stopExecution, the engine stopping): nothing more is recorded. */
  aborted = false;
  /** The wait state the run parked in, ending it. */
  parkedIn: string | undefined;
  /** Says the parked run's last events are saved (set when it parks). */
  settled: () => void = () => undefined;
  /** A wait parked before its function returned: invoked again with the same token. */
  private resumePending: PendingTask | undefined;
  /** The answer the wait state takes (once) instead of opening a new wait. */
  private answered: Answer | undefined;
  /** A run resumed with an answer enters the wait state again: the history shows it once. */
  private reentry: string | undefined;
  /**
   * The tasks' own events, in the order their functions ran; each is written into the
   * execution's events when the event log reaches the end of its attempt (the log runs behind).
   */
  private readonly attempts: Attempt[] = [];
  /** Task states whose attempt failed in this visit (a caught failure exits with no attempt). */
  private readonly failedIn = new Set<string>();
  private readonly now: () => number;
  private readonly record: (event: ExecutionEvent) => void;

  constructor(
    exec: ExecutionRecord,
    resume: PendingTask | undefined,
    answer: Answer | undefined,
    now: () => number,
    record: (event: ExecutionEvent) => void,
  ) {
    this.exec = exec;
    this.resumePending = resume;
    this.answered = answer;
    this.reentry = answer?.stateName;
    this.now = now;
    this.record = record;
  }

  /** The engine's stop of this run (the engine's `running` holds it while the run is under way). */
  readonly abort = (): void => {
    this.aborted = true;
    this.execution?.abort();
  };

  at(): string {
    return new Date(this.now()).toISOString();
  }

  /** The answer this run resumed with, if it is for this state; given once. */
  takeAnswer(stateName: string): Answer | undefined {
    if (this.answered?.stateName !== stateName) return undefined;
    const given = this.answered;
    this.answered = undefined;
    return given;
  }

  /**
   * The wait to invoke again, if it is this state's: parked before its function returned (the
   * process died in between; `resume` runs only those), it gets the same token, or nobody would
   * answer the wait.
   */
  takeResumed(stateName: string): PendingTask | undefined {
    if (!this.resumePending || this.resumePending.stateName !== stateName) return undefined;
    const task = this.resumePending;
    this.resumePending = undefined;
    return task;
  }

  begin(state: string, prefix: Attempt['prefix'], events: ExecutionEvent[]): Attempt {
    const attempt: Attempt = { state, prefix, events, done: false, taken: false };
    this.attempts.push(attempt);
    return attempt;
  }

  /** Adds the task's outcome to its attempt, as it settles. */
  outcome<T>(attempt: Attempt, work: Promise<T>): Promise<T> {
    return work.then(
      (value) => {
        if (!attempt.taken) {
          attempt.events.push({
            type: `${attempt.prefix}Succeeded`,
            at: this.at(),
            state: attempt.state,
            ...data('output', value),
          });
        }
        attempt.done = true;
        return value;
      },
      (error: Error) => {
        if (!attempt.taken) attempt.events.push(failure(attempt, error.name, error.message, this.at()));
        attempt.done = true;
        attempt.failed = error.name;
        throw error;
      },
    );
  }

  /**
   * The attempt a task state's StateExited or StateFailed ends: the first not yet written of
   * that state, unless it failed with another error (then it is a later one, and this attempt
   * failed before its function was called).
   */
  take(stateName: string, failedWith?: string): Attempt | undefined {
    const i = this.attempts.findIndex((a) => a.state === stateName);
    const attempt = this.attempts[i];
    if (!attempt) return undefined;
    if (failedWith !== undefined && attempt.failed !== undefined && attempt.failed !== failedWith) {
      return undefined;
    }
    this.attempts.splice(i, 1);
    attempt.taken = true;
    return attempt;
  }

  writeAttempt(attempt: Attempt | undefined, failed?: { error: string; cause: string }): void {
    if (!attempt) return;
    // The library gave up on the function (its timeout): the history says so, as AWS's does.
    if (!attempt.done && failed) attempt.events.push(failure(attempt, failed.error, failed.cause, this.at()));
    for (const event of attempt.events) this.record(event);
  }

  /** Whether the log shows again what the execution's events already hold (not recorded twice). */
  repeats(e: LogEvent): boolean {
    if (this.reentry !== undefined && e.type === 'StateEntered' && e.state?.name === this.reentry) {
      this.reentry = undefined;
      return true;
    }
    // A resumed run starts the library's execution again; the execution started once.
    return (
      e.type === 'ExecutionStarted' && (this.exec.events.length > 0 || Boolean(this.exec.historyDropped))
    );
  }

  /** Writes the attempt a task state's failure or exit ends (a retry opens a new visit). */
  closeAttempt(e: LogEvent): void {
    const name = e.state?.name;
    if (e.state?.type !== 'Task' || name === undefined) return;
    if (e.type === 'StateFailed') {
      const cause = e.Cause === undefined ? undefined : String(e.Cause);
      this.writeAttempt(this.take(name, e.Error), {
        error: e.Error ?? 'States.TaskFailed',
        cause: cause ?? '',
      });
      this.failedIn.add(name);
    } else if (e.type === 'StateRetried') this.failedIn.delete(name);
    else if (e.type === 'StateExited' && !this.failedIn.has(name)) this.writeAttempt(this.take(name));
  }

  /** A state entered: where a restart resumes the execution. */
  entered(state: NonNullable<LogEvent['state']>): void {
    this.failedIn.delete(state.name);
    this.exec.stateName = state.name;
    this.exec.stateInput = JSON.stringify(state.input ?? null);
  }
}

/** A log entry as the execution's event, its state's input left out when the state before passed it on. */
function stepEvent(e: LogEvent, previous: ExecutionEvent | undefined, offset: number): ExecutionEvent {
  const name = e.state?.name;
  const cause = e.Cause === undefined ? undefined : String(e.Cause);
  const stateData =
    e.type === 'StateEntered'
      ? previous?.type === 'StateExited' &&
        previous.output !== undefined &&
        previous.output === JSON.stringify(e.state?.input ?? null)
        ? {}
        : data('input', e.state?.input)
      : e.type === 'StateExited'
        ? data('output', e.state?.output)
        : {};
  return {
    type: e.type,
    at: new Date(e.timestamp + offset).toISOString(),
    ...(name !== undefined ? { state: name } : {}),
    ...(e.Error ? { error: e.Error } : {}),
    ...(e.Error && cause !== undefined ? { cause } : {}),
    ...stateData,
  };
}

/** The context object the states see ($$): the execution, the machine, the token's placeholder. */
function contextOf(exec: ExecutionRecord, machine: Machine) {
  return {
    Execution: {
      Id: exec.executionArn,
      Name: exec.name,
      Input: JSON.parse(exec.input),
      StartTime: exec.startDate,
    },
    StateMachine: { Id: exec.stateMachineArn, Name: machine.name },
    Task: { Token: TOKEN_PLACEHOLDER },
  };
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  /** Waits whose run is still in memory: the function is being invoked (answers may come first). */
  private readonly waiters = new Map<string, Waiter>();
  /** Waits whose run has ended (evicted), by token. */
  private readonly parked = new Map<string, Parked>();
  /**
   * Parked executions whose run is still recording its last events: an answer waits for the
   * record to be complete before running on, so that one record is written at a time.
   */
  private readonly settling = new Map<string, Promise<ExecutionRecord>>();
  private readonly running = new Map<string, () => void>();
  /** Writes of one execution's record, in order: a late write never undoes a later one. */
  private readonly writes = new Map<string, Promise<void>>();
  /**
   * One prepared definition and library state machine per machine and start state, shared by
   * every run (a run keeps its own state; the definition is only read). A copy per execution
   * cost each waiting execution about 20 KB of heap.
   */
  private readonly prepared = new Map<string, { states: Record<string, Json>; stateMachine: StateMachine }>();
  private offset = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Work under way: runs, store writes, answers and starts being handled, timeouts firing. */
  private pending = 0;
  /** Pieces of work begun since the engine was made (to tell that nothing began meanwhile). */
  private begun = 0;
  private readonly store: EngineStore;
  private readonly invoker: TaskInvoker;

  constructor(store: EngineStore, invoker: TaskInvoker) {
    this.store = this.trackWrites(store);
    this.invoker = invoker;
  }

  /** Counts a piece of work as under way until it settles. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.pending++;
    this.begun++;
    const done = () => {
      this.pending--;
    };
    work.then(done, done);
    return work;
  }

  /** The store, its writes counted as work under way (reads change nothing). */
  private trackWrites(store: EngineStore): EngineStore {
    return {
      putExecution: (record) => this.track(store.putExecution(record)),
      getExecution: (arn) => store.getExecution(arn),
      listExecutions: () => store.listExecutions(),
      ...(store.listRunning ? { listRunning: store.listRunning.bind(store) } : {}),
      putTask: (task) => this.track(store.putTask(task)),
      getTask: (token) => store.getTask(token),
      deleteTask: (token) => this.track(store.deleteTask(token)),
      markInvoked: (token) => this.track(store.markInvoked(token)),
      listTasks: () => store.listTasks(),
      getClockOffset: () => store.getClockOffset(),
      setClockOffset: (ms) => this.track(store.setClockOffset(ms)),
    };
  }

  /**
   * What the engine is doing: `pending` pieces of work under way (runs, store writes, answers,
   * starts, timeouts firing), `due` waits whose deadline has passed but whose timeout has not
   * fired yet, and `begun`, a count of pieces of work ever begun: two readings with the same
   * `begun` and nothing pending or due saw an engine that did nothing in between.
   */
  activity(): { pending: number; due: number; begun: number } {
    const now = this.now();
    let due = 0;
    for (const parked of this.parked.values()) if (parked.deadline <= now) due++;
    for (const waiter of this.waiters.values()) if (waiter.deadline <= now) due++;
    return { pending: this.pending, due, begun: this.begun };
  }

  /** Whether any wait, running or parked, has reached its deadline. */
  private anythingDue(): boolean {
    const now = this.now();
    for (const waiter of this.waiters.values()) if (waiter.deadline <= now) return true;
    for (const parked of this.parked.values()) if (parked.deadline <= now) return true;
    return false;
  }

  /** Nothing under way and no timeout due: the store holds still until an answer or a start. */
  idle(): boolean {
    const { pending, due } = this.activity();
    return pending === 0 && due === 0;
  }

  /** Registers a definition after checking it runs here as it would in AWS. */
  register(arn: string, definition: Json): void {
    const name = arn.split(':').pop() ?? arn;
    assertRunsLocallyAsInAws(definition, name);
    // Throws on an invalid definition (the library validates ASL).
    new StateMachine(this.prepare(definition, String(definition.StartAt)) as never);
    this.machines.set(arn, { arn, name, definition, registeredAt: new Date().toISOString() });
    for (const key of this.prepared.keys()) if (key.startsWith(`${arn}|`)) this.prepared.delete(key);
  }

  now(): number {
    return Date.now() + this.offset;
  }

  /** Loads the clock, resumes every running execution, and starts the timeout clock. */
  async start(): Promise<void> {
    this.offset = await this.store.getClockOffset();
    const tasks = await this.store.listTasks();
    for (const exec of await this.store.listExecutions()) {
      if (exec.status !== 'RUNNING' || !this.machines.has(exec.stateMachineArn)) continue;
      this.resume(exec, tasks);
    }
    // The store may be unreachable for a while (DynamoDB Local restarting): the next tick retries.
    // A tick with nothing due is not work: counting it would make every reading of `activity`
    // that spans a second (a listing of many executions on a busy machine) look unsettled.
    this.timer = setInterval(() => {
      if (!this.anythingDue()) return;
      void this.track(this.fireTimeouts()).catch(storeUnavailable('checking timeouts'));
    }, 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const abort of this.running.values()) abort();
  }

  /** Moves the engine clock forward (demos and tests), firing the timeouts now due. */
  tick(ms: number): Promise<number> {
    return this.track(
      (async () => {
        this.offset += ms;
        await this.store.setClockOffset(this.offset);
        return this.fireTimeouts();
      })(),
    );
  }

  /** Runs a saved execution on from where it was: its pending wait, its last state, or its start. */
  private resume(exec: ExecutionRecord, tasks: PendingTask[]): void {
    const parked = tasks.find((t) => t.executionArn === exec.executionArn);
    // Notified before the restart: nothing runs until the answer or the timeout.
    if (parked && parked.invoked !== false) {
      this.parked.set(parked.token, { executionArn: exec.executionArn, deadline: parked.deadline });
    } else if (parked) this.run(exec, parked.stateName, JSON.parse(parked.stateInput), parked);
    else if (exec.stateName && exec.stateInput) this.run(exec, exec.stateName, JSON.parse(exec.stateInput));
    else
      this.run(exec, String(this.machine(exec.stateMachineArn).definition.StartAt), JSON.parse(exec.input));
  }

  private machine(arn: string): Machine {
    const machine = this.machines.get(arn);
    if (!machine) throw new SfnApiError('StateMachineDoesNotExist', `state machine ${arn} does not exist`);
    return machine;
  }

  private readonly starting = new Map<string, Promise<{ executionArn: string; startDate: string }>>();

  startExecution(
    stateMachineArn: string,
    name: string | undefined,
    input = '{}',
  ): Promise<{ executionArn: string; startDate: string }> {
    return this.track(this.startOrJoin(stateMachineArn, name, input));
  }

  private async startOrJoin(stateMachineArn: string, name: string | undefined, input: string) {
    // Concurrent starts of one name are one start, as in AWS.
    const key = `${stateMachineArn}|${name ?? ''}`;
    const pending = name ? this.starting.get(key) : undefined;
    if (pending) {
      const started = await pending;
      const existing = await this.store.getExecution(started.executionArn);
      if (existing?.input !== input) {
        throw new SfnApiError('ExecutionAlreadyExists', `execution ${name} already exists`);
      }
      return started;
    }
    const attempt = this.startOnce(stateMachineArn, name, input);
    if (name) this.starting.set(key, attempt);
    try {
      return await attempt;
    } finally {
      if (name) this.starting.delete(key);
    }
  }

  private async startOnce(stateMachineArn: string, name: string | undefined, input: string) {
    const machine = this.machine(stateMachineArn);
    const executionName = name ?? randomUUID();
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    const existing = await this.store.getExecution(executionArn);
    if (existing) {
      // As in AWS (Standard): same name and input while running returns the same answer.
      if (existing.status === 'RUNNING' && existing.input === input) {
        // Saved by a start whose answer was lost (the store died after writing): nothing runs
        // it yet. The caller's retry sets it going, as AWS would have on the first call.
        if (!this.running.has(executionArn)) this.resume(existing, await this.store.listTasks());
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `execution ${executionName} already exists`);
    }
    JSON.parse(input);
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name: executionName,
      input,
      status: 'RUNNING',
      startDate: new Date(this.now()).toISOString(),
      events: [],
    };
    await this.persist(record);
    this.run(record, String(machine.definition.StartAt), JSON.parse(input));
    return { executionArn, startDate: record.startDate };
  }

  /** The registered state machines, by name. */
  stateMachines(): { arn: string; name: string; definition: Json; registeredAt: string }[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A registered state machine; StateMachineDoesNotExist for any other ARN. */
  stateMachine(arn: string): { arn: string; name: string; definition: Json; registeredAt: string } {
    return this.machine(arn);
  }

  async describeExecution(executionArn: string): Promise<ExecutionRecord> {
    const exec = await this.store.getExecution(executionArn);
    if (!exec) throw new SfnApiError('ExecutionDoesNotExist', `execution ${executionArn} does not exist`);
    return exec;
  }

  sendTaskSuccess(token: string, output: string): Promise<void> {
    return this.track(
      (async () => {
        const value = JSON.parse(output) as unknown;
        const waiter = await this.claim(token);
        waiter.resolve(value);
      })(),
    );
  }

  sendTaskFailure(token: string, error = 'States.TaskFailed', cause = ''): Promise<void> {
    return this.track(
      (async () => {
        const waiter = await this.claim(token);
        waiter.reject(namedError(error, cause));
      })(),
    );
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    if (!this.waiters.has(token) && !this.parked.has(token) && !(await this.store.getTask(token))) {
      throw new SfnApiError('TaskDoesNotExist', 'task does not exist');
    }
  }

  stopExecution(executionArn: string, error?: string, cause?: string): Promise<void> {
    return this.track(this.stopOnce(executionArn, error, cause));
  }

  private async stopOnce(executionArn: string, error?: string, cause?: string): Promise<void> {
    const exec = await this.describeExecution(executionArn);
    if (exec.status !== 'RUNNING') return;
    for (const task of await this.store.listTasks()) {
      if (task.executionArn === executionArn) {
        this.waiters.delete(task.token);
        this.parked.delete(task.token);
        await this.store.deleteTask(task.token);
      }
    }
    this.running.get(executionArn)?.();
    const stopped = { ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
    this.record(exec, { type: 'ExecutionAborted', at: new Date(this.now()).toISOString(), ...stopped });
    await this.finish(exec, { status: 'ABORTED', ...stopped });
  }

  /** Adds an event, keeping the record within MAX_EVENTS and DATA_BUDGET. */
  private record(exec: ExecutionRecord, event: ExecutionEvent): void {
    exec.events.push(event);
    if (exec.events.length > MAX_EVENTS) {
      const dropped = exec.events.splice(0, exec.events.length - MAX_EVENTS);
      exec.historyDropped = (exec.historyDropped ?? 0) + dropped.filter(inHistory).length;
    }
    trimData(exec.events);
  }

  /**
   * What this process holds in memory: runs under way, waits whose function is being invoked,
   * and parked waits (a token, an execution and a deadline each, the run itself ended).
   */
  memory(): { running: number; invoking: number; parked: number } {
    return { running: this.running.size, invoking: this.waiters.size, parked: this.parked.size };
  }

  async pendingTasks(): Promise<PendingTask[]> {
    return this.store.listTasks();
  }

  async executions(): Promise<ExecutionRecord[]> {
    return this.store.listExecutions();
  }

  /** The running executions, without their histories. */
  async runningExecutions(): Promise<RunningExecution[]> {
    if (this.store.listRunning) return this.store.listRunning();
    return (await this.store.listExecutions())
      .filter((e) => e.status === 'RUNNING')
      .map((e) => ({ executionArn: e.executionArn, stateName: e.stateName }));
  }

  /** One execution as stored, with its history. */
  async execution(executionArn: string): Promise<ExecutionRecord | undefined> {
    return this.store.getExecution(executionArn);
  }

  /** Takes a token out of the pending set: only one answer per token counts. */
  private async claim(token: string): Promise<Pick<Waiter, 'resolve' | 'reject'>> {
    const parked = this.parked.get(token);
    if (parked) {
      const resumed = await this.takeParked(token, parked);
      if (!resumed) throw new SfnApiError('TaskDoesNotExist', 'task does not exist or has timed out');
      return {
        resolve: (value) => resumed({ value }),
        reject: (error) => resumed({ error }),
      };
    }
    let waiter = this.waiters.get(token);
    // Just after a restart a parked task is in the store before its execution is waiting again.
    for (let i = 0; !waiter && i < 50 && (await this.store.getTask(token)); i++) {
      await new Promise((r) => setTimeout(r, 50));
      waiter = this.waiters.get(token);
    }
    if (!waiter) {
      const parked = await this.store.getTask(token);
      throw parked
        ? new SfnApiError('TaskTimedOut', 'task is not waiting (resuming)')
        : new SfnApiError('TaskDoesNotExist', 'task does not exist or has timed out');
    }
    this.waiters.delete(token);
    await this.store.deleteTask(token);
    return waiter;
  }

  /**
   * Times out the waits whose deadline has passed. Read from the waits this process holds (each
   * with its stored deadline), not by listing the store every second: with a thousand filings
   * waiting that listing was a large read and a heap of garbage each second.
   */
  private async fireTimeouts(): Promise<number> {
    const now = this.now();
    let fired = 0;
    for (const [token, waiter] of [...this.waiters]) {
      if (waiter.deadline > now) continue;
      // Deleted first: if the store is down, the wait stays and the next tick tries again.
      await this.store.deleteTask(token);
      // Answered while the task was being deleted: the answer counts.
      if (this.waiters.get(token) !== waiter) continue;
      this.waiters.delete(token);
      waiter.reject(namedError('States.Timeout', 'the task timed out'));
      fired++;
    }
    for (const [token, parked] of [...this.parked]) {
      if (parked.deadline > now || this.parked.get(token) !== parked) continue;
      const resumed = await this.takeParked(token, parked);
      if (!resumed) continue;
      resumed({ error: namedError('States.Timeout', 'the task timed out') });
      fired++;
    }
    return fired;
  }

  /**
   * Takes a parked wait out of the pending set (its task deleted from the store) and returns
   * how to run its execution on with the answer; undefined if the task or its execution is gone.
   * Whatever the store fails to do leaves the wait parked, for a retry of the answer.
   */
  private async takeParked(
    token: string,
    parked: Parked,
  ): Promise<((answer: { value: unknown } | { error: Error }) => void) | undefined> {
    this.parked.delete(token);
    try {
      const task = await this.store.getTask(token);
      const exec = task
        ? ((await this.settling.get(parked.executionArn)) ??
          (await this.store.getExecution(parked.executionArn)))
        : undefined;
      if (task) await this.store.deleteTask(token);
      if (!task || exec?.status !== 'RUNNING') return undefined;
      return (answer) =>
        this.run(exec, task.stateName, JSON.parse(task.stateInput), undefined, {
          stateName: task.stateName,
          ...answer,
        });
    } catch (error) {
      this.parked.set(token, parked);
      throw error;
    }
  }

  /**
   * The definition handed to the library: starting at `startAt` (to resume), with token
   * tasks' timeouts moved into the engine (the library would apply TimeoutSecondsPath to
   * the wrong input and overflow its timers) and the raw state input passed along.
   */
  private prepare(definition: Json, startAt: string): Json {
    const copy = structuredClone(definition);
    copy.StartAt = startAt;
    for (const state of Object.values(copy.States as Record<string, Json>)) {
      if (state.Type !== 'Task' || state.Resource !== WAIT_FOR_TOKEN) continue;
      const params = (state.Parameters ?? {}) as Json;
      if (state.TimeoutSecondsPath !== undefined) params[`${HIDDEN_TIMEOUT}.$`] = state.TimeoutSecondsPath;
      else params[HIDDEN_TIMEOUT] = state.TimeoutSeconds;
      params[`${HIDDEN_INPUT}.$`] = '$';
      state.Parameters = params;
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = MAX_TIMER_SECONDS;
    }
    return copy;
  }

  private preparedRun(machine: Machine, startAt: string) {
    const key = `${machine.arn}|${startAt}`;
    let found = this.prepared.get(key);
    if (!found) {
      const definition = this.prepare(machine.definition, startAt);
      // Checked at register(); a definition resumed at a later state would fail the library's
      // reachability check for the states before it.
      const stateMachine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
      found = { states: definition.States as Record<string, Json>, stateMachine };
      this.prepared.set(key, found);
    }
    return found;
  }

  /**
   * Runs an execution from `startAt` on the library: its task states call the handlers, its
   * event log becomes the execution's events, and its outcome is saved; a wait parks it.
   */
  private run(
    exec: ExecutionRecord,
    startAt: string,
    input: unknown,
    resume?: PendingTask,
    answer?: Answer,
  ): void {
    const machine = this.machine(exec.stateMachineArn);
    const { states, stateMachine } = this.preparedRun(machine, startAt);
    const run = new Run(
      exec,
      resume,
      answer,
      () => this.now(),
      (event) => this.record(exec, event),
    );
    run.execution = stateMachine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(run, states) as never },
      noThrowOnAbort: true,
      context: contextOf(exec, machine),
    });
    this.running.set(exec.executionArn, run.abort);
    // The history is complete before the outcome is saved: whoever sees the end sees every step.
    const logged = this.recordLog(run, run.execution);
    const ended = this.saveOutcome(run, run.execution, logged);
    // The run is work under way until its events and its outcome are saved.
    void this.track(Promise.allSettled([logged, ended]));
  }

  /** The library's handler of each task state: a wait for a token, or a Lambda function's invocation. */
  private taskHandlers(run: Run, states: Record<string, Json>) {
    const overrides: Record<string, (input: never) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Type !== 'Task') continue;
      overrides[stateName] =
        state.Resource === WAIT_FOR_TOKEN
          ? (effective: Json) => this.waitForTaskToken(run, stateName, effective)
          : (effective: Json) => this.invokeFunction(run, stateName, state, effective);
    }
    return overrides;
  }

  private async invokeFunction(run: Run, stateName: string, state: Json, effective: Json): Promise<unknown> {
    const attempt = run.begin(stateName, 'LambdaFunction', [
      {
        type: 'LambdaFunctionScheduled',
        at: run.at(),
        state: stateName,
        ...data('input', effective),
        ...(typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {}),
      },
      { type: 'LambdaFunctionStarted', at: run.at(), state: stateName },
    ]);
    return run.outcome(attempt, this.invoker.invoke(String(state.Resource), effective));
  }

  /**
   * A `.waitForTaskToken` task: takes the answer the run resumed with, or opens a wait (a new
   * token, or the one a restart found not yet notified), invokes the function with the token,
   * and parks the run unless the answer came while the function ran.
   */
  private async waitForTaskToken(run: Run, stateName: string, effective: Json): Promise<unknown> {
    const given = run.takeAnswer(stateName);
    if (given) {
      const attempt = run.begin(stateName, 'Task', []);
      return run.outcome(
        attempt,
        'error' in given ? Promise.reject(given.error) : Promise.resolve(given.value),
      );
    }
    const { [HIDDEN_TIMEOUT]: timeoutSeconds, [HIDDEN_INPUT]: stateInput, ...params } = effective;
    const seconds = Number(timeoutSeconds);
    let task = run.takeResumed(stateName);
    if (!task) {
      task = this.newTask(run.exec, stateName, timeoutSeconds, stateInput);
      // The engine's own store down is, to the workflow, the service being unavailable.
      await this.store.putTask(task).catch(asOutage);
    }
    // The parameters as the history shows them, with the token's placeholder: the token
    // stays out of the history, as out of every inspection page.
    const attempt = run.begin(stateName, 'Task', [
      {
        type: 'TaskScheduled',
        at: run.at(),
        state: stateName,
        ...data('input', params),
        ...(Number.isInteger(seconds) ? { timeoutSeconds: seconds } : {}),
      },
      { type: 'TaskStarted', at: run.at(), state: stateName },
    ]);
    const { token, deadline } = task;
    let waiter: Waiter | undefined;
    const waiting = new Promise<unknown>((resolve, reject) => {
      waiter = { resolve, reject, deadline };
      this.waiters.set(token, waiter);
    });
    let submitted: unknown;
    try {
      submitted = await this.invoker.invoke(String(params.FunctionName), replaceToken(params.Payload, token));
    } catch (error) {
      this.waiters.delete(token);
      await run.outcome(attempt, Promise.reject(error as Error)).catch(() => undefined);
      await this.store.deleteTask(token).catch(asOutage);
      throw error;
    }
    attempt.events.push({
      type: 'TaskSubmitted',
      at: run.at(),
      state: stateName,
      ...data('output', submitted),
    });
    // If this is not saved, a restart invokes the function once more (it is idempotent).
    await this.store.markInvoked(token).catch(storeUnavailable('marking a wait as notified'));
    // (After the awaits above, so the run is under way.) Answered while the function ran: the
    // run goes on. Otherwise it ends here and the wait is parked: an answer or the timeout runs
    // the execution on from this state.
    if (this.waiters.get(token) !== waiter) return run.outcome(attempt, waiting);
    this.waiters.delete(token);
    this.parked.set(token, { executionArn: run.exec.executionArn, deadline });
    this.park(run, stateName);
    // Rejecting settles the library's task (clearing its timer); the run is already ended,
    // so no Catch or next state runs and nothing of this is recorded.
    throw Object.assign(namedError(PARKED, 'parked until answered'), { isRetryable: false });
  }

  /** A new wait: a fresh token and the deadline of the state's timeout (whole seconds, at least one). */
  private newTask(
    exec: ExecutionRecord,
    stateName: string,
    timeoutSeconds: unknown,
    stateInput: unknown,
  ): PendingTask {
    const seconds = Number(timeoutSeconds);
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw namedError(
        'States.Runtime',
        `${stateName}: timeout must be a positive integer, got ${String(timeoutSeconds)}`,
      );
    }
    return {
      token: randomBytes(48).toString('base64url'),
      executionArn: exec.executionArn,
      stateName,
      stateInput: JSON.stringify(stateInput ?? null),
      deadline: this.now() + seconds * 1000,
      createdAt: new Date(this.now()).toISOString(),
      invoked: false,
    };
  }

  /**
   * Ends a run at the wait it parks in: no longer running, and settling until its last events
   * are saved (an answer waits for that before running the execution on).
   */
  private park(run: Run, stateName: string): void {
    const { exec, execution } = run;
    // Not under way yet: nothing to end (a wait parks only after its function returned).
    if (!execution) return;
    run.parkedIn = stateName;
    if (this.running.get(exec.executionArn) === run.abort) this.running.delete(exec.executionArn);
    const done = new Promise<void>((resolve) => {
      run.settled = resolve;
    });
    this.settling.set(
      exec.executionArn,
      done.then(() => exec),
    );
    execution.abort();
  }

  /**
   * The library's event log written into the execution's events (with each task's own events at
   * the end of its attempt), saved on entering each state and on each failure.
   */
  private async recordLog(run: Run, execution: LibraryRun): Promise<void> {
    const { exec } = run;
    for await (const event of execution.eventLogs) {
      if (run.aborted) break;
      const e = event as LogEvent;
      if (run.parkedIn !== undefined && e.type === 'ExecutionAborted') {
        // The wait's scheduling and its function's answer, up to the parking.
        run.writeAttempt(run.take(run.parkedIn));
        break;
      }
      if (run.repeats(e)) continue;
      run.closeAttempt(e);
      this.record(exec, stepEvent(e, exec.events.at(-1), this.offset));
      if (e.type === 'StateEntered' && e.state) {
        run.entered(e.state);
        // If it cannot be saved, a restart resumes at the last state that was (steps are idempotent).
        await this.persist(exec).catch(storeUnavailable('saving the execution state'));
      } else if (FAILURE_EVENTS.has(e.type)) {
        // A failure retried in place enters no new state: saved now, so that the history
        // shows it while the execution goes on (a wait retried after its handler threw).
        await this.persist(exec).catch(storeUnavailable('saving the execution history'));
      }
    }
    if (run.parkedIn !== undefined) {
      // Its last steps (the wait entered, the states left) saved before anyone runs it on.
      await this.persist(exec).catch(storeUnavailable('saving the execution history'));
      this.settling.delete(exec.executionArn);
      run.settled();
    }
  }

  /** The execution's outcome, saved once its history is; nothing for a run stopped or parked. */
  private saveOutcome(run: Run, execution: LibraryRun, logged: Promise<void>): Promise<void> {
    const { exec } = run;
    return execution.result.then(
      async (output: unknown) => {
        if (this.running.get(exec.executionArn) === run.abort) this.running.delete(exec.executionArn);
        if (run.aborted || run.parkedIn !== undefined || output === null) return;
        await logged;
        await this.finish(exec, { status: 'SUCCEEDED', output: JSON.stringify(output) }).catch(
          storeUnavailable('saving the execution outcome'),
        );
      },
      async (error: Error & { cause?: Error }) => {
        if (this.running.get(exec.executionArn) === run.abort) this.running.delete(exec.executionArn);
        if (run.aborted || run.parkedIn !== undefined) return;
        await logged;
        const cause = error.cause ?? error;
        await this.finish(exec, { status: 'FAILED', error: cause.name, cause: cause.message }).catch(
          storeUnavailable('saving the execution outcome'),
        );
      },
    );
  }

  private async finish(exec: ExecutionRecord, outcome: Partial<ExecutionRecord>): Promise<void> {
    Object.assign(exec, outcome, { stopDate: new Date(this.now()).toISOString() });
    await this.persist(exec);
  }

  private persist(exec: ExecutionRecord): Promise<void> {
    const snapshot = structuredClone(exec);
    const previous = this.writes.get(exec.executionArn) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.store.putExecution(snapshot));
    this.writes.set(exec.executionArn, next);
    // Forgotten once written, unless a later write queued behind it (the map held every
    // execution's last write for the life of the process).
    const forget = () => {
      if (this.writes.get(exec.executionArn) === next) this.writes.delete(exec.executionArn);
    };
    next.then(forget, forget);
    return next;
  }
}
