// The enterprise on its phone, after inclusion: the status page (opened from the receipt's link)
// offers 人员变动 for a pool member; reporting that the person left the post asks for a date, a
// reason and a confirmation, and then shows the person out of the pool. The page is checked
// with axe in Chinese and in English, and looked at as a screenshot at 390 px.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiDriver, apiDriver } from '../e2e/driver.ts';
import { launchChromium } from '../support/browser.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Filed, intoPool, statusOf } from '../support/pool.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

let runtime: Runtime;
let api: ApiDriver;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  runtime = await startRuntime();
  api = apiDriver(runtime);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

async function phone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  return context.newPage();
}

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const noHorizontalScroll = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

describe('status page: changes after inclusion', () => {
  it('a pool member is reported as having left the post, on a phone', async () => {
    const res = await api.submit('liaoning-cso', validFiling({ n: 940_001, role: 'specialist' }));
    expect(res.status).toBe(201);
    const filed = res.body as unknown as Filed;
    await intoPool(api, filed);

    const page = await phone();
    await page.goto(
      `${runtime.baseUrl}/status.html#${new URLSearchParams({ f: filed.filingId, r: filed.receiptToken })}`,
    );
    const section = page.locator('#departure');
    await section.waitFor();
    expect(await page.locator('#status-label').textContent()).toContain('已纳入人才库');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('人员已离岗（退出人才库）').check();
    await page.getByLabel('离岗日期').fill('2026-11-30');
    await page.getByLabel('离岗原因').selectOption('retired');
    expect(await axeViolations(page)).toEqual([]);
    // Nothing is sent before the confirmation is ticked.
    await page.getByRole('button', { name: '提交报告' }).click();
    expect(await page.locator('#departure-error').textContent()).toContain('请先勾选确认');
    expect(await statusOf(api, filed)).toBe('in_pool');
    await page.screenshot({ path: `${artifacts}departure-390x844.png`, fullPage: true });
    expect(await noHorizontalScroll(page)).toBe(true);

    await page.getByLabel('我已了解上述后果，确认提交').check();
    const answer = page.waitForResponse((r) => r.url().endsWith(`/filings/${filed.filingId}/departure`));
    await page.getByRole('button', { name: '提交报告' }).click();
    expect((await answer).status()).toBe(200);
    await page.locator('#status-label', { hasText: '已退出人才库' }).waitFor();
    expect(await page.locator('#departure').count()).toBe(0);
    expect(await page.locator('#history').textContent()).toContain('退休');
    expect(await statusOf(api, filed)).toBe('removed');
    await page.screenshot({ path: `${artifacts}departure-done-390x844.png`, fullPage: true });

    // The English page reads the same way and is as accessible.
    await page.locator('#lang-toggle').click();
    expect(await page.locator('#status-label').textContent()).toContain('removed from the pool');
    expect(await axeViolations(page)).toEqual([]);
  });
});
