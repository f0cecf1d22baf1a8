// A city reviewer's journey in Chromium, on a phone: the link from the review_request mail
// opens a confirmation page (masked summary; opening it changes nothing), the reviewer
// approves from the form, sees the confirmation, the filing moves on to the province, and
// the same link afterwards says the matter is already handled.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, maskMobile } from '#shared/domain/masking.ts';
import { type ApiDriver, apiDriver } from '../e2e/driver.ts';
import { launchChromium } from '../support/browser.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

let runtime: Runtime;
let api: ApiDriver;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  runtime = await startRuntime();
  api = apiDriver(runtime);
  browser = await launchChromium();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** A fresh phone-sized browser profile. */
async function phone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  contexts.push(context);
  return context.newPage();
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const noHorizontalScroll = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

describe('the review link', () => {
  it('a city reviewer approves a Liaoning filing on a phone; the link then reads as already handled', async () => {
    const filing = validFiling({ n: 700_001 });
    const submitted = await api.submit('liaoning-cso', filing);
    expect(submitted.status).toBe(201);
    const { filingId, receiptToken } = submitted.body as { filingId: string; receiptToken: string };
    const statusOf = async () => String((await api.status(filingId, receiptToken)).body.status);
    const historyOf = async () =>
      ((await api.status(filingId, receiptToken)).body.history as { action: string }[]).map((h) => h.action);

    const mail = await api.waitForMail('review_request');
    const url = mail.links.find((l) => l.startsWith(`${runtime.baseUrl}/review/`)) ?? '';
    expect(url).toMatch(/\/review\/[\w-]{22,}$/);
    await api.settled();
    expect(await statusOf()).toBe('city_review');
    const historyBefore = await historyOf();

    // Opening the link shows the confirmation page, and changes nothing.
    const page = await phone();
    const opened = await page.goto(url);
    expect(opened?.status()).toBe(200);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('备案审核');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain(filingId);
    expect(body).toContain('张*');
    expect(body).toContain(filing.enterprise.name);
    expect(body).toContain(maskIdNumber(filing.person.idNumber));
    expect(body).toContain(maskMobile(filing.person.mobile));
    const html = await page.content();
    expect(html).not.toContain(filing.person.idNumber);
    expect(html).not.toContain(filing.person.mobile);
    expect(html).not.toContain(filing.person.name);
    expect(await noHorizontalScroll(page)).toBe(true);
    // The documents, each behind a short-lived link to the bucket that opens the file.
    const document = page.getByRole('link', { name: '聘任文件（PDF）' });
    const href = (await document.getAttribute('href')) ?? '';
    expect(href.startsWith(`${runtime.s3Endpoint}/`)).toBe(true);
    expect(new URL(href).searchParams.get('X-Amz-Expires')).toBe('300');
    const opened2 = await fetch(href);
    expect(opened2.status).toBe(200);
    expect(opened2.headers.get('content-type')).toBe('application/pdf');
    expect(await page.getByRole('link', { name: '企业意见（盖章）（PDF）' }).count()).toBe(1);
    await api.settled();
    expect(await statusOf()).toBe('city_review');
    expect(await historyOf()).toEqual(historyBefore);

    // The reviewer approves.
    const approve = page.getByLabel('通过，报送省局');
    expect(await approve.getAttribute('type')).toBe('radio');
    await approve.check();
    expect(await approve.isChecked()).toBe(true);
    const answer = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === new URL(url).pathname,
    );
    await page.getByRole('button', { name: '提交审核意见' }).click();
    expect((await answer).status()).toBe(200);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('已提交审核意见');
    expect(await page.locator('body').textContent()).toContain('通过，报送省局');
    await page.screenshot({ path: `${artifacts}review-390x844.png`, fullPage: true });
    expect(await noHorizontalScroll(page)).toBe(true);

    await eventually(
      async () => (await statusOf()) === 'province_review',
      'the filing to reach province_review',
    );
    expect(await historyOf()).toEqual([...historyBefore, 'approve']);

    // The same link again: already handled.
    const again = await phone();
    const reopened = await again.goto(url);
    expect(reopened?.status()).toBe(409);
    expect(await again.locator('body').textContent()).toContain('已处理');
    expect(await again.locator('form').count()).toBe(0);
    expect(await noHorizontalScroll(again)).toBe(true);
    expect(await statusOf()).toBe('province_review');
  });
});
