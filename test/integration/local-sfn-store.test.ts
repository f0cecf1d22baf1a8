// The local Step Functions engine's own table on DynamoDB Local: created beside the application
// table, and the engine items a data directory from before kept in the application table
// (partition LOCALSFN) moved into it once, so a developer's waiting workflows survive the
// upgrade and the application table holds application data only.
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord, LocalStepFunctions, PendingTask } from '#infra/local/sfn/engine.ts';
import { localStateMachineArn, startLocalWorkflows } from '#infra/local/sfn/local-workflows.ts';
import { dynamoEngineStore, localSfnTableName, prepareEngineTable } from '#infra/local/sfn/store.ts';
import { freshTable, scanAll } from '../support/ddb.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILING = localStateMachineArn('FilingWorkflow');

/** A filing execution waiting in CityReview, as an engine before this table wrote it. */
function legacyItems(filingId: string, token: string): Record<string, unknown>[] {
  const executionArn = `${FILING.replace(':stateMachine:', ':execution:')}:${filingId}`;
  const stateInput = JSON.stringify({
    filingId,
    programId: 'liaoning-cso',
    round: 0,
    stage: 'city',
    attempt: 0,
    wait: { timeoutSeconds: 259_200, kind: 'notify' },
  });
  const exec: ExecutionRecord = {
    executionArn,
    stateMachineArn: FILING,
    name: filingId,
    input: stateInput,
    status: 'RUNNING',
    startDate: '2026-01-05T02:00:00.000Z',
    stateName: 'CityReview',
    stateInput,
    events: [{ type: 'StateEntered', at: '2026-01-05T02:00:01.000Z', state: 'CityReview' }],
  };
  const task: PendingTask = {
    token,
    executionArn,
    stateName: 'CityReview',
    stateInput,
    // Far ahead of any engine clock: the wait stays parked through the test.
    deadline: Date.now() + 30 * 86_400_000,
    createdAt: '2026-01-05T02:00:01.000Z',
    invoked: true,
  };
  return [
    { pk: 'LOCALSFN', sk: `EXEC#${executionArn}`, ...exec },
    { pk: 'LOCALSFN', sk: `TASK#${token}`, ...task },
    { pk: 'LOCALSFN', sk: 'CLOCK', offset: 3_600_000 },
  ];
}

const applicationItem = {
  pk: 'FILING#F0000000000001',
  sk: 'BODY',
  type: 'FilingBody',
  programId: 'liaoning-cso',
};

const started: { engine: LocalStepFunctions; server: Server }[] = [];
afterEach(async () => {
  for (const { engine, server } of started.splice(0)) {
    engine.stop();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('the engine table', () => {
  it('is created beside the application table, and the engine items from before move into it once', async () => {
    const { doc, tableName } = await freshTable();
    for (const Item of [...legacyItems('F0000000000001', 'token-1'), applicationItem]) {
      await doc.send(new PutCommand({ TableName: tableName, Item }));
    }

    expect(await prepareEngineTable(doc, tableName)).toBe(3);
    const engineTable = localSfnTableName(tableName);
    expect(engineTable).toBe(`${tableName}-local-sfn`);
    const described = await doc.send(new DescribeTableCommand({ TableName: engineTable }));
    expect(described.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    // The application table keeps its own items only.
    expect(await scanAll(doc, tableName)).toEqual([applicationItem]);
    const store = dynamoEngineStore(doc, engineTable);
    expect((await store.listExecutions()).map((e) => [e.name, e.status, e.stateName])).toEqual([
      ['F0000000000001', 'RUNNING', 'CityReview'],
    ]);
    expect(await store.getTask('token-1')).toMatchObject({ stateName: 'CityReview', invoked: true });
    expect(await store.getClockOffset()).toBe(3_600_000);

    // Once: a second start finds nothing to move and changes nothing.
    const before = await scanAll(doc, engineTable);
    expect(await prepareEngineTable(doc, tableName)).toBe(0);
    expect(await scanAll(doc, engineTable)).toEqual(before);
  });

  it('finishes a move that stopped between copying and deleting, the application table’s copy winning', async () => {
    const { doc, tableName } = await freshTable();
    const engineTable = localSfnTableName(tableName);
    const [exec, task, clock] = legacyItems('F0000000000002', 'token-2') as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    await prepareEngineTable(doc, tableName); // the engine table, nothing to move yet
    // Copied before the stop: the execution (an older copy) and the clock; the task was not.
    await doc.send(new PutCommand({ TableName: engineTable, Item: { ...exec, status: 'OLDER' } }));
    await doc.send(new PutCommand({ TableName: engineTable, Item: clock }));
    for (const Item of [exec, task, clock]) await doc.send(new PutCommand({ TableName: tableName, Item }));

    expect(await prepareEngineTable(doc, tableName)).toBe(3);
    expect(await scanAll(doc, tableName)).toEqual([]);
    const saved = await doc.send(
      new GetCommand({ TableName: engineTable, Key: { pk: exec.pk, sk: exec.sk } }),
    );
    expect(saved.Item?.status).toBe('RUNNING');
    expect(await dynamoEngineStore(doc, engineTable).getTask('token-2')).toMatchObject({ invoked: true });
  });

  it('startLocalWorkflows moves them and resumes the wait from before with the same token', async () => {
    const { doc, tableName } = await freshTable();
    for (const Item of [...legacyItems('F0000000000003', 'token-3'), applicationItem]) {
      await doc.send(new PutCommand({ TableName: tableName, Item }));
    }
    const local = await startLocalWorkflows({ root, doc, tableName, listen: 0 });
    started.push(local);
    const { engine } = local;

    expect(await scanAll(doc, tableName)).toEqual([applicationItem]);
    expect((await engine.pendingTasks()).map((t) => [t.token, t.stateName])).toEqual([
      ['token-3', 'CityReview'],
    ]);
    // Parked, as before the upgrade: nothing runs until the answer, the fast-forwarded clock kept.
    expect(engine.memory()).toEqual({ running: 0, invoking: 0, parked: 1 });
    const wallClock = Date.now();
    expect(engine.now()).toBeGreaterThanOrEqual(wallClock + 3_600_000);
    await engine.sendTaskHeartbeat('token-3');
    expect(engine.idle()).toBe(true);
  });

  it('lists the running executions without their histories, and only those', async () => {
    const { doc, tableName } = await freshTable();
    await prepareEngineTable(doc, tableName);
    const store = dynamoEngineStore(doc, localSfnTableName(tableName));
    const record = (
      name: string,
      status: ExecutionRecord['status'],
      stateName?: string,
    ): ExecutionRecord => ({
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:FilingWorkflow:${name}`,
      stateMachineArn: localStateMachineArn('FilingWorkflow'),
      name,
      input: '{}',
      status,
      startDate: '2026-12-01T00:00:00.000Z',
      ...(stateName ? { stateName } : {}),
      events: [
        { type: 'ExecutionStarted', at: '2026-12-01T00:00:00.000Z' } as ExecutionRecord['events'][number],
      ],
    });
    await store.putExecution(record('F0000000000010', 'RUNNING', 'CityReview'));
    await store.putExecution(record('F0000000000011', 'SUCCEEDED', 'Done'));
    await store.putExecution(record('F0000000000012', 'RUNNING'));
    await store.putExecution(record('F0000000000013', 'FAILED', 'CityReview'));
    const running = await store.listRunning?.();
    expect(running?.sort((a, b) => a.executionArn.localeCompare(b.executionArn))).toEqual([
      { executionArn: record('F0000000000010', 'RUNNING').executionArn, stateName: 'CityReview' },
      { executionArn: record('F0000000000012', 'RUNNING').executionArn },
    ]);
  });
});
