// The Step Functions API operations the handlers call, served on loopback in the AWS JSON
// 1.0 protocol so that the real @aws-sdk/client-sfn talks to the local engine through
// AWS_ENDPOINT_URL_SFN.
import { createServer, type Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { type LocalStepFunctions, SfnApiError } from './engine.ts';

const epochSeconds = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);

/**
 * Serves the API on `listen`: a port, or a listening socket handed over by the supervisor (which
 * bound it, so that the port is known before this process starts and no other process can take it).
 */
export function serveStepFunctionsApi(engine: LocalStepFunctions, listen: number | NetServer): Promise<Server> {
  const operations: Record<string, (body: Record<string, string>) => Promise<unknown>> = {
    StartExecution: async (b) => {
      const out = await engine.startExecution(b.stateMachineArn ?? '', b.name, b.input ?? '{}');
      return { executionArn: out.executionArn, startDate: epochSeconds(out.startDate) };
    },
    SendTaskSuccess: async (b) => {
      await engine.sendTaskSuccess(b.taskToken ?? '', b.output ?? '{}');
      return {};
    },
    SendTaskFailure: async (b) => {
      await engine.sendTaskFailure(b.taskToken ?? '', b.error, b.cause);
      return {};
    },
    SendTaskHeartbeat: async (b) => {
      await engine.sendTaskHeartbeat(b.taskToken ?? '');
      return {};
    },
    StopExecution: async (b) => {
      await engine.stopExecution(b.executionArn ?? '', b.error, b.cause);
      return { stopDate: Date.now() / 1000 };
    },
    DescribeExecution: async (b) => {
      const e = await engine.describeExecution(b.executionArn ?? '');
      return {
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: epochSeconds(e.startDate),
        ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
        input: e.input,
        ...(e.output ? { output: e.output } : {}),
        ...(e.error ? { error: e.error, cause: e.cause } : {}),
      };
    },
    ListExecutions: async (b) => ({
      executions: (await engine.executions())
        .filter(
          (e) => e.stateMachineArn === b.stateMachineArn && (!b.statusFilter || e.status === b.statusFilter),
        )
        .map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: epochSeconds(e.startDate),
        })),
    }),
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
      reply(200, await op(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
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
