// The outbox's delivery with a Step Functions double that keeps executions by name as the
// service does (the same name and input: the same execution; the same name with another input:
// ExecutionAlreadyExists), and an in-memory review store: a record delivered twice starts one
// execution, and an amendment answers only the wait it ended.
import {
  ExecutionAlreadyExists,
  type SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { sfnFilingWorkflow } from '../../adapters/sfn-workflow.ts';
import { toOutboxItem } from '../../data/outbox-item.ts';
import type { FilingRecord } from '../../ports/filings.ts';
import type { OutboxEntry } from '../../ports/outbox.ts';
import type { Decision, ReviewStore, ReviewTask } from '../../ports/reviews.ts';
import { deliverOutboxRecords } from './deliver.ts';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:FilingWorkflow';

function fakeSfn() {
  const executions = new Map<string, string>();
  const answered: string[] = [];
  const client = {
    async send(command: StartExecutionCommand | SendTaskSuccessCommand) {
      if (command instanceof StartExecutionCommand) {
        const { name = '', input = '' } = command.input;
        const existing = executions.get(name);
        if (existing !== undefined && existing !== input) {
          throw new ExecutionAlreadyExists({ message: `execution ${name} exists`, $metadata: {} });
        }
        executions.set(name, input);
        return { executionArn: `${ARN}:${name}` };
      }
      const token = String(command.input.taskToken);
      if (answered.includes(token)) throw new TaskTimedOut({ message: 'answered', $metadata: {} });
      answered.push(token);
      return {};
    },
  } as unknown as SFNClient;
  return { client, executions, answered };
}

class Reviews implements Pick<ReviewStore, 'getTask' | 'decide'> {
  task: ReviewTask | undefined;
  async getTask() {
    return this.task ? structuredClone(this.task) : undefined;
  }
  async decide(_filingId: string, seq: string, decision: Decision) {
    if (!this.task || this.task.seq !== seq || this.task.decided) throw new Error('conflict');
    this.task.decided = decision;
    return structuredClone(this.task);
  }
}

const entry = (kind: OutboxEntry['kind'], version: number): OutboxEntry => ({
  kind,
  filingId: 'F0000000000OUT',
  programId: 'liaoning-cso',
  version,
  at: '2025-06-01T00:00:00.000Z',
});
const record = (e: OutboxEntry, n: number) => ({
  sequenceNumber: String(n),
  newImage: toOutboxItem(e) as unknown as Record<string, unknown>,
});

function setup(version = 1) {
  const sfn = fakeSfn();
  const reviews = new Reviews();
  const workflow = sfnFilingWorkflow(sfn.client, ARN, reviews as unknown as ReviewStore);
  const repo = { get: async () => ({ version }) as FilingRecord };
  return { sfn, reviews, deps: { repo, workflow } };
}

describe('review.start', () => {
  it('starts one execution named by the filing id however often the record is delivered', async () => {
    const { sfn, deps } = setup();
    const start = record(entry('review.start', 1), 1);
    expect((await deliverOutboxRecords(deps, [start, start])).failed).toBeUndefined();
    expect((await deliverOutboxRecords(deps, [start])).failed).toBeUndefined();
    expect([...sfn.executions.keys()]).toEqual(['F0000000000OUT']);
    expect(JSON.parse(sfn.executions.get('F0000000000OUT') ?? '')).toMatchObject({
      filingId: 'F0000000000OUT',
      programId: 'liaoning-cso',
    });
  });

  it('takes an execution of that name with another input (ExecutionAlreadyExists) as started', async () => {
    const { sfn, deps } = setup();
    sfn.executions.set('F0000000000OUT', '{"started":"by an earlier version"}');
    const report = await deliverOutboxRecords(deps, [record(entry('review.start', 1), 1)]);
    expect(report.failed).toBeUndefined();
    expect(report.delivered).toHaveLength(1);
    expect(sfn.executions.get('F0000000000OUT')).toBe('{"started":"by an earlier version"}');
  });
});

describe('review.amended', () => {
  const waiting = (): ReviewTask => ({
    filingId: 'F0000000000OUT',
    programId: 'liaoning-cso',
    unit: '210100',
    stage: 'amend',
    seq: 'amend#0',
    taskToken: 'token-amend-0',
    escalated: false,
    deadline: '2025-07-01T00:00:00.000Z',
  });

  it('answers the amendment wait once, and a redelivery changes nothing', async () => {
    const { sfn, reviews, deps } = setup(4);
    reviews.task = waiting();
    const amended = record(entry('review.amended', 4), 7);
    expect((await deliverOutboxRecords(deps, [amended])).failed).toBeUndefined();
    expect((await deliverOutboxRecords(deps, [amended])).failed).toBeUndefined();
    expect(sfn.answered).toEqual(['token-amend-0']);
    expect(reviews.task.decided?.decision).toBe('amended');
  });

  it('does not answer a later round’s wait with an earlier amendment', async () => {
    // The filing moved on (version 6): the city asked for changes again and waits anew.
    const { sfn, reviews, deps } = setup(6);
    reviews.task = { ...waiting(), seq: 'amend#1', taskToken: 'token-amend-1' };
    const report = await deliverOutboxRecords(deps, [record(entry('review.amended', 4), 7)]);
    expect(report.failed).toBeUndefined();
    expect(sfn.answered).toEqual([]);
    expect(reviews.task.decided).toBeUndefined();
  });

  it('stops a batch at the first failure and reports that record', async () => {
    const { sfn, deps } = setup(4);
    const failing = {
      ...deps,
      repo: {
        get: async () => {
          throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
        },
      },
    };
    const report = await deliverOutboxRecords(failing, [
      record(entry('review.start', 1), 1),
      record(entry('review.amended', 4), 2),
      record({ ...entry('review.start', 1), filingId: 'F0000000000TWO' }, 3),
    ]);
    expect(report.delivered.map((e) => e.kind)).toEqual(['review.start']);
    expect(report.failed?.sequenceNumber).toBe('2');
    expect([...sfn.executions.keys()]).toEqual(['F0000000000OUT']);
  });
});
