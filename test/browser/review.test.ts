// A city reviewer's journey in Chromium, on a phone: the link from the review_request mail
// opens a confirmation page (masked summary; opening it changes nothing), the reviewer
// approves from the form, sees the confirmation, the filing moves on to the province, and
// the same link afterwards says the matter is already handled. The review and batch pages
// show what a reviewer needs, readable at 390 px (labels above their values, 44 px targets)
// and without serious or critical axe findings.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maskEmail, maskIdNumber, maskMobile, maskPhone } from '#shared/domain/masking.ts';
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

/** Serious and critical axe findings on the page (WCAG 2 A/AA and best practice). */
async function seriousAxe(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** How many lines tall the label cell of `label` is (each 统一社会信用代码 cell on the page). */
const labelLines = (page: Page, label: string) =>
  page.evaluate<number[]>(`[...document.querySelectorAll('table.facts th')]
    .filter((th) => th.textContent === ${JSON.stringify(label)})
    .map((th) => {
      const cs = getComputedStyle(th);
      const inner = th.getBoundingClientRect().height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
      return Math.round((inner / parseFloat(cs.lineHeight)) * 100) / 100;
    })`);

/** Tap targets under 44 px tall: the choices, buttons, document links and the duties' summary. */
const smallTargets = (page: Page) =>
  page.evaluate<string[]>(`[...document.querySelectorAll('label.choice, button, .attachments a, summary')]
    .filter((el) => el.getBoundingClientRect().height < 44)
    .map((el) => el.tagName + ' ' + (el.textContent ?? '').trim().slice(0, 20) + ' ' + el.getBoundingClientRect().height)`);

/** Checks a page shows what a reviewer needs of `filing`, readable on the phone. */
async function expectReviewerFields(page: Page, filing: ReturnType<typeof validFiling>, shot: string) {
  const text = (await page.locator('body').textContent()) ?? '';
  const { person, enterprise } = filing;
  for (const shown of [
    '性别',
    person.birthYearMonth,
    '专业',
    person.major,
    maskEmail(person.email),
    '专职/兼职',
    '兼职',
    '培训课程',
    person.training?.course ?? '',
    person.training?.date ?? '',
    '培训组织单位',
    person.training?.organizer ?? '',
    '培训名单核验',
    '所属行业',
    '企业规模',
    '企业联系人',
    maskPhone(enterprise.contact.phone),
    enterprise.uscc,
  ]) {
    expect(text, shown).toContain(shown);
  }
  const html = await page.content();
  for (const secret of [person.email, person.mobile, person.idNumber, enterprise.contact.phone]) {
    expect(html).not.toContain(secret);
  }
  const lines = await labelLines(page, '统一社会信用代码');
  expect(lines.length).toBeGreaterThan(0);
  for (const n of lines) expect(n).toBeLessThanOrEqual(2);
  expect(await smallTargets(page)).toEqual([]);
  expect(await noHorizontalScroll(page)).toBe(true);
  expect(await seriousAxe(page)).toEqual([]);
  await page.screenshot({ path: `${artifacts}${shot}`, fullPage: true });
}

describe('what the reviewer reads, on a phone', () => {
  it('the review page and the province’s batch page show every field, labels above values, axe-clean', async () => {
    // A specialist without the usual education or title: the page carries a warning.
    const base = validFiling({ n: 700_101, unit: '210600', role: 'specialist' });
    const filing = {
      ...base,
      person: { ...base.person, education: 'secondary', titleLevel: 'none', titleName: undefined },
    } as typeof base;
    const submitted = await api.submit('liaoning-cso', filing);
    expect(submitted.status).toBe(201);
    const { filingId, receiptToken } = submitted.body as { filingId: string; receiptToken: string };
    const mail = await api.waitForMail('review_request', (m) => m.subject.includes('丹东'));
    const url = mail.links[0] ?? '';
    await api.settled();

    const page = await phone();
    expect((await page.goto(url))?.status()).toBe(200);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('body').textContent()).toContain(filingId);
    // Every warning, in the note above the facts.
    const note = (await page.getByRole('note').textContent()) ?? '';
    expect(note).toContain('提示事项');
    expect(note).toMatch(/学历|职称/);
    // The title's name and level never run together: without a name, the level alone.
    expect(await page.locator('tr', { hasText: '职称' }).first().locator('td').textContent()).toBe('无');
    await expectReviewerFields(page, filing, 'review-page-390x844.png');
    // The duties of the role stay.
    expect(await page.locator('details.duties summary').textContent()).toContain('标准化专员主要职责');

    // The city approves and sends its approved filings to the province at once.
    await page.getByLabel('通过，报送省局').check();
    await page.getByRole('button', { name: '提交审核意见' }).click();
    await page.getByRole('button', { name: '立即汇总报送省局' }).waitFor();
    await eventually(
      async () => (await api.status(filingId, receiptToken)).body.status === 'province_review',
      'the filing to reach province_review',
    );
    await api.settled();
    await page.getByRole('button', { name: '立即汇总报送省局' }).click();
    await page.getByRole('heading', { level: 1, name: '已报送省局' }).waitFor();

    const batchMail = await api.waitForMail('province_batch', (m) => m.subject.includes('丹东'));
    const batchPage = await phone();
    expect((await batchPage.goto(batchMail.links[0] ?? ''))?.status()).toBe(200);
    await batchPage.getByRole('heading', { level: 1 }).waitFor();
    expect(await batchPage.locator('body').textContent()).toContain(filingId);
    await expectReviewerFields(batchPage, filing, 'batch-page-390x844.png');
  });
});
