// The local Step Functions API as tools see it, through the real @aws-sdk/client-sfn at the
// endpoint the runtime's banner prints: the state machines listed and described, a filing's
// execution found and its history paged forwards and backwards, the errors AWS answers.
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStateMachineArn } from '#infra/local/sfn/local-workflows.ts';
import { type ApiDriver, apiDriver } from '../e2e/driver.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

const FILING = localStateMachineArn('FilingWorkflow');

let runtime: Runtime;
let api: ApiDriver;
let sfn: SFNClient;

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
  const endpoint = /Step Functions\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(runtime.output())?.[1];
  if (!endpoint) throw new Error(`no Step Functions endpoint in the runtime output:\n${runtime.output()}`);
  sfn = new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.stop();
});

async function eventually(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The review link of a filing, from the outbox (GET never changes anything). */
async function reviewLink(filingId: string): Promise<string> {
  let found: string | undefined;
  await eventually(async () => {
    for (const mail of (await api.outbox()).filter((m) => m.kind === 'review_request')) {
      for (const link of mail.links) {
        if ((await api.reviewPage(link)).text.includes(filingId)) found = link;
      }
    }
    return found !== undefined;
  }, `the review link of ${filingId}`);
  return found ?? '';
}

async function submit(n: number): Promise<{ filingId: string; receiptToken: string }> {
  const res = await api.submit('liaoning-cso', validFiling({ n }));
  expect(res.status).toBe(201);
  return res.body as unknown as { filingId: string; receiptToken: string };
}

/** Every page of an execution's history, `maxResults` at a time. */
async function pages(
  executionArn: string,
  options: { maxResults: number; reverseOrder?: boolean },
): Promise<{ events: HistoryEvent[]; calls: number }> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  let calls = 0;
  do {
    const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...options, nextToken }));
    calls++;
    expect(out.events?.length ?? 0).toBeLessThanOrEqual(options.maxResults);
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return { events, calls };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('state machines', () => {
  it('lists the registered state machines, one page or one at a time', async () => {
    const all = await sfn.send(new ListStateMachinesCommand({}));
    const names = (all.stateMachines ?? []).map((m) => m.name);
    expect(names).toContain('FilingWorkflow');
    expect(all.nextToken).toBeUndefined();
    const filing = all.stateMachines?.find((m) => m.name === 'FilingWorkflow');
    expect(filing).toMatchObject({ stateMachineArn: FILING, type: 'STANDARD' });
    expect(filing?.creationDate).toBeInstanceOf(Date);

    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken }));
      expect(out.stateMachines).toHaveLength(1);
      paged.push(...(out.stateMachines ?? []).map((m) => String(m.name)));
      nextToken = out.nextToken;
    } while (nextToken);
    expect(paged).toEqual(names);
  });

  it('describes a state machine with its definition; an unknown one is StateMachineDoesNotExist', async () => {
    const out = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: FILING }));
    expect(out).toMatchObject({
      stateMachineArn: FILING,
      name: 'FilingWorkflow',
      status: 'ACTIVE',
      type: 'STANDARD',
    });
    expect(out.roleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(out.creationDate).toBeInstanceOf(Date);
    const definition = JSON.parse(String(out.definition)) as {
      StartAt: string;
      States: Record<string, unknown>;
    };
    expect(definition.StartAt).toBe('Entry');
    expect(Object.keys(definition.States)).toContain('CityReview');

    const unknown = await rejection(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: localStateMachineArn('NoSuchMachine') })),
    );
    expect(unknown).toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('a filing’s execution', () => {
  let filingId: string;
  let executionArn: string;

  beforeAll(async () => {
    const filing = await submit(700_000);
    await submit(700_001);
    filingId = filing.filingId;
    executionArn = `${FILING.replace(':stateMachine:', ':execution:')}:${filingId}`;
    const decided = await api.decide(await reviewLink(filingId), { decision: 'approve' });
    expect(decided.status).toBe(200);
    await eventually(
      async () => (await api.status(filingId, filing.receiptToken)).body.status === 'province_review',
      'the province review',
    );
    await api.settled();
  });

  it('is listed under its filing id, newest first, one page or one at a time', async () => {
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: FILING }));
    const names = (all.executions ?? []).map((e) => e.name);
    expect(names).toContain(filingId);
    expect(names).toHaveLength(2);
    const dates = (all.executions ?? []).map((e) => e.startDate?.getTime() ?? 0);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(all.executions?.find((e) => e.name === filingId)).toMatchObject({
      executionArn,
      stateMachineArn: FILING,
      status: 'RUNNING',
    });

    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: FILING, maxResults: 1 }));
    expect(first.executions).toHaveLength(1);
    const second = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: FILING, maxResults: 1, nextToken: first.nextToken }),
    );
    expect(second.nextToken).toBeUndefined();
    expect([...(first.executions ?? []), ...(second.executions ?? [])].map((e) => e.name)).toEqual(names);
  });

  it('names its state machine and definition', async () => {
    const out = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: FILING }));
    expect(out).toMatchObject({ stateMachineArn: FILING, name: 'FilingWorkflow', roleArn: machine.roleArn });
    expect(out.definition).toBe(machine.definition);
    expect(out.updateDate).toBeInstanceOf(Date);
  });

  it('has a history paged two at a time as in one call, reversed with reverseOrder, ids 1..n', async () => {
    const whole = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const events = whole.events ?? [];
    expect(whole.nextToken).toBeUndefined();
    expect(events.map((e) => [e.id, e.previousEventId])).toEqual(events.map((_e, i) => [i + 1, i]));
    expect(events[0]).toMatchObject({
      type: 'ExecutionStarted',
      executionStartedEventDetails: { inputDetails: { truncated: false } },
    });
    expect(JSON.parse(String(events[0]?.executionStartedEventDetails?.input))).toMatchObject({ filingId });
    expect(events.every((e) => e.timestamp instanceof Date)).toBe(true);
    // The states it went through (as the engine recorded them: from the city's review to the
    // province's wait), and the city's answer to the wait as the task's success.
    const entered = events
      .filter((e) => e.type?.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails?.name);
    const recorded = (await api.executions()).find((e) => e.name === filingId)?.events ?? [];
    expect(entered).toEqual(recorded.filter((e) => e.type === 'StateEntered').map((e) => e.state));
    expect(entered.slice(0, 4)).toEqual(['Entry', 'StartReview', 'CityReview', 'ApplyCityDecision']);
    expect(entered.at(-1)).toBe('AwaitProvince');
    expect(events[1]?.type).toBe('ChoiceStateEntered');
    const answered = events.find((e) => e.type === 'TaskSucceeded');
    expect(JSON.parse(String(answered?.taskSucceededEventDetails?.output))).toMatchObject({
      decision: 'approve',
    });
    expect(answered?.taskSucceededEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
    });
    expect(events.some((e) => e.type === 'LambdaFunctionSucceeded')).toBe(true);
    // Waiting for the province: its wait's function has been invoked, no answer yet.
    expect(events.at(-1)?.type).toBe('TaskSubmitted');

    const forwards = await pages(executionArn, { maxResults: 2 });
    expect(forwards.events).toEqual(events);
    expect(forwards.calls).toBe(Math.ceil(events.length / 2));
    const backwards = await pages(executionArn, { maxResults: 2, reverseOrder: true });
    expect(backwards.events).toEqual([...events].reverse());

    const bare = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: false }),
    );
    expect(bare.events?.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(bare.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
  });

  it('answers ExecutionDoesNotExist for an unknown execution and InvalidToken for a made-up token', async () => {
    const unknown = `${FILING.replace(':stateMachine:', ':execution:')}:F0000000000000`;
    expect(
      await rejection(sfn.send(new GetExecutionHistoryCommand({ executionArn: unknown }))),
    ).toBeInstanceOf(ExecutionDoesNotExist);
    expect(await rejection(sfn.send(new DescribeExecutionCommand({ executionArn: unknown })))).toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    expect(
      await rejection(sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'not-a-token' }))),
    ).toBeInstanceOf(InvalidToken);
    // A token of another listing is no token of this one.
    const listed = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(
      await rejection(
        sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: listed.nextToken })),
      ),
    ).toBeInstanceOf(InvalidToken);
  });
});
