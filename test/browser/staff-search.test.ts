// The Filings page's search box in Chromium against the real local runtime: a Dalian officer
// finds a filing by the start of its enterprise's name and by its credit code, typed on a
// Chinese IME (full width); Shenyang's filing, whose name starts the same and whose code is
// typed in full, is never found from Dalian; the address keeps the search; the box reads in
// English on the switch. The page is checked with axe.
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiDriver, apiDriver } from '../e2e/driver.ts';
import { launchChromium } from '../support/browser.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

const LIAONING = 'liaoning-cso';
let runtime: Runtime;
let api: ApiDriver;
let browser: Browser;

const dalian = validFiling({ n: 970_001, unit: '210200', region: '210200' });
dalian.enterprise.name = '大连星海检索测试船舶有限公司';
const shenyang = validFiling({ n: 970_002, unit: '210100' });
shenyang.enterprise.name = '大连星海检索测试沈阳分公司';

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
  browser = await launchChromium();
  const a = await api.submit(LIAONING, dalian);
  const b = await api.submit(LIAONING, shenyang);
  expect([a.status, b.status]).toEqual([201, 201]);
  await api.settled();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

const rows = (page: Page) => page.locator('#results tbody tr, table tbody tr');

async function signedIn(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  await page.goto(`${runtime.baseUrl}/staff/`);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/_oidc/authorize');
  await page.getByRole('button', { name: /大连市（210200）/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/staff/') && !url.searchParams.has('code'));
  await page.locator('nav.console-nav').waitFor();
  return page;
}

async function find(page: Page, by: 'name' | 'creditCode', text: string): Promise<void> {
  await page.getByLabel('查找方式').selectOption(by);
  await page.getByLabel('查找内容').fill(text);
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((url) => url.searchParams.get(by) === text.trim());
  await page.getByRole('heading', { name: '查询结果' }).waitFor();
}

describe('filings search box', { timeout: 240_000 }, () => {
  it('finds by the start of a name and by a credit code, in the officer’s own unit only', async () => {
    const page = await signedIn();

    await find(page, 'name', '大连星海检索');
    await page.getByText(dalian.enterprise.name).waitFor();
    expect(await rows(page).count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain(shenyang.enterprise.name);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    // The credit code typed on a Chinese IME: full-width characters.
    const fullWidth = [...dalian.enterprise.uscc]
      .map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0))
      .join('');
    await find(page, 'creditCode', fullWidth);
    await page.getByText(dalian.enterprise.name).waitFor();
    expect(await rows(page).count()).toBe(1);

    // Shenyang's code, typed in full, finds nothing from Dalian.
    await find(page, 'creditCode', shenyang.enterprise.uscc);
    await page.getByText('没有符合条件的备案。').waitFor();

    // A return to the address lands on the same search.
    await page.reload();
    await page.getByText('没有符合条件的备案。').waitFor();
    expect(await page.getByLabel('查找内容').inputValue()).toBe(shenyang.enterprise.uscc);
    expect(await page.getByLabel('查找方式').inputValue()).toBe('creditCode');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByLabel('Find by').waitFor();
    expect(await page.getByLabel('Find by').locator('option').allTextContents()).toEqual([
      'Start of the enterprise name',
      'Start of the credit code',
    ]);
  });
});
