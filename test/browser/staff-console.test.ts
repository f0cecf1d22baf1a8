// The staff console in Chromium against the real local runtime: staff sign in through the
// local OpenID Connect provider's authorize page (authorization code with PKCE), a Shenyang
// city officer filters and opens a filing and unmasks the ID number with a reason (the province
// then sees that line in the filing's audit log), the province imports a small workbook and sees
// its row report, downloads 附件2 as XLSX (read back with exceljs) and removes a member with a
// reason, a Dalian officer sees none of Shenyang's filings, sign-out ends the session, and an
// expired token leads back to sign-in and then to the page the user was on. Every page is checked with axe and
// photographed at 1280×800 and 390×844.
import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { importTemplate } from '#shared/use-cases/imports/import-sheet.ts';
import { type ApiDriver, apiDriver } from '../e2e/driver.ts';
import { launchChromium } from '../support/browser.ts';
import { validFiling } from '../support/fixtures.ts';
import { eventually } from '../support/pool.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import {
  artifacts,
  signInAs as authorizeAs,
  axeViolations,
  consolePages,
  h1,
  look,
  openSignedOut,
  type Size,
} from '../support/staff-browser.ts';

const LIAONING = 'liaoning-cso';

let runtime: Runtime;
let api: ApiDriver;
let browser: Browser;
const pages = consolePages(() => browser, { acceptDownloads: true });

const shenyang = validFiling({ n: 960_001, unit: '210100' });
const dalian = validFiling({ n: 960_002, unit: '210200', region: '210200' });
let shenyangId = '';

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  runtime = await startRuntime();
  api = apiDriver(runtime);
  browser = await launchChromium();
  const a = await api.submit(LIAONING, shenyang);
  const b = await api.submit(LIAONING, dalian);
  expect([a.status, b.status]).toEqual([201, 201]);
  shenyangId = String(a.body.filingId);
  // The review starts on its own: the list is searched for filings under city review.
  const receipt = String(a.body.receiptToken);
  await eventually(
    async () => (await api.status(shenyangId, receipt)).body.status === 'city_review',
    'the Shenyang filing under city review',
  );
  await api.settled();
});

afterEach(async () => {
  await pages.closeAll();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** Signs in from the page the browser is on: the console's button, then the test user on the authorize page. */
async function signInAs(page: Page, user: RegExp): Promise<void> {
  await authorizeAs(page, user, async () => {
    expect(await axeViolations(page)).toEqual([]);
  });
  // Back through the callback (/staff/?code=…) to the page the sign-in started from.
  await page.waitForURL((url) => url.pathname.startsWith('/staff/') && !url.searchParams.has('code'));
  await page.locator('nav.console-nav').waitFor();
}

async function console_(user: RegExp, size: Size = 'desktop', path = '/staff/'): Promise<Page> {
  const page = await pages.open(size);
  await openSignedOut(page, `${runtime.baseUrl}${path}`);
  await signInAs(page, user);
  return page;
}

const CITY_SHENYANG = /沈阳市（210100）/;
const CITY_DALIAN = /大连市（210200）/;
const PROVINCE = /首席标准官.*省级工作人员/;

// Each test walks several pages, each checked with axe at two sizes: minutes on a busy machine.
describe('staff console', { timeout: 240_000 }, () => {
  it('a Shenyang officer signs in, filters, opens a filing and unmasks the ID number with a reason; the province sees the audit line', async () => {
    const page = await console_(CITY_SHENYANG);
    expect(await h1(page).textContent()).toBe('备案查询');
    await page.getByText(shenyang.enterprise.name).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(dalian.enterprise.name);
    // Tokens are in sessionStorage only, never in localStorage or the address.
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('accessToken');
    expect(await page.evaluate(() => sessionStorage.getItem('sso.staff.session'))).toContain('accessToken');
    expect(page.url()).not.toMatch(/code=|token/);

    // The city sees only its own unit; filter by status and role.
    expect(await page.getByLabel('备案单位').locator('option').count()).toBe(1);
    await page.getByLabel('状态').selectOption('city_review');
    await page.getByLabel('岗位').selectOption('cso');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'city_review');
    await page.getByText(shenyang.enterprise.name).waitFor();
    await look(page, 'filings');
    await page.getByLabel('状态').selectOption('in_pool');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('没有符合条件的备案。').waitFor();
    await page.getByLabel('状态').selectOption('city_review');
    await page.getByRole('button', { name: '查询' }).click();

    // The detail, masked.
    await page
      .getByRole('row', { name: new RegExp(shenyang.enterprise.name) })
      .getByRole('link')
      .click();
    await page.waitForURL((url) => url.pathname === '/staff/filing.html');
    await page.locator('#id-number').waitFor();
    expect(await page.locator('#id-number').textContent()).not.toBe(shenyang.person.idNumber);
    expect(await page.content()).not.toContain(shenyang.person.idNumber);
    expect(await page.locator('main').textContent()).toContain(shenyang.enterprise.uscc);
    expect(await page.getByRole('heading', { name: '办理记录与审核意见' }).count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('提交备案');
    await look(page, 'filing');

    // A reason too short is refused before anything is sent.
    await page.locator('#reveal-reason').fill('看');
    await page.getByRole('button', { name: '查看', exact: true }).click();
    expect(await page.locator('#reveal-status').textContent()).toContain('4–200');
    expect(await page.locator('#id-number').textContent()).not.toBe(shenyang.person.idNumber);
    const reason = '核对申报人身份证件（浏览器测试）';
    await page.locator('#reveal-reason').fill(reason);
    const revealed = page.waitForResponse(
      (r) => r.url().endsWith('/reveal') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '查看', exact: true }).click();
    expect((await revealed).status()).toBe(200);
    await page.getByText('已显示完整信息；此次查看已记入审计记录。').waitFor();
    expect(await page.locator('#id-number').textContent()).toBe(shenyang.person.idNumber);
    // The filing's audit log is the province's and the auditors' (the API refuses it to cities).
    expect(await page.locator('#audit table').count()).toBe(0);

    // The province opens the same filing and sees the line: who, what, why.
    const province = await console_(PROVINCE, 'desktop', `/staff/filing.html?id=${shenyangId}`);
    expect(new URL(province.url()).searchParams.get('id')).toBe(shenyangId);
    const line = province.locator('#audit tr', { hasText: reason });
    await line.waitFor();
    expect(await line.textContent()).toContain('reveal:idNumber');
    expect(await line.textContent()).toContain('local-city-liaoning-cso-210100');
  });

  it('province: imports a small workbook and sees the row report, downloads 附件2 as XLSX, reads progress and the audit log, removes a member with a reason', async () => {
    const page = await console_(PROVINCE);
    await page.getByRole('link', { name: '导入' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/import.html');
    await h1(page).waitFor();
    expect(await h1(page).textContent()).toBe('导入已有人才库成员');
    const template = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载导入模板' }).click();
    expect((await template).suggestedFilename()).toMatch(/\.xlsx$/);

    const rows = [960_101, 960_102].map((n) => validFiling({ n, unit: '210100' }));
    const book = Buffer.from(await importTemplate(getProgram(LIAONING), rows));
    await page.getByLabel('XLSX 文件').setInputFiles({
      name: '名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: book,
    });
    await page.getByRole('button', { name: '上传并导入' }).click();
    await page.getByRole('heading', { name: '导入结果' }).waitFor();
    const report = page.locator('#import-report');
    expect(await report.textContent()).toMatch(/共 2 行/);
    expect(await report.locator('tbody tr').count()).toBe(2);
    expect(await report.textContent()).not.toContain(rows[0]?.person.idNumber);
    await look(page, 'import');

    await page.getByRole('link', { name: '人才库' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/pool.html');
    await page.getByText(rows[0]?.enterprise.name ?? '').waitFor();
    await look(page, 'pool');
    await page.locator('#export-unit').selectOption('210100');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await file.path()) ?? '') as unknown as ArrayBuffer);
    const text = workbook.worksheets
      .flatMap((sheet) => sheet.getSheetValues().flat())
      .map((v) => (v && typeof v === 'object' && 'richText' in v ? JSON.stringify(v) : String(v ?? '')))
      .join('|');
    for (const row of rows) expect(text).toContain(row.enterprise.name);
    expect(text).not.toContain(rows[0]?.person.idNumber);
    await page.locator('#export-status').getByText('已下载').waitFor();

    // Target progress and the unit audit log, as numbers and lines.
    await page.getByRole('link', { name: '目标进度' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/dashboard.html');
    await page.getByRole('heading', { name: '各备案单位' }).waitFor();
    expect(await page.locator('#report').textContent()).toContain('沈阳市（210100）');
    await look(page, 'dashboard');
    await page.getByRole('link', { name: '审计记录' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/audit.html');
    await page.locator('#unit-audit table').waitFor();
    expect(await page.locator('#unit-audit').textContent()).toContain('export');
    await look(page, 'audit');

    // Removal from the pool, with a reason, on the member's page.
    await page.getByRole('link', { name: '人才库' }).click();
    await page
      .getByRole('row', { name: new RegExp(rows[1]?.enterprise.name ?? '') })
      .getByRole('link')
      .click();
    await page.waitForURL((url) => url.pathname === '/staff/filing.html');
    await page.locator('#remove-reason').fill('企业报告该人员已离岗（浏览器测试）');
    const removed = page.waitForResponse(
      (r) => r.url().endsWith('/remove') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '确认移出' }).click();
    expect((await removed).status()).toBe(200);
    await page.locator('#remove-status').getByText('已移出人才库。').waitFor();
    await page.reload();
    await page.locator('#audit table').waitFor();
    expect(await page.locator('main').textContent()).toContain('已退出人才库');
    expect(await page.locator('#remove').count()).toBe(0);
  });

  it('a Dalian officer sees none of Shenyang’s filings, not even by its address', async () => {
    const page = await console_(CITY_DALIAN);
    await page.getByText(dalian.enterprise.name).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(shenyang.enterprise.name);
    await page.goto(`${runtime.baseUrl}/staff/filing.html?id=${shenyangId}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('无权');
    expect(await page.locator('main').textContent()).not.toContain(shenyang.enterprise.name);
    // Pages of other roles are not offered, and say so when opened.
    expect(await page.getByRole('link', { name: '导入' }).count()).toBe(0);
    await page.goto(`${runtime.baseUrl}/staff/import.html`);
    await page.getByText('您的角色无权查看此页面或执行此操作。').waitFor();
  });

  it('signs out: the session is gone and the console asks for sign-in again', async () => {
    const page = await console_(CITY_SHENYANG, 'phone');
    await look(page, 'filings-city');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('已退出登录。').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('sso.staff.session'))).toBeNull();
    await look(page, 'signed-out');
    await page.goto(`${runtime.baseUrl}/staff/pool.html`);
    await page.getByText('请先登录。').waitFor();
    expect(await page.locator('nav.console-nav').count()).toBe(0);
  });

  it('an expired token leads back to sign-in, and then to the page the user was on', async () => {
    const page = await console_(CITY_SHENYANG);
    const expired = await issueStaffToken(staffKeyFile(runtime.localDir), {
      scopes: [{ role: 'city', programId: LIAONING, unit: '210100' }],
      subject: 'local-city-liaoning-cso-210100',
      expiresIn: '-1m',
    });
    // The browser still believes in its session; the API does not.
    await page.evaluate((token) => {
      const session = JSON.parse(sessionStorage.getItem('sso.staff.session') ?? '{}');
      sessionStorage.setItem('sso.staff.session', JSON.stringify({ ...session, accessToken: token }));
    }, expired);
    const path = `/staff/filing.html?id=${shenyangId}`;
    await page.goto(`${runtime.baseUrl}${path}`);
    await page.getByText('登录已过期').waitFor();
    expect(await h1(page).textContent()).toBe('工作人员登录');
    await signInAs(page, CITY_SHENYANG);
    expect(`${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe(path);
    await page.locator('#id-number').waitFor();
    expect(await page.locator('main').textContent()).toContain(shenyang.enterprise.name);
  });

  it('shows the console in English on the switch', async () => {
    const page = await console_(PROVINCE, 'phone');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await h1(page).textContent()).toBe('Filings');
    expect(await page.getByRole('link', { name: 'Import' }).count()).toBe(1);
    await look(page, 'filings-en');
  });
});
