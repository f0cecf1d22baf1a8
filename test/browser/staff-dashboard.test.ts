// The console's dashboard (工作台) in Chromium against the real local runtime. Seeded: two
// Shenyang filings and one Dalian filing under city review, the year's plans, pool members
// imported in both units (so the bars and the trend have something to draw), one Shenyang review
// begun five days ago (past the first reminder on day 3) and one recorded workflow failure on a
// Dalian filing (both written to the table as the workflow would have: waiting days is not an
// option in a test). The province signs in and sees every unit; a Shenyang officer sees only
// 210100. The page's tiles and tables read the same numbers as the dashboard route answers
// for each token; axe finds nothing serious; screenshots at 1280×800 and 390×844.
import { mkdirSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { shanghaiDate } from '#shared/domain/time.ts';
import type { Dashboard } from '#shared/use-cases/staff/dashboard.ts';
import { type ApiDriver, apiDriver } from '../e2e/driver.ts';
import { launchChromium } from '../support/browser.ts';
import { validFiling } from '../support/fixtures.ts';
import { eventually } from '../support/pool.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import {
  artifacts,
  consolePages,
  h1,
  importMembers,
  look as lookAt,
  openSignedOut,
  SIZES,
  type Size,
  signInAs,
  staffTokens,
} from '../support/staff-browser.ts';

const LIAONING = 'liaoning-cso';
const DAY = 86_400_000;

let runtime: Runtime;
let api: ApiDriver;
let browser: Browser;
const pages = consolePages(() => browser, { watchCsp: true });
const { cspErrors } = pages;
const tokens: Record<'province' | 'city', string> = { province: '', city: '' };

const filings = [
  validFiling({ n: 970_001, unit: '210100' }),
  validFiling({ n: 970_002, unit: '210100', role: 'director' }),
  validFiling({ n: 970_003, unit: '210200', region: '210200' }),
];
const ids: string[] = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  runtime = await startRuntime();
  api = apiDriver(runtime);
  browser = await launchChromium();
  Object.assign(tokens, await staffTokens(runtime, LIAONING, 'dashboard'));
  for (const filing of filings) {
    const answer = await api.submit(LIAONING, filing);
    expect(answer.status).toBe(201);
    const id = String(answer.body.filingId);
    const receipt = String(answer.body.receiptToken);
    ids.push(id);
    await eventually(
      async () => (await api.status(id, receipt)).body.status === 'city_review',
      `filing ${id} under city review`,
    );
  }
  await api.settled();

  const year = shanghaiDate(new Date()).slice(0, 4);
  const plan = await api.call('PUT', `/staff/programs/${LIAONING}/plans/${year}`, {
    headers: { authorization: `Bearer ${tokens.province}` },
    body: {
      units: [
        { unit: '210100', people: { cso: 12, director: 6 }, enterprises: 20 },
        { unit: '210200', people: { cso: 8 } },
      ],
    },
  });
  expect(plan.status).toBe(200);

  // Pool members, imported as the province does: they count this month in each unit and role.
  const members = [
    ...[970_101, 970_102, 970_103, 970_104, 970_105].map((n) => validFiling({ n, unit: '210100' })),
    validFiling({ n: 970_106, unit: '210100', role: 'director' }),
    ...[970_107, 970_108, 970_109].map((n) => validFiling({ n, unit: '210200', region: '210200' })),
  ];
  await importMembers(runtime, LIAONING, tokens.province, members);

  // The first Shenyang review began five days ago; the Dalian filing's workflow failed.
  const doc = createDocumentClient(
    new DynamoDBClient({
      endpoint: runtime.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const latest = await doc.send(
    new QueryCommand({
      TableName: runtime.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': `FILING#${ids[0]}`, ':p': 'EVENT#' },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const event = latest.Items?.[0];
  expect(event?.to).toBe('city_review');
  await doc.send(
    new UpdateCommand({
      TableName: runtime.tableName,
      Key: { pk: event?.pk, sk: event?.sk },
      UpdateExpression: 'SET #at = :at',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':at': new Date(Date.now() - 5 * DAY).toISOString() },
    }),
  );
  const failedAt = new Date().toISOString();
  await doc.send(
    new PutCommand({
      TableName: runtime.tableName,
      Item: {
        pk: `FILING#${ids[2]}`,
        sk: `FAILURE#${failedAt}`,
        type: 'WorkflowFailure',
        filingId: ids[2],
        at: failedAt,
        stage: 'city',
        error: 'States.TaskFailed',
        cause: 'seeded by the dashboard test',
      },
    }),
  );
});

afterEach(async () => {
  await pages.closeAll();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** Opens the dashboard, signs in there through the local authorize page, and waits for the numbers. */
async function dashboardAs(user: RegExp, size: Size = 'desktop'): Promise<Page> {
  const page = await pages.open(size);
  await openSignedOut(page, `${runtime.baseUrl}/staff/home.html`);
  await signInAs(page, user);
  await page.waitForURL((url) => url.pathname === '/staff/home.html' && !url.searchParams.has('code'));
  await page.locator('#waiting-tiles').waitFor();
  return page;
}

/** Axe at both sizes, no sideways scroll at 390 px, and the screenshots (console-home-NAME-WxH.png). */
const look = (page: Page, name: string) =>
  lookAt(page, `home-${name}`, async (size) => {
    // The charts redraw at the new width before the picture is taken.
    await page.waitForFunction(
      `[...document.querySelectorAll('.chart svg')].every((s) => Number(s.getAttribute('width')) <= ${SIZES[size].width})`,
    );
  });

async function dashboard(who: 'province' | 'city'): Promise<Dashboard> {
  const answer = await api.call<Dashboard>('GET', `/staff/programs/${LIAONING}/dashboard`, {
    headers: { authorization: `Bearer ${tokens[who]}` },
  });
  expect(answer.status).toBe(200);
  return answer.body;
}

const shown = (n: number | null) => (n === null ? '—' : new Intl.NumberFormat('zh-CN').format(n));
const WAITING_KEYS = [
  'pastReminder',
  'failed',
  'inBatch',
  'awaitingBatch',
  'cityReview',
  'escalated',
  'submitted',
  'changesRequested',
  'provinceReview',
  'returnsNotReceived',
] as const;

/** The tiles and each unit's row of the waiting table read the API's numbers. */
async function expectWaiting(page: Page, d: Dashboard): Promise<void> {
  for (const key of WAITING_KEYS) {
    expect(await page.locator(`[data-key="${key}"] .tile-number`).textContent(), key).toBe(
      shown(d.totals[key]),
    );
  }
  // Units with anything waiting are listed (a city's own unit always), the others counted below.
  const busy = d.units.filter((u) => d.scope === 'unit' || WAITING_KEYS.some((k) => (u.waiting[k] ?? 0) > 0));
  const waiting = page.getByRole('table', { name: '各单位待办' });
  expect(await waiting.locator('tbody tr').count()).toBe(busy.length + (d.scope === 'programme' ? 1 : 0));
  for (const unit of busy) {
    const cells = await waiting
      .getByRole('row', { name: new RegExp(`${unit.unit}`) })
      .locator('td')
      .allTextContents();
    expect(cells).toEqual([
      `${unit.name.zh}（${unit.unit}）`,
      ...WAITING_KEYS.map((k) => shown(unit.waiting[k])),
    ]);
  }
  const idle = d.units.length - busy.length;
  if (idle)
    expect(await page.locator('#idle-units').textContent()).toBe(`其余 ${idle} 个备案单位没有待办事项。`);
  else expect(await page.locator('#idle-units').count()).toBe(0);
}

/** Each unit's progress row, the roles and the trend read the API's numbers. */
async function expectProgress(page: Page, d: Dashboard): Promise<void> {
  const byUnit = page.getByRole('table', { name: '各备案单位' });
  for (const unit of d.units) {
    const cells = await byUnit
      .getByRole('row', { name: new RegExp(unit.unit) })
      .locator('td')
      .allTextContents();
    expect(cells.slice(0, 5)).toEqual([
      `${unit.name.zh}（${unit.unit}）`,
      shown(unit.members),
      shown(unit.planned),
      unit.planned === null ? '—' : shown(unit.plannedMembers),
      shown(unit.expectedNow),
    ]);
  }
  const roles = await page.getByRole('table', { name: '各岗位' }).locator('tbody tr').allTextContents();
  expect(roles).toEqual(d.roles.map((r) => `${r.name.zh}${shown(r.members)}${shown(r.planned)}`));
  const trend = await page.getByRole('table', { name: '月度趋势' }).locator('tbody tr').allTextContents();
  expect(trend).toEqual(d.trend.map((p) => `${p.month}${shown(p.members)}`));
  // One chart per view of the numbers, each an image with a summary.
  for (const chart of await page.locator('.chart svg').all()) {
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toContain('下表');
  }
}

describe('staff dashboard', { timeout: 240_000 }, () => {
  it('province: every unit’s work waiting and progress, as the API answers them, first in the navigation', async () => {
    const d = await dashboard('province');
    expect(d.scope).toBe('programme');
    const shenyang = d.units.find((u) => u.unit === '210100');
    const dalian = d.units.find((u) => u.unit === '210200');
    // The seeded facts, as the route counts them.
    expect(shenyang?.waiting).toMatchObject({ cityReview: 2, pastReminder: 1, failed: 0 });
    expect(dalian?.waiting).toMatchObject({ cityReview: 1, pastReminder: 0, failed: 1 });
    expect(shenyang?.planned).toBe(18);
    expect([shenyang?.members, dalian?.members]).toEqual([6, 3]);
    expect(shenyang?.roles.find((r) => r.role === 'director')?.members).toBe(1);
    expect(d.trend.at(-1)?.members).toBe(d.pool);
    expect(d.roles.find((r) => r.role === 'cso')?.planned).toBe(20);
    expect(d.target?.minPoolSize).toBe(800);

    const page = await dashboardAs(/首席标准官.*省级工作人员/);
    expect(await h1(page).textContent()).toBe('工作台');
    expect(await page.locator('nav.console-nav a').first().textContent()).toBe('工作台');
    expect(await page.locator('nav.console-nav a').first().getAttribute('aria-current')).toBe('page');
    await expectWaiting(page, d);
    await expectProgress(page, d);
    expect(await page.getByRole('table', { name: '人数目标' }).textContent()).toContain('800');
    expect(await page.locator('.chart svg').count()).toBe(3);
    // A count with a status filter links to the filings list so filtered.
    await page.locator('[data-key="cityReview"] a').click();
    await page.waitForURL((url) => url.pathname === '/staff/index.html');
    expect(new URL(page.url()).searchParams.get('status')).toBe('city_review');
    await page.getByText(filings[0]?.enterprise.name ?? '').waitFor();
    await page.goBack();
    await page.locator('#waiting-tiles').waitFor();
    await look(page, 'province');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await h1(page).textContent()).toBe('Dashboard');
    expect(await page.locator('[data-key="failed"] .tile-label').textContent()).toBe('Failed workflows');
    expect(await page.locator('.chart-figure figcaption').first().textContent()).toBe(
      'Members and yearly plan by unit',
    );
    await look(page, 'province-en');
    expect(cspErrors).toEqual([]);
  });

  it('a Shenyang officer sees only 210100, with the numbers the API gives the city', async () => {
    const d = await dashboard('city');
    expect(d.scope).toBe('unit');
    expect(d.units.map((u) => u.unit)).toEqual(['210100']);
    expect(d.target).toBeNull();
    expect(d.totals).toMatchObject({ cityReview: 2, pastReminder: 1, failed: 0 });
    expect(d.pool).toBe(6);
    expect(d.trend.at(-1)?.members).toBe(6);

    const page = await dashboardAs(/沈阳市（210100）/, 'phone');
    expect(await h1(page).textContent()).toBe('工作台');
    await expectWaiting(page, d);
    await expectProgress(page, d);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('沈阳市（210100）');
    expect(text).not.toContain('大连市');
    expect(text).not.toContain('210200');
    expect(await page.getByRole('table', { name: '人数目标' }).count()).toBe(0);
    // One unit: no per-unit chart, the roles and the trend only.
    expect(await page.locator('.chart svg').count()).toBe(2);
    await look(page, 'city');
    expect(cspErrors).toEqual([]);
  });
});
