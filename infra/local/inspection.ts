// Inspection pages of the local runtime (`/_local/…`), each with a JSON twin for tests and
// scripts. They read through the same indexes as the product (no table scans) and show
// personal data masked, as every read does.
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { OUTBOX_DIR_ENV, requireEnv, TABLE_NAME_ENV } from '#shared/config/env.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { TABLE } from '#shared/data/table.ts';
import { maskName } from '#shared/domain/masking.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { escapeHtml, page } from '#shared/http/html.ts';
import { ROUTES } from '#shared/http/routes.ts';
import { filingServices } from '#shared/wiring/filing-services.ts';
import { outboxPages } from './outbox.ts';
import type { LocalStepFunctions } from './sfn/engine.ts';
import type { LocalStreamReader } from './stream-reader.ts';

const doc = createDocumentClient();

let engine: LocalStepFunctions | undefined;
/** The local workflow engine, when `npm start` runs one. */
export function setLocalEngine(value: LocalStepFunctions): void {
  engine = value;
}

type Reader = Pick<LocalStreamReader, 'drain' | 'status' | 'name'>;
let streamReaders: Reader[] = [];
/** The mailer's reader: what it sends is read from the outbox pages, not waited for by the settled check. */
const MAILER = 'Mailer';
/** The outbox's stream reader, when `npm start` runs one. */
export function setLocalStreamReaders(value: Reader[]): void {
  streamReaders = value;
}

let schedules: { next(): { id: string; next: string | undefined }[] } | undefined;
/** The scheduled jobs `npm start` runs. */
export function setLocalSchedules(value: typeof schedules): void {
  schedules = value;
}

const DURATION = /^(\d+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

interface Page {
  contentType: string;
  body: string;
}

const json = (value: unknown): Page => ({
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value, null, 2),
});
const html = (title: string, body: string): Page => ({
  contentType: 'text/html; charset=utf-8',
  body: page(title, body),
});

/** Recent filings of every unit of every program, newest first (at most `limit` per unit). */
async function recentFilings(limit = 20) {
  const index = TABLE.indexes.filingsByUnit;
  const { repo } = filingServices();
  const rows = [];
  for (const program of PROGRAMS) {
    for (const unit of program.reportingUnits) {
      const out = await doc.send(
        new QueryCommand({
          TableName: requireEnv(TABLE_NAME_ENV),
          IndexName: index.name,
          KeyConditionExpression: `${index.partitionKey} = :pk`,
          ExpressionAttributeValues: { ':pk': `PROGRAM#${program.id}#UNIT#${unit.code}` },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      for (const item of out.Items ?? []) {
        const record = await repo.get(String(item.pk).replace('FILING#', ''));
        rows.push({
          filingId: record.filingId,
          programId: record.programId,
          unit: unit.code,
          role: record.filing.role,
          name: maskName(record.filing.person.name),
          enterprise: record.filing.enterprise.name,
          state: record.state,
          version: record.version,
          submittedAt: record.createdAt,
          warnings: record.warnings.length,
        });
      }
    }
  }
  return rows.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
}

/**
 * Whether the workflow engine has settled: nothing under way in it (no run, no store write, no
 * answer being handled, no timeout due) and every running execution parked in a wait. Read
 * around the listing: if nothing was pending before it and nothing began during it, what it
 * shows is what the store holds until the next request.
 */
async function settledState(withMail: boolean) {
  // The outbox first: what was written before this reading is delivered (executions started,
  // waits answered) unless a delivery failed and waits for its retry.
  // Mail is not waited for: a backlog after an outage takes a while to send and holds no
  // workflow back; the outbox pages drain it before they read (what a test reads mail from).
  const drained = await Promise.all(streamReaders.filter((r) => r.name !== MAILER).map((r) => r.drain()));
  // Asked for (`?mail=1`): the mail queued so far is sent too, as a test that compares the table
  // or reads mail wants; drained after the engine is read, so what its last steps queued is in.
  const mailer = streamReaders.find((r) => r.name === MAILER);
  const drainMail = async () => {
    if (withMail) await mailer?.drain();
    const mail = mailer?.status();
    return { mail, mailDone: !withMail || !mail?.behind };
  };
  const outbox =
    drained.length === 0
      ? undefined
      : {
          behind: drained.some((d) => d.behind),
          delivered: drained.reduce((sum, d) => sum + d.delivered, 0),
        };
  if (!engine) {
    const { mail, mailDone } = await drainMail();
    return { settled: !outbox?.behind && mailDone, pending: 0, due: 0, busy: [], outbox, mail };
  }
  const before = engine.activity();
  const [running, tasks] = await Promise.all([engine.runningExecutions(), engine.pendingTasks()]);
  const after = engine.activity();
  const parked = new Set(tasks.map((t) => t.executionArn));
  // The histories only of the few that are not parked (for whoever reads why it is not settled).
  const busy = await Promise.all(
    running
      .filter((e) => !parked.has(e.executionArn))
      .slice(0, 20)
      .map(async (e) => ({
        executionArn: e.executionArn,
        stateName: e.stateName,
        events: (await engine?.execution(e.executionArn))?.events.slice(-4) ?? [],
      })),
  );
  const { mail, mailDone } = await drainMail();
  // Nothing began in the engine while the mail was sent either.
  const last = engine.activity();
  return {
    settled:
      before.pending === 0 &&
      before.due + after.due === 0 &&
      after.begun === before.begun &&
      last.begun === before.begun &&
      busy.length === 0 &&
      !outbox?.behind &&
      mailDone,
    pending: after.pending,
    due: after.due,
    memory: engine.memory(),
    mail,
    busy,
    outbox,
  };
}

export async function inspectionPage(url: URL, method = 'GET'): Promise<Page | undefined> {
  const path = url.pathname.replace(/\/$/, '');
  if (path.startsWith('/_local/outbox')) {
    // Mail is queued and sent from the stream: what was queued before this reading is in it
    // (unless the relay refuses), as a mailbox would show it once the mailer has run.
    await Promise.all(streamReaders.map((r) => r.drain()));
    return outboxPages(url, process.env[OUTBOX_DIR_ENV] ?? '');
  }
  if (method === 'POST' && path === '/_local/tick') {
    // Fast-forward the workflow clock: `?by=3d` (s, m, h, d).
    const match = DURATION.exec(url.searchParams.get('by') ?? '');
    if (!engine || !match) return json({ error: 'use ?by=<n>(s|m|h|d) with the workflow engine running' });
    const fired = await engine.tick(Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000));
    return json({ fired, now: new Date(engine.now()).toISOString() });
  }
  if (method === 'POST' && path === '/_local/run/send-batches') {
    const { handler } = await import('#functions/schedules/send-batches.ts');
    // "Run now" sends what waits whatever ran before: a period of its own (scheduled-runs.ts).
    return json(await handler({ job: 'WeeklyBatches', period: `local-run-${randomUUID()}` }));
  }
  switch (path) {
    case '/_local':
      return html(
        'Local runtime',
        `<h1>Local runtime</h1><ul>
<li><a href="/_local/filings">Filings</a> (<a href="/_local/filings.json">json</a>)</li>
<li><a href="/_local/outbox">Outbox</a> (<a href="/_local/outbox.json">json</a>)</li>
<li><a href="/_local/executions">Workflow executions</a> (<a href="/_local/executions.json">json</a>)</li>
<li><a href="/_local/tasks">Pending reviews</a> (<a href="/_local/tasks.json">json</a>)</li>
<li><a href="/_local/settled.json">Whether the workflow engine has settled</a> (nothing under way, every running execution waiting)</li>
<li>Fast-forward: <code>npm run local -- tick 3d</code>; send the weekly batches now: <code>npm run local -- send-batches</code></li>
<li><a href="/_local/schedules.json">Scheduled jobs</a> (next runs, Asia/Shanghai expressions)</li>
<li><a href="/_local/routes.json">Routes</a></li>
<li><a href="/docs">API reference</a></li>
<li><a href="/">Filing site</a></li></ul>`,
      );
    case '/_local/faults.json': {
      const { injectedFaults } = await import('./sfn/local-workflows.ts');
      return json(Object.fromEntries(injectedFaults));
    }
    case '/_local/schedules.json':
      return json(schedules?.next() ?? []);
    case '/_local/executions.json':
      return json((await engine?.executions()) ?? []);
    case '/_local/settled.json':
      return json(await settledState(url.searchParams.get('mail') === '1'));
    case '/_local/tasks.json':
      return json(
        ((await engine?.pendingTasks()) ?? []).map(({ token: _token, ...task }) => ({
          ...task,
          deadline: new Date(task.deadline).toISOString(),
        })),
      );
    case '/_local/executions': {
      const list = (await engine?.executions()) ?? [];
      return html(
        'Workflow executions',
        `<h1>Workflow executions</h1>${list
          .sort((a, b) => b.startDate.localeCompare(a.startDate))
          .map(
            (e) =>
              `<h2><code>${escapeHtml(e.name)}</code> ${escapeHtml(e.status)}</h2><p>${escapeHtml(e.startDate)} → ${escapeHtml(e.stopDate ?? '…')} ${escapeHtml(e.error ?? '')}</p><ol>${e.events
                .map(
                  (ev) =>
                    `<li>${escapeHtml(ev.at)} ${escapeHtml(ev.type)} ${escapeHtml(ev.state ?? '')} ${escapeHtml(ev.error ?? '')}</li>`,
                )
                .join('')}</ol>`,
          )
          .join('')}`,
      );
    }
    case '/_local/tasks': {
      const tasks = (await engine?.pendingTasks()) ?? [];
      return html(
        'Pending reviews',
        `<h1>Pending reviews</h1><table><tr><th>execution</th><th>waiting in</th><th>deadline</th></tr>${tasks
          .map(
            (t) =>
              `<tr><td><code>${escapeHtml(t.executionArn.split(':').pop())}</code></td><td>${escapeHtml(t.stateName)}</td><td>${escapeHtml(new Date(t.deadline).toISOString())}</td></tr>`,
          )
          .join('')}</table>`,
      );
    }
    case '/_local/routes.json':
      return json(
        ROUTES.map(({ id, method, path, handler, access }) => ({ id, method, path, handler, access })),
      );
    case '/_local/filings.json':
      return json(await recentFilings());
    case '/_local/filings': {
      const rows = await recentFilings();
      return html(
        'Filings',
        `<h1>Filings</h1><table><tr><th>filing</th><th>program</th><th>unit</th><th>role</th><th>name</th><th>enterprise</th><th>state</th><th>submitted</th></tr>${rows
          .map(
            (r) =>
              `<tr><td><code>${escapeHtml(r.filingId)}</code></td><td>${escapeHtml(r.programId)}</td><td>${escapeHtml(r.unit)}</td><td>${escapeHtml(r.role)}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.enterprise)}</td><td>${escapeHtml(r.state)}</td><td>${escapeHtml(r.submittedAt)}</td></tr>`,
          )
          .join('')}</table>`,
      );
    }
    default:
      return undefined;
  }
}
