// The V8 heap of the runtime's Node processes, read through the inspector (the runtime is started
// with NODE_OPTIONS=--inspect on a free port): what is still reachable after a full garbage
// collection. Resident memory grows while V8 sizes its heap for the load and says little about
// leaks for minutes; the heap that survives a full collection grows only if something is kept.
export const INSPECT_ENV = { NODE_OPTIONS: '--inspect=127.0.0.1:0' };

export interface HeapProbe {
  /** Bytes in use after a full collection. */
  liveAfterGc(): Promise<number>;
  close(): void;
}

/** The inspector addresses the runtime's Node processes printed ("Debugger listening on ws://…"). */
export function inspectorUrls(output: string): string[] {
  return [...new Set([...output.matchAll(/Debugger listening on (ws:\/\/[^\s]+)/g)].map((m) => m[1] ?? ''))];
}

export async function heapProbe(url: string): Promise<HeapProbe> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`no inspector at ${url}`)), { once: true });
  });
  let id = 0;
  const waiting = new Map<number, (result: Record<string, unknown>) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown> };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result ?? {});
  });
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      id += 1;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    async liveAfterGc() {
      await call('HeapProfiler.collectGarbage');
      return Number((await call('Runtime.getHeapUsage')).usedSize ?? 0);
    },
    close: () => socket.close(),
  };
}
