// The Step Functions API operations the handlers call, served on loopback in the AWS JSON
// 1.0 protocol so that the real @aws-sdk/client-sfn talks to the local engine through
// AWS_ENDPOINT_URL_SFN.
import { createServer, type Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { type ExecutionRecord, type LocalStepFunctions, SfnApiError } from './engine.ts';
import { executionHistory } from './history.ts';

const epochSeconds = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);

/** The role the local machines say they run with (no role exists here; tools expect an ARN). */
export const localRoleArn = (machineArn: string) => {
  const [, , , region = 'us-east-1', account = '000000000000'] = machineArn.split(':');
  return `arn:aws:iam::${account}:role/local-sfn-${region}`;
};

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** maxResults as AWS takes it: 0 or absent for the default page, at most 1000. */
function pageSize(value: unknown): number {
  if (value === undefined || value === null || value === 0) return 100;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw new SfnApiError('ValidationException', 'maxResults must be an integer from 0 to 1000');
  }
  return value;
}

/**
 * Paging: a token names the listing it belongs to (operation and arguments) and where the next
 * page starts, so that a token of another listing, or a made-up one, is InvalidToken.
 */
const tokenFor = (scope: string, after: unknown) =>
  Buffer.from(JSON.stringify({ scope, after })).toString('base64url');

function tokenPosition(token: unknown, scope: string): unknown {
  if (token === undefined || token === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as Body;
    if (parsed.scope === scope && parsed.after !== undefined) return parsed.after;
  } catch {
    // not one of ours
  }
  throw new SfnApiError('InvalidToken', 'invalid nextToken');
}

/** One page of `items` (in their order) after the token's position, and the next page's token. */
function page<T>(
  items: T[],
  body: Body,
  scope: string,
  positionOf: (item: T) => unknown,
  isAfter: (item: T, position: never) => boolean,
): { items: T[]; nextToken?: string } {
  const size = pageSize(body.maxResults);
  const position = tokenPosition(body.nextToken, scope);
  const rest = position === undefined ? items : items.filter((item) => isAfter(item, position as never));
  const shown = rest.slice(0, size);
  const last = shown.at(-1);
  return rest.length > size && last !== undefined
    ? { items: shown, nextToken: tokenFor(scope, positionOf(last)) }
    : { items: shown };
}

/**
 * Serves the API on `listen`: a port, or a listening socket handed over by the supervisor (which
 * bound it, so that the port is known before this process starts and no other process can take it).
 */
export function serveStepFunctionsApi(
  engine: LocalStepFunctions,
  listen: number | NetServer,
): Promise<Server> {
  const machineOf = (arn: unknown) => engine.stateMachine(String(arn ?? ''));
  const describeMachine = (arn: unknown) => {
    const m = machineOf(arn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      definition: JSON.stringify(m.definition, null, 2),
      roleArn: localRoleArn(m.arn),
      date: epochSeconds(m.registeredAt),
    };
  };
  const listItem = (e: ExecutionRecord) => ({
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startDate),
    ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
  });
  const operations: Record<string, (body: Body) => Promise<unknown>> = {
    StartExecution: async (b) => {
      const out = await engine.startExecution(
        text(b.stateMachineArn) ?? '',
        text(b.name),
        text(b.input) ?? '{}',
      );
      return { executionArn: out.executionArn, startDate: epochSeconds(out.startDate) };
    },
    SendTaskSuccess: async (b) => {
      await engine.sendTaskSuccess(text(b.taskToken) ?? '', text(b.output) ?? '{}');
      return {};
    },
    SendTaskFailure: async (b) => {
      await engine.sendTaskFailure(text(b.taskToken) ?? '', text(b.error), text(b.cause));
      return {};
    },
    SendTaskHeartbeat: async (b) => {
      await engine.sendTaskHeartbeat(text(b.taskToken) ?? '');
      return {};
    },
    StopExecution: async (b) => {
      await engine.stopExecution(text(b.executionArn) ?? '', text(b.error), text(b.cause));
      return { stopDate: Date.now() / 1000 };
    },
    DescribeExecution: async (b) => {
      const e = await engine.describeExecution(text(b.executionArn) ?? '');
      return {
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: epochSeconds(e.startDate),
        ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
        input: e.input,
        inputDetails: { included: true },
        ...(e.output ? { output: e.output, outputDetails: { included: true } } : {}),
        ...(e.error ? { error: e.error, cause: e.cause } : {}),
      };
    },
    // Newest first, as AWS lists them.
    ListExecutions: async (b) => {
      const machine = machineOf(b.stateMachineArn);
      const status = text(b.statusFilter);
      const all = (await engine.executions())
        .filter((e) => e.stateMachineArn === machine.arn && (!status || e.status === status))
        .sort(
          (x, y) => y.startDate.localeCompare(x.startDate) || y.executionArn.localeCompare(x.executionArn),
        );
      const { items, nextToken } = page(
        all,
        b,
        `ListExecutions|${machine.arn}|${status ?? ''}`,
        (e) => [e.startDate, e.executionArn],
        (e, [date, arn]: [string, string]) =>
          e.startDate < date || (e.startDate === date && e.executionArn < arn),
      );
      return { executions: items.map(listItem), ...(nextToken ? { nextToken } : {}) };
    },
    ListStateMachines: async (b) => {
      const { items, nextToken } = page(
        engine.stateMachines(),
        b,
        'ListStateMachines',
        (m) => m.name,
        (m, name: string) => m.name > name,
      );
      return {
        stateMachines: items.map((m) => ({
          stateMachineArn: m.arn,
          name: m.name,
          type: 'STANDARD',
          creationDate: epochSeconds(m.registeredAt),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
    DescribeStateMachine: async (b) => {
      const { date, ...m } = describeMachine(b.stateMachineArn);
      return {
        ...m,
        status: 'ACTIVE',
        type: 'STANDARD',
        creationDate: date,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
    DescribeStateMachineForExecution: async (b) => {
      const e = await engine.describeExecution(text(b.executionArn) ?? '');
      const { date, ...m } = describeMachine(e.stateMachineArn);
      return {
        ...m,
        updateDate: date,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
    GetExecutionHistory: async (b) => {
      const arn = text(b.executionArn) ?? '';
      const e = await engine.describeExecution(arn);
      const definition = engine.stateMachines().find((m) => m.arn === e.stateMachineArn)?.definition;
      const events = executionHistory(e, definition, {
        includeExecutionData: b.includeExecutionData !== false,
        roleArn: localRoleArn(e.stateMachineArn),
        region: e.stateMachineArn.split(':')[3] ?? 'us-east-1',
      });
      const reverse = b.reverseOrder === true;
      if (reverse) events.reverse();
      // Positioned by event id: a running execution's later events do not shift the pages.
      const { items, nextToken } = page(
        events,
        b,
        `GetExecutionHistory|${arn}|${reverse}`,
        (event) => event.id,
        (event, id: number) => (reverse ? event.id < id : event.id > id),
      );
      return { events: items, ...(nextToken ? { nextToken } : {}) };
    },
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = operations[target.replace(/^AWSStepFunctions\./, '')];
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    };
    if (!op)
      return reply(400, { __type: 'UnknownOperationException', message: `unsupported operation ${target}` });
    try {
      reply(200, await op(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body));
    } catch (error) {
      if (error instanceof SfnApiError) reply(400, { __type: error.type, message: error.message });
      else if (error instanceof SyntaxError) reply(400, { __type: 'InvalidArn', message: error.message });
      // The engine's own store failed (DynamoDB Local unreachable): the service is unavailable, a
      // 5xx the SDK retries and the handlers answer with 503, as with AWS, not a client error.
      else reply(503, { __type: 'ServiceUnavailable', message: (error as Error).message });
    }
  });
  return new Promise((resolve) => {
    if (typeof listen === 'number') server.listen(listen, '127.0.0.1', () => resolve(server));
    else server.listen(listen, () => resolve(server));
  });
}
