// The Step Functions adapter against a fake client that records the commands it is sent, and
// an in-memory review store that keeps the port's contract (first decision for a seq wins).
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { initialState } from '#workflows/filing-state.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Decision, ReviewStore, ReviewTask } from '../ports/reviews.ts';
import { sfnFilingWorkflow, sfnTaskCallbacks } from './sfn-workflow.ts';

const ARN = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:FilingWorkflow';
const FILING = 'F0123456789ABC';

type Command = StartExecutionCommand | SendTaskSuccessCommand | SendTaskFailureCommand;

function fakeSfn(fail?: (command: Command) => Error | undefined) {
  const sent: Command[] = [];
  const client = {
    send: async (command: Command) => {
      sent.push(command);
      const error = fail?.(command);
      if (error) throw error;
      return {};
    },
  } as unknown as SFNClient;
  return { client, sent };
}

class MemoryReviews implements ReviewStore {
  readonly tasks = new Map<string, ReviewTask>();
  readonly decides: { filingId: string; seq: string; decision: Decision }[] = [];

  async openTask(task: Omit<ReviewTask, 'decided' | 'batchId' | 'expired'>): Promise<ReviewTask> {
    this.tasks.set(task.filingId, { ...task });
    return { ...task };
  }
  async getTask(filingId: string) {
    const task = this.tasks.get(filingId);
    return task ? structuredClone(task) : undefined;
  }
  async decide(filingId: string, seq: string, decision: Decision): Promise<ReviewTask> {
    this.decides.push({ filingId, seq, decision });
    const task = this.tasks.get(filingId);
    if (task?.seq === seq && task.decided) throw new ConflictError('already_decided', { zh: '', en: '' });
    if (!task || task.seq !== seq) throw new ConflictError('stale_link', { zh: '', en: '' });
    task.decided = decision;
    return structuredClone(task);
  }
  async expire() {}
  async putLink() {}
  async getLink() {
    return undefined;
  }
  async pendingForBatch() {
    return [];
  }
  readonly leftQueue: string[] = [];
  async leaveBatchQueue(filingId: string) {
    this.leftQueue.push(filingId);
  }
  async createBatch() {}
  async getBatch() {
    return undefined;
  }
}

function task(overrides: Partial<ReviewTask> = {}): ReviewTask {
  return {
    filingId: FILING,
    programId: 'liaoning-cso',
    unit: '210100',
    stage: 'amend',
    seq: 'amend#0',
    taskToken: 'token-amend-0',
    escalated: false,
    deadline: '2025-07-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('filingSubmitted', () => {
  it('starts one execution named after the filing, with the initial state as input', async () => {
    const { client, sent } = fakeSfn();
    await sfnFilingWorkflow(client, ARN, new MemoryReviews()).filingSubmitted({
      filingId: FILING,
      programId: 'liaoning-cso',
    });
    expect(sent).toHaveLength(1);
    const command = sent[0];
    expect(command).toBeInstanceOf(StartExecutionCommand);
    expect(command?.input).toMatchObject({ stateMachineArn: ARN, name: FILING });
    const input = JSON.parse(String((command as StartExecutionCommand).input.input));
    expect(input).toEqual(initialState(FILING, 'liaoning-cso'));
    expect(input).toMatchObject({ round: 0, stage: 'city', attempt: 0 });
  });

  it('a repeated start (ExecutionAlreadyExists) is harmless', async () => {
    const { client, sent } = fakeSfn(
      () => new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }),
    );
    await expect(
      sfnFilingWorkflow(client, ARN, new MemoryReviews()).filingSubmitted({
        filingId: FILING,
        programId: 'liaoning-cso',
      }),
    ).resolves.toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it('any other failure reaches the caller', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { client } = fakeSfn(() => throttled);
    await expect(
      sfnFilingWorkflow(client, ARN, new MemoryReviews()).filingSubmitted({
        filingId: FILING,
        programId: 'liaoning-cso',
      }),
    ).rejects.toBe(throttled);
  });
});

describe('filingAmended', () => {
  it('records the amendment on the amend task and resumes its token with it', async () => {
    const reviews = new MemoryReviews();
    reviews.tasks.set(FILING, task());
    const { client, sent } = fakeSfn();
    const before = Date.now();
    await sfnFilingWorkflow(client, ARN, reviews).filingAmended(FILING);
    const stored = reviews.tasks.get(FILING);
    expect(stored?.decided).toMatchObject({ decision: 'amended', actor: { role: 'applicant' } });
    expect(Date.parse(stored?.decided?.at ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(reviews.decides).toEqual([{ filingId: FILING, seq: 'amend#0', decision: stored?.decided }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(SendTaskSuccessCommand);
    const input = (sent[0] as SendTaskSuccessCommand).input;
    expect(input.taskToken).toBe('token-amend-0');
    expect(JSON.parse(String(input.output))).toEqual(stored?.decided);
  });

  it('sends nothing without a task, for a task of another stage, or one decided otherwise', async () => {
    const cases: (ReviewTask | undefined)[] = [
      undefined,
      task({ stage: 'city', seq: 'city#0' }),
      task({ stage: 'province', seq: 'province#0' }),
      task({ decided: { decision: 'reject', actor: { role: 'city' }, at: '2025-06-01T00:00:00Z' } }),
    ];
    for (const t of cases) {
      const reviews = new MemoryReviews();
      if (t) reviews.tasks.set(FILING, t);
      const { client, sent } = fakeSfn();
      await sfnFilingWorkflow(client, ARN, reviews).filingAmended(FILING);
      expect(sent, JSON.stringify(t)).toEqual([]);
      expect(reviews.decides).toEqual([]);
    }
  });

  it('answers again with the recorded amendment when the task is decided already (a redelivery)', async () => {
    const amended: Decision = {
      decision: 'amended',
      actor: { role: 'applicant' },
      at: '2025-06-01T00:00:00Z',
    };
    const reviews = new MemoryReviews();
    reviews.tasks.set(FILING, task({ decided: amended }));
    const { client, sent } = fakeSfn();
    await sfnFilingWorkflow(client, ARN, reviews).filingAmended(FILING);
    expect(reviews.decides).toEqual([]);
    expect(sent).toHaveLength(1);
    expect((sent[0] as SendTaskSuccessCommand).input.taskToken).toBe('token-amend-0');
    expect(JSON.parse(String((sent[0] as SendTaskSuccessCommand).input.output))).toEqual(amended);
  });

  it('takes a wait that is over (TaskDoesNotExist, TaskTimedOut) as answered, and rethrows anything else', async () => {
    const over = [
      new TaskDoesNotExist({ message: 'gone', $metadata: {} }),
      new TaskTimedOut({ message: 'done', $metadata: {} }),
    ];
    for (const error of over) {
      const reviews = new MemoryReviews();
      reviews.tasks.set(FILING, task());
      const { client, sent } = fakeSfn(() => error);
      await sfnFilingWorkflow(client, ARN, reviews).filingAmended(FILING);
      expect(sent).toHaveLength(1);
      expect(reviews.tasks.get(FILING)?.decided?.decision).toBe('amended');
    }
    const reviews = new MemoryReviews();
    reviews.tasks.set(FILING, task());
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const { client } = fakeSfn(() => throttled);
    await expect(sfnFilingWorkflow(client, ARN, reviews).filingAmended(FILING)).rejects.toBe(throttled);
  });

  it('a decision that lost the race is a conflict and resumes nothing', async () => {
    const reviews = new MemoryReviews();
    reviews.tasks.set(FILING, task());
    const racing = reviews.decide.bind(reviews);
    reviews.decide = async (filingId, seq, decision) => {
      // Someone else (a retried call) decided between our read and our write.
      await racing(filingId, seq, { ...decision, at: 'earlier' });
      return racing(filingId, seq, decision);
    };
    const { client, sent } = fakeSfn();
    await expect(sfnFilingWorkflow(client, ARN, reviews).filingAmended(FILING)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(sent).toEqual([]);
  });
});

describe('filingWithdrawn', () => {
  it('fails the waiting task with FilingWithdrawn', async () => {
    for (const stage of ['city', 'province', 'amend'] as const) {
      const reviews = new MemoryReviews();
      reviews.tasks.set(FILING, task({ stage, seq: `${stage}#1`, taskToken: `token-${stage}` }));
      const { client, sent } = fakeSfn();
      await sfnFilingWorkflow(client, ARN, reviews).filingWithdrawn(FILING);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toBeInstanceOf(SendTaskFailureCommand);
      expect((sent[0] as SendTaskFailureCommand).input).toEqual({
        taskToken: `token-${stage}`,
        error: 'FilingWithdrawn',
        cause: 'the applicant withdrew the filing',
      });
    }
  });

  it('takes a province task not yet batched off the list of those waiting for a batch, and no other', async () => {
    const cases = [
      { t: task({ stage: 'province', seq: 'province#0' }), leaves: [FILING] },
      { t: task({ stage: 'province', seq: 'province#0', batchId: 'B1' }), leaves: [] },
      { t: task({ stage: 'city', seq: 'city#0' }), leaves: [] },
    ];
    for (const { t, leaves } of cases) {
      const reviews = new MemoryReviews();
      reviews.tasks.set(FILING, t);
      await sfnFilingWorkflow(fakeSfn().client, ARN, reviews).filingWithdrawn(FILING);
      expect(reviews.leftQueue).toEqual(leaves);
    }
  });

  it('sends nothing without a task or for a decided one', async () => {
    const decided = task({
      stage: 'city',
      seq: 'city#0',
      decided: { decision: 'approve', actor: { role: 'city' }, at: '2025-06-01T00:00:00Z' },
    });
    for (const t of [undefined, decided]) {
      const reviews = new MemoryReviews();
      if (t) reviews.tasks.set(FILING, t);
      const { client, sent } = fakeSfn();
      await sfnFilingWorkflow(client, ARN, reviews).filingWithdrawn(FILING);
      expect(sent).toEqual([]);
    }
  });

  it('a token that is no longer waiting (timed out, already answered) does not fail the withdrawal', async () => {
    const reviews = new MemoryReviews();
    reviews.tasks.set(FILING, task());
    const { client, sent } = fakeSfn(() => new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    await expect(sfnFilingWorkflow(client, ARN, reviews).filingWithdrawn(FILING)).resolves.toBeUndefined();
    expect(sent).toHaveLength(1);
  });
});

describe('sfnTaskCallbacks', () => {
  it('succeed sends the output as JSON; fail sends error and cause', async () => {
    const { client, sent } = fakeSfn();
    const tasks = sfnTaskCallbacks(client);
    const decision = { decision: 'include', actor: { role: 'province', id: 'p@example.cn' }, at: 'now' };
    await tasks.succeed('t-1', decision);
    await tasks.fail('t-2', 'FilingWithdrawn', 'why');
    expect(sent[0]).toBeInstanceOf(SendTaskSuccessCommand);
    expect(sent[0]?.input).toEqual({ taskToken: 't-1', output: JSON.stringify(decision) });
    expect(sent[1]).toBeInstanceOf(SendTaskFailureCommand);
    expect(sent[1]?.input).toEqual({ taskToken: 't-2', error: 'FilingWithdrawn', cause: 'why' });
  });

  it('their errors reach the caller (the review page logs them and keeps the decision)', async () => {
    const invalid = new InvalidToken({ message: 'Invalid Token', $metadata: {} });
    const { client } = fakeSfn(() => invalid);
    const tasks = sfnTaskCallbacks(client);
    await expect(tasks.succeed('t-1', {})).rejects.toBe(invalid);
    await expect(tasks.fail('t-1', 'E', 'c')).rejects.toBe(invalid);
  });
});
