// The local runtime's process tree as Linux shows it under /proc: who is a child of whom, how
// much memory each holds, and which Java process is the DynamoDB Local on a given port.
import { readdirSync, readFileSync } from 'node:fs';

interface Stat {
  ppid: number;
  state: string;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: read after the last ')'.
    const [state = '', ppid = ''] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Whether the process runs (a zombie waiting to be reaped does not). */
export function alive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

export function childrenOf(pid: number): number[] {
  return pids().filter((p) => stat(p)?.ppid === pid && alive(p));
}

export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const child of childrenOf(pid)) out.push(child, ...descendantsOf(child));
  return out;
}

/** Resident memory of a process in KiB (0 once it is gone). */
export function rssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The Java process of the DynamoDB Local listening on `port` (not its shell watchdog). */
export function dynamoDbLocalPid(port: number | string): number | undefined {
  return pids().find((pid) => {
    const argv = commandLine(pid);
    const at = argv.indexOf('-port');
    return (
      argv[0]?.endsWith('java') === true &&
      argv.includes('DynamoDBLocal.jar') &&
      at >= 0 &&
      argv[at + 1] === String(port) &&
      alive(pid)
    );
  });
}

/** The runtime's Node processes: the supervisor and the HTTP side it forks (where handlers run). */
export function nodeProcesses(supervisor: number): number[] {
  return [supervisor, ...descendantsOf(supervisor).filter((p) => /node$/.test(commandLine(p)[0] ?? ''))];
}

export async function waitUntil(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** Probes until `done` holds or time is up; returns the last value seen either way. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await probe();
  }
  return value;
}
