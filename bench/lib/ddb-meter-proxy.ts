// A loopback proxy in front of DynamoDB Local that meters every write passing through it by
// AWS rules (lib/wcu-meter.ts), so a whole running system (the local runtime in its own
// processes) can be measured without touching its code: point it at the proxy instead.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { WcuMeter } from './wcu-meter.ts';

/** JSON-protocol attribute values carry binary as base64; the meter wants bytes. */
function decodeBinary(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBinary);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === 'B' && typeof v === 'string'
          ? Buffer.from(v, 'base64')
          : k === 'BS' && Array.isArray(v)
            ? v.map((b) => Buffer.from(String(b), 'base64'))
            : decodeBinary(v);
    }
    return out;
  }
  return value;
}

export function startMeterProxy(
  target: string,
  meter: WcuMeter,
  port = 0,
): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const forward = () =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
        (resolve, reject) => {
          const out = httpRequest(
            {
              hostname: upstream.hostname,
              port: upstream.port,
              path: req.url,
              method: req.method,
              headers: req.headers,
            },
            (up) => {
              const parts: Buffer[] = [];
              up.on('data', (c: Buffer) => parts.push(c));
              up.on('end', () =>
                resolve({ status: up.statusCode ?? 500, headers: up.headers, body: Buffer.concat(parts) }),
              );
            },
          );
          out.on('error', reject);
          out.end(body);
        },
      );
    try {
      let input: Record<string, unknown> = {};
      try {
        input = decodeBinary(JSON.parse(body.toString('utf8') || '{}')) as Record<string, unknown>;
      } catch {
        // not JSON: forwarded unmetered
      }
      const answer = await meter
        .meter(operation, input, async () => {
          const result = await forward();
          if (result.status >= 400) throw Object.assign(new Error('upstream error'), { result });
          return result;
        })
        .catch((error: { result?: Awaited<ReturnType<typeof forward>> }) => {
          if (error.result) return error.result;
          throw error;
        });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (error) {
      res.writeHead(502);
      res.end(String(error));
    }
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
        server,
      });
    }),
  );
}
