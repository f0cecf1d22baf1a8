// The API reference on the local runtime: Swagger UI, served by the docs asset route, runs under
// the page's own policy (scripts of this origin only) and lists every route of the route table,
// each with its own errors. A screenshot goes to test/artifacts/docs.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#shared/http/routes.ts';
import { launchChromium } from '../support/browser.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

/** Loading and starting the renderer (1.8 MB of script) takes seconds on a busy machine. */
const RENDERED = { timeout: 30_000 };
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

let runtime: Runtime;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  runtime = await startRuntime({ LOCAL_WORKFLOWS: 'off' });
  browser = await launchChromium();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

interface Opened {
  page: Page;
  /** Console errors and warnings (a CSP violation is reported as a console error). */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
  /** Answers of 400 and above, but the favicon the browser asks for on its own. */
  failed: string[];
}

async function openDocs(viewport = { width: 1280, height: 900 }): Promise<Opened> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  const failed: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    const text = m.text();
    // The chain's Permissions-Policy names features this Chromium does not know (not the page's doing);
    // a failed load is checked by its answer below.
    if (/^Error with Permissions-Policy header|^Failed to load resource/.test(text)) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${text}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
      failed.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const answer = await page.goto(`${runtime.baseUrl}/docs`);
  expect(answer?.status()).toBe(200);
  return { page, problems, requests, failed };
}

describe('the API reference', () => {
  it('renders every route with Swagger UI under the page policy, with no violation, and is photographed', async () => {
    const { page, problems, requests, failed } = await openDocs();
    const operations = page.locator('.opblock');
    await expect.poll(() => operations.count(), RENDERED).toBe(ROUTES.length);
    const paths = await page
      .locator('.opblock-summary-path')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-path') ?? n.textContent?.trim() ?? ''));
    expect(new Set(paths)).toEqual(new Set(ROUTES.map((r) => r.path)));
    expect(await page.locator('.info .title').textContent()).toContain('Standards-officer programmes API');

    // One operation opened: its own error codes and its example.
    const submit = page.locator('#operations-filings-submitFiling');
    await submit.locator('.opblock-summary-control').click();
    const responses = submit.locator('.responses-table').first();
    await expect.poll(() => responses.locator('tr.response').count()).toBeGreaterThan(3);
    expect(await responses.textContent()).toContain('duplicate_person');
    await expect
      .poll(() => submit.locator('.example, .highlight-code, .microlight').count())
      .toBeGreaterThan(0);

    // The request body's schema tab too (the FilingInput model), still without a violation.
    await submit.locator('button[data-name="model"]').first().click();
    await expect
      .poll(() => submit.locator('.model-box .json-schema-2020-12-property').count(), RENDERED)
      .toBeGreaterThan(3);

    // Every request went to this origin: the renderer, its styles, the document.
    const origin = new URL(runtime.baseUrl).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    for (const asset of ['swagger-ui.js', 'swagger-ui.css', 'init.js', 'docs.css']) {
      expect(requests).toContain(`${origin}/docs/assets/${asset}`);
    }
    expect(requests).toContain(`${origin}/openapi.json`);
    expect(failed).toEqual([]);
    expect(problems).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${ARTIFACTS}docs.png` });
    // The submit route's own answers, its 409 with duplicate_person among them.
    await responses.screenshot({ path: `${ARTIFACTS}docs-submit-responses.png` });
  });

  it('refuses an inline script a page could carry: the policy is in force', async () => {
    const { page } = await openDocs();
    await expect.poll(() => page.locator('.opblock').count(), RENDERED).toBe(ROUTES.length);
    // Listens for violations, then adds an inline script as an injected one would be.
    await page.evaluate(`(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    })()`);
    await expect.poll(() => page.evaluate<string[]>('window.__violations')).toContain('script-src-elem');
    expect(await page.evaluate<boolean | undefined>('window.__inlineRan')).toBe(undefined);
  });

  it('is usable at 390 px: the routes are listed without a horizontal scroll of the page, and axe finds nothing serious', async () => {
    const { page, problems } = await openDocs({ width: 390, height: 844 });
    await expect.poll(() => page.locator('.opblock').count(), RENDERED).toBe(ROUTES.length);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });
});
