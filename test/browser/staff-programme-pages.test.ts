// The console's programme pages in Chromium against the real local runtime: the annual return
// and the 优秀评选 selection (returns.html), training batches and pass lists (training.html) and
// the yearly plans (plans.html). Seeded: four pool members imported (three Shenyang enterprises,
// one Dalian). The province opens the year's return in the page, one Shenyang enterprise answers
// from its mail (优秀, nominated), the province sees who answered and who did not, selects the
// nominee, and downloads the publishable list as XLSX (read back with exceljs); it sets a plan in
// the page and downloads the plan workbook. A Shenyang officer sees only 210100's returns, records
// its own training batch and uploads a pass list (row report), and is not offered the plans.
// Axe finds nothing serious on each page; screenshots at 1280×800 and 390×844.
import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getProgram } from '#shared/domain/programs/index.ts';
import { shanghaiDate } from '#shared/domain/time.ts';
import { passListTemplate } from '#shared/use-cases/imports/pass-list-sheet.ts';
import { type ApiDriver, apiDriver } from '../e2e/driver.ts';
import { launchChromium } from '../support/browser.ts';
import { idNumberFor, validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import {
  artifacts,
  consolePages,
  h1,
  importMembers,
  look,
  openSignedOut,
  type Size,
  signInAs,
  staffTokens,
} from '../support/staff-browser.ts';

const LIAONING = 'liaoning-cso';
const YEAR = shanghaiDate(new Date()).slice(0, 4);

let runtime: Runtime;
let api: ApiDriver;
let browser: Browser;
const pages = consolePages(() => browser, { acceptDownloads: true, watchCsp: true });
const { cspErrors } = pages;
const tokens: Record<'province' | 'city', string> = { province: '', city: '' };

const members = [
  validFiling({ n: 980_001, unit: '210100' }),
  validFiling({ n: 980_002, unit: '210100' }),
  validFiling({ n: 980_003, unit: '210100', role: 'director' }),
  validFiling({ n: 980_004, unit: '210200', region: '210200' }),
];
const nominee = members[0] as (typeof members)[number];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  runtime = await startRuntime();
  api = apiDriver(runtime);
  browser = await launchChromium();
  Object.assign(tokens, await staffTokens(runtime, LIAONING, 'programme'));
  // Pool members, imported as the province does: the annual return asks their enterprises.
  await importMembers(runtime, LIAONING, tokens.province, members);
  await api.settled();
});

afterEach(async () => {
  await pages.closeAll();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** Opens a console page, signs in there through the local authorize page, and waits for the page. */
async function consoleAs(user: RegExp, path: string, size: Size = 'desktop'): Promise<Page> {
  const page = await pages.open(size);
  await openSignedOut(page, `${runtime.baseUrl}/staff/${path}`);
  await signInAs(page, user);
  await page.waitForURL((url) => url.pathname === `/staff/${path}` && !url.searchParams.has('code'));
  await page.locator('nav.console-nav').waitFor();
  return page;
}

const PROVINCE = /首席标准官.*省级工作人员/;
const SHENYANG = /沈阳市（210100）/;

/** Every cell of every sheet of a downloaded workbook, as text. */
async function workbookText(file: Download): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync((await file.path()) ?? '') as unknown as ArrayBuffer);
  return workbook.worksheets
    .flatMap((sheet) => sheet.getSheetValues().flat())
    .map((v) => (v && typeof v === 'object' && 'richText' in v ? JSON.stringify(v) : String(v ?? '')))
    .join('|');
}

/** The navigation's link texts. */
const navLinks = (page: Page) => page.locator('nav.console-nav a').allTextContents();

// Each test walks three pages, each checked with axe at two sizes: minutes on a busy machine.
describe('staff console: annual returns, training, yearly plans', { timeout: 300_000 }, () => {
  it('province: opens the year’s return, sees who answered, selects the nominee and downloads the list; sets a plan; the training template', async () => {
    const page = await consoleAs(PROVINCE, 'returns.html');
    expect(await h1(page).textContent()).toBe('年度报告与优秀评选');
    expect(await navLinks(page)).toEqual([
      '工作台',
      '备案查询',
      '人才库',
      '年度报告',
      '培训',
      '年度计划',
      '导入',
      '目标进度',
      '审计记录',
    ]);
    await page.locator('#returns-not-started').waitFor();
    expect(await page.locator('#returns-not-started').textContent()).toBe(`${YEAR} 年度报告尚未启动。`);

    // Open the year in the page; the enterprises' mails go out.
    await page.getByRole('button', { name: `启动 ${YEAR} 年度报告` }).click();
    await page
      .locator('#start-status')
      .getByText(`${YEAR} 年度报告已启动，正在向企业发送填报链接。`)
      .waitFor();
    await page.locator('#returns-state').waitFor();
    // Once open, the year is not offered again.
    expect(await page.locator('#start-returns').count()).toBe(0);
    const mail = await api.waitForMail('return_request', (m) =>
      m.to.includes(nominee.enterprise.contactEmail ?? ''),
    );
    await api.settled();

    // The first Shenyang enterprise answers: its officer in post, 优秀, nominated.
    const link = mail.links[0] ?? '';
    const form = await api.call('GET', new URL(link).pathname);
    const id = /name="inpost_(F[0-9A-Z]{13})"/.exec(form.text)?.[1] ?? '';
    expect(id).not.toBe('');
    const sent = await api.decide(link, {
      [`inpost_${id}`]: 'yes',
      [`result_${id}`]: 'excellent',
      [`nominate_${id}`]: 'yes',
      [`reason_${id}`]: '主持企业标准体系建设成效显著',
    });
    expect(sent.status, sent.text.slice(0, 300)).toBe(200);
    await api.settled();

    // Per unit: who answered and who not, as the route answers it.
    await page.getByRole('button', { name: '显示' }).click();
    const units = page.getByRole('table', { name: '各单位年度报告情况' });
    await units.waitFor();
    const results = await api.call<{ units: { unit: string; answered: unknown[]; unanswered: unknown[] }[] }>(
      'GET',
      `/staff/programs/${LIAONING}/returns/${YEAR}`,
      { headers: { authorization: `Bearer ${tokens.province}` } },
    );
    expect(results.body.units.map((u) => u.unit).sort()).toEqual(['210100', '210200']);
    const shenyang = await units
      .getByRole('row', { name: /210100/ })
      .locator('td')
      .allTextContents();
    // unit, stage, deadline, enterprises, answered, not answered, members, removals, nominees, acknowledged
    expect([
      shenyang[0],
      shenyang[1],
      shenyang[3],
      shenyang[4],
      shenyang[5],
      shenyang[6],
      shenyang[8],
    ]).toEqual(['沈阳市（210100）', '企业填报中', '3', '1', '2', '3', '1']);
    await page.locator('details[data-unit="210100"] summary').click();
    const detail = page.locator('details[data-unit="210100"]');
    expect(await detail.getByRole('table', { name: '已报告的企业' }).textContent()).toContain(
      nominee.enterprise.name,
    );
    const waiting = (await detail.getByRole('table', { name: '未报告的企业（待跟进）' }).textContent()) ?? '';
    expect(waiting).toContain(members[1]?.enterprise.name);
    expect(waiting).toContain(members[2]?.enterprise.name);
    expect(waiting).not.toContain(nominee.enterprise.name);
    expect(await detail.getByRole('table', { name: '推荐优秀人员' }).textContent()).toContain(
      '主持企业标准体系建设成效显著',
    );

    // The selection: tick the nominee, save; the publishable list shows it, masked (no consent to publish).
    expect(await page.locator('#published').textContent()).toContain('尚未确定评选结果。');
    await page.getByRole('checkbox', { name: new RegExp(nominee.enterprise.name) }).check();
    await page.getByRole('button', { name: '保存评选结果' }).click();
    await page.locator('#selection-status').getByText('已保存：评选 1 人。').waitFor();
    const list = page.getByRole('table', { name: '评选结果公示名单' });
    await list.waitFor();
    expect(await list.locator('tbody tr').allTextContents()).toEqual([
      `张**否${nominee.enterprise.name}首席标准官沈阳市（210100）`,
    ]);
    const selection = await api.call<{ selected: string[] }>(
      'GET',
      `/staff/programs/${LIAONING}/returns/${YEAR}/nominees`,
      {
        headers: { authorization: `Bearer ${tokens.province}` },
      },
    );
    expect(JSON.stringify(selection.body)).toContain('"selected":true');
    const xlsx = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 XLSX' }).click();
    const file = await xlsx;
    expect(file.suggestedFilename()).toBe(`优秀评选-${LIAONING}-${YEAR}.xlsx`);
    const text = await workbookText(file);
    expect(text).toContain(nominee.enterprise.name);
    expect(text).toContain('张**');
    expect(text).not.toContain(nominee.person.name);
    await page.locator('#published-status').getByText('已下载').waitFor();
    await look(page, 'returns-province');

    // The yearly plans: set Shenyang's in the page, read back by the route; the workbook has it.
    await page.getByRole('link', { name: '年度计划' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/plans.html');
    await page.locator('#plans-form').waitFor();
    expect(await h1(page).textContent()).toBe('年度发展计划');
    expect(await page.locator('#plans-set-at').textContent()).toBe(`${YEAR} 年度尚未设定计划。`);
    await page.getByLabel('沈阳市（210100） 首席标准官人数').fill('12');
    await page.getByLabel('沈阳市（210100） 企业数').fill('20');
    await page.getByLabel('大连市（210200） 首席标准官人数').fill('-3');
    await page.getByRole('button', { name: `保存 ${YEAR} 年度计划` }).click();
    expect(await page.locator('#plans-save-status').textContent()).toContain('请填写非负整数或留空');
    await page.getByLabel('大连市（210200） 首席标准官人数').fill('8');
    await page.getByRole('button', { name: `保存 ${YEAR} 年度计划` }).click();
    await page.locator('#plans-save-status').getByText(`已保存 ${YEAR} 年度计划（2 个单位）。`).waitFor();
    const plan = await api.call<{ units: unknown[] }>('GET', `/staff/programs/${LIAONING}/plans/${YEAR}`, {
      headers: { authorization: `Bearer ${tokens.province}` },
    });
    expect(plan.body.units).toEqual([
      { unit: '210100', people: { cso: 12 }, enterprises: 20 },
      { unit: '210200', people: { cso: 8 } },
    ]);
    expect(await page.getByLabel('沈阳市（210100） 首席标准官人数').inputValue()).toBe('12');
    const workbook = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载计划表（XLSX）' }).click();
    const planBook = new ExcelJS.Workbook();
    await planBook.xlsx.load(readFileSync((await (await workbook).path()) ?? '') as unknown as ArrayBuffer);
    const planRows = (planBook.getWorksheet('年度发展计划')?.getSheetValues() ?? []) as unknown[][];
    const shenyangPlan = planRows.find((r) => Array.isArray(r) && r.includes('210100'));
    expect(shenyangPlan).toContain(12);
    expect(shenyangPlan).toContain(20);
    await look(page, 'plans-province');

    // Training: the province may record any organizer's batch; the template downloads.
    await page.getByRole('link', { name: '培训' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/training.html');
    await page.locator('#record-batch').waitFor();
    expect(await page.getByLabel('组织单位').locator('option').count()).toBe(
      1 + getProgram(LIAONING).reportingUnits.length,
    );
    // No batch yet: the upload says so instead of offering an empty choice (once the list is read).
    await page.locator('#no-batch').waitFor();
    expect(await page.locator('#no-batch').isVisible()).toBe(true);
    const template = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载合格名单模板' }).click();
    expect(await workbookText(await template)).toContain('培训合格证书编号');
    await look(page, 'training-province');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await h1(page).textContent()).toBe('Training batches and pass lists');
    expect(await navLinks(page)).toContain('Yearly plans');
    expect(cspErrors).toEqual([]);
  });

  it('a Shenyang officer: only 210100’s returns, records its batch and uploads a pass list with its row report, no plans', async () => {
    const page = await consoleAs(SHENYANG, 'training.html', 'phone');
    expect(await h1(page).textContent()).toBe('培训批次与合格名单');
    expect(await navLinks(page)).toEqual(['工作台', '备案查询', '人才库', '年度报告', '培训']);
    // The city records only its own bureau's batches.
    expect(await page.getByLabel('组织单位').locator('option').allTextContents()).toEqual([
      '沈阳市（210100）',
    ]);
    await page.getByRole('button', { name: '登记' }).click();
    expect(await page.locator('#record-status').textContent()).toBe('请填写 2–100 字的课程名称。');
    await page.getByLabel('课程名称').fill('沈阳市首席标准官培训班（浏览器测试）');
    await page.getByLabel('开始日期').fill('2026-06-01');
    await page.getByLabel('结束日期').fill('2026-06-03');
    await page.getByRole('button', { name: '登记' }).click();
    await page
      .locator('#record-status')
      .getByText(/已登记批次 \d{8}-/)
      .waitFor();
    const batches = page.getByRole('table', { name: '培训批次' });
    await batches.getByText('沈阳市首席标准官培训班（浏览器测试）').waitFor();

    // A pass list of two rows: one good, one with a wrong ID number.
    const good = idNumberFor(981_001).idNumber;
    const bad = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
    const book = await passListTemplate(getProgram(LIAONING), [
      { name: '王芳', idNumber: good, certificateNumber: 'SY-2026-0001' },
      { name: '李强', idNumber: bad, certificateNumber: 'SY-2026-0002' },
    ]);
    await page.getByLabel('XLSX 文件').setInputFiles({
      name: '合格名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(book),
    });
    await page.getByRole('button', { name: '上传并导入' }).click();
    await page.getByRole('heading', { name: '合格名单导入结果' }).waitFor();
    expect(await page.locator('#pass-totals').textContent()).toBe(
      '共 2 行：记录 1，已存在 0，拒绝 1，失败 0',
    );
    const rows = await page.getByRole('table', { name: '合格名单导入结果' }).locator('tbody tr').all();
    expect(rows).toHaveLength(2);
    expect(await rows[0]?.textContent()).toContain('已记录');
    expect(await rows[1]?.textContent()).toContain('拒绝');
    expect(await rows[1]?.textContent()).toContain('身份证号');
    expect(await page.locator('main').textContent()).not.toContain(good);
    // The list counts the batch's passes now.
    await batches
      .getByRole('row', { name: /浏览器测试/ })
      .getByText('1', { exact: true })
      .waitFor();
    await look(page, 'training-city');

    // The annual return: the city's own unit only, no start, no selection.
    await page.getByRole('link', { name: '年度报告' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/returns.html');
    await page.getByRole('table', { name: '各单位年度报告情况' }).waitFor();
    expect(await page.getByRole('table', { name: '各单位年度报告情况' }).locator('tbody tr').count()).toBe(1);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('沈阳市（210100）');
    expect(text).not.toContain('大连市');
    expect(text).not.toContain(members[3]?.enterprise.name);
    expect(await page.locator('#start-returns').count()).toBe(0);
    expect(await page.locator('#selection').count()).toBe(0);
    expect(await page.locator('#published').count()).toBe(0);
    // One unit: its details are open.
    expect(await page.locator('details[data-unit="210100"]').getAttribute('open')).not.toBeNull();
    await look(page, 'returns-city');

    // The plans are the province's and the auditors' (the city reads its own on the dashboard).
    await page.goto(`${runtime.baseUrl}/staff/plans.html`);
    await page.locator('nav.console-nav').waitFor();
    expect(await page.locator('main .notice.error').textContent()).toBe(
      '您的角色无权查看此页面或执行此操作。',
    );
    expect(cspErrors).toEqual([]);
  });
});
