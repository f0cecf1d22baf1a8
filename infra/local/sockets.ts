// Listening sockets of the local runtime, bound by the supervisor (start.ts) and handed to the
// HTTP child (server.ts). Binding port 0 in the process that keeps the socket is the only way
// to get a free port without a race: a port found free, closed and passed on by number can be
// taken by another process (a second test run on the same machine) before the child binds it.
import { createServer, type Server } from 'node:net';

/** Set in the child's environment when its sockets arrive by IPC rather than by port number. */
export const SOCKET_HANDOFF_ENV = 'LOCAL_SOCKET_HANDOFF';

export type SocketName = 'http' | 'sfn';

/** A listening TCP socket on 127.0.0.1 (`port` 0: any free port), with the port it got. */
export function bindLoopback(port: number): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    // Connections this process takes (while a restarted child is not listening yet) have nobody
    // to answer them: refusing them at once lets a client retry instead of waiting forever.
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}
