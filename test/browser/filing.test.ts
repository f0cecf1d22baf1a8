// The static filing site in Chromium against the real local runtime: a Liaoning CSO filed
// through the form with its two documents (PDFs uploaded straight to the local S3) up to its
// receipt and status page, the server's 422 shown on its field (a mislabelled document too),
// the client-side schema checks, the draft kept across a reload, the phone layout and the
// English switch. On a phone (390×844): wrong check digits caught by the server's own
// validators before sending, an empty submit marking every required field, a birth month typed
// as 1980-05, the document chooser in the page's language, and the status page naming the city
// bureau with unambiguous dates; axe finds nothing serious or critical on these pages.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FilingInput } from '#shared/domain/filing.ts';
import { idCheckChar } from '#shared/domain/validation/id-number.ts';
import { apiDriver } from '../e2e/driver.ts';
import { samplePdf } from '../support/attachments.ts';
import { launchChromium } from '../support/browser.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DRAFT_KEY = 'sso.filing.draft.v1';

let runtime: Runtime;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  // The site alone: with the workflow on, a filing leaves `submitted` within moments (see review.test.ts).
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

/** A fresh browser profile (empty localStorage) on the site's form. */
async function openForm(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${runtime.baseUrl}/`);
  return page;
}

/** A form control by its label's text (the labels carry a * or （选填） after it). */
function field(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}\\s*(\\*|（选填）|\\(optional\\))?$`));
}

async function chooseProgram(page: Page, programId = 'liaoning-cso'): Promise<void> {
  await page.locator('#f-program option[value="liaoning-cso"]').waitFor({ state: 'attached' });
  await field(page, '备案项目').selectOption(programId);
  await page.locator('#f-role option[value="cso"]').waitFor({ state: 'attached' });
}

async function fillFiling(page: Page, filing: FilingInput): Promise<void> {
  const { person, enterprise } = filing;
  await chooseProgram(page);
  await field(page, '岗位').selectOption(filing.role);
  await field(page, '姓名').fill(person.name);
  await field(page, '性别').selectOption(person.sex);
  await field(page, '出生年月').fill(person.birthYearMonth);
  await field(page, '证件类型').selectOption(person.idType);
  await field(page, '证件号码').fill(person.idNumber);
  await field(page, '学历').selectOption(person.education);
  await field(page, '专业').fill(person.major);
  await field(page, '职称名称').fill(person.titleName ?? '');
  await field(page, '职称等级').selectOption(person.titleLevel);
  await field(page, '现任职务').fill(person.position);
  await field(page, '专职/兼职').selectOption(person.employment);
  await field(page, '从事标准化工作年限').fill(String(person.standardsWorkYears));
  await field(page, '聘任时间').fill(person.appointment.date);
  await field(page, '聘任文件编号').fill(person.appointment.documentNumber);
  await field(page, '培训课程').fill(person.training?.course ?? '');
  await field(page, '培训时间').fill(person.training?.date ?? '');
  await field(page, '培训组织单位').fill(person.training?.organizer ?? '');
  await field(page, '培训合格证书编号').fill(person.training?.certificateNumber ?? '');
  await field(page, '手机号码').fill(person.mobile);
  await field(page, '办公电话').fill(person.officePhone ?? '');
  await field(page, '电子邮箱').fill(person.email);
  await field(page, '主要标准化工作业绩').fill(person.achievements);
  await field(page, '企业名称').fill(enterprise.name);
  await field(page, '统一社会信用代码').fill(enterprise.uscc);
  await field(page, '所在市').selectOption(enterprise.reportingUnit);
  await field(page, '所属行业').selectOption(enterprise.industry);
  await field(page, '企业规模').selectOption(enterprise.size);
  for (const category of enterprise.categories) {
    await page.locator(`#f-enterprise-categories-${category}`).check();
  }
  await field(page, '企业联系人').fill(enterprise.contact.name);
  await field(page, '联系人电话').fill(enterprise.contact.phone);
  await field(page, '企业联系人电子邮箱').fill(enterprise.contactEmail);
  await attach(page, 'endorsement', '企业意见.pdf', samplePdf('endorsement'));
  await attach(page, 'appointment', '聘任文件.pdf', samplePdf('appointment'));
  await field(page, '我已阅读并同意上述个人信息处理告知书').check();
}

/** Chooses a file for a document and waits until the site has uploaded it. */
async function attach(
  page: Page,
  kind: string,
  name: string,
  bytes: Uint8Array,
  mimeType = 'application/pdf',
) {
  await page.locator(`#f-attachments-${kind}`).setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
  await page
    .locator(`#f-attachments-${kind}-status`)
    .filter({ hasText: `已上传：${name}` })
    .waitFor();
}

function submitButton(page: Page) {
  return page.getByRole('button', { name: '提交备案' });
}

// (the page's globals are not typed here: the root tsconfig has no DOM lib)
const activeId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id');

const isFilingPost = (url: string, method: string) =>
  method === 'POST' && /\/programs\/[^/]+\/filings$/.test(url);

describe('the filing site', () => {
  it('files a valid Liaoning CSO and shows the receipt, then the status with its history', async () => {
    const page = await openForm();
    const filing = validFiling({ n: 710_001 });
    await fillFiling(page, filing);
    // The consent to publication is optional and not pre-ticked: left alone, it is not sent.
    expect(await page.locator('#f-consent-publication').isChecked()).toBe(false);
    const answer = page.waitForResponse((r) => isFilingPost(r.url(), r.request().method()));
    await submitButton(page).click();
    const response = await answer;
    expect(response.status()).toBe(201);
    expect(response.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);
    const sent = response.request().postDataJSON() as FilingInput;
    expect(sent.consent).toMatchObject({ accepted: true, noticeVersion: '2027-01' });
    expect(sent.consent).not.toHaveProperty('publication');
    expect(sent.person.training?.certificateNumber).toBe(filing.person.training?.certificateNumber);
    // The documents went to the bucket first; the filing refers to them by key.
    expect(sent.attachments).toEqual([
      {
        kind: 'endorsement',
        key: expect.stringMatching(/^uploads\/liaoning-cso\/[0-9A-Z]{26}$/),
        contentType: 'application/pdf',
        filename: '企业意见.pdf',
      },
      {
        kind: 'appointment',
        key: expect.stringMatching(/^uploads\/liaoning-cso\/[0-9A-Z]{26}$/),
        contentType: 'application/pdf',
        filename: '聘任文件.pdf',
      },
    ]);

    await page.waitForURL(/\/receipt\.html#/);
    const url = new URL(page.url());
    expect(url.search).toBe(''); // the token travels in the fragment only
    expect(url.hash).toMatch(/^#f=F[0-9A-Z]{13}&r=[\w-]+$/);
    expect(await page.locator('h1').textContent()).toBe('备案回执');
    const filingId = (await page.locator('#filing-id').textContent())?.trim() ?? '';
    expect(filingId).toMatch(/^F[0-9A-Z]{13}$/);
    expect(await apiDriver(runtime).objectKeys(`filings/${filingId}/`)).toHaveLength(2);
    expect(await page.locator('#receipt-status').textContent()).toBe('已提交，待市局审核');
    // the draft is gone once the filing is in
    expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toBeNull();

    const statusLink = page.getByRole('link', { name: '查看审核进度' });
    expect(await statusLink.getAttribute('href')).toBe(
      `status.html#f=${filingId}&r=${url.hash.split('&r=')[1]}`,
    );
    await statusLink.click();
    await page.waitForURL(/\/status\.html#f=/);
    await page.locator('#status-label').waitFor();
    expect(await page.locator('#status-label').textContent()).toBe('已提交，待市局审核');
    const history = page.locator('#history tbody tr');
    expect(await history.count()).toBe(1);
    const row = await history.first().locator('td').allTextContents();
    expect(row[1]).toBe('提交备案');
    expect(row[2]).toBe('申报企业');
    expect(row[3]).toBe('已提交，待市局审核');
    expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const summary = await page.locator('#summary').textContent();
    expect(summary).toContain('张*');
    expect(summary).toContain('首席标准官');
    expect(summary).toContain('沈阳市');
    expect(summary).toContain(filing.enterprise.name);
    expect(summary).not.toContain(filing.person.idNumber);
    expect(summary).toContain(
      `${filing.person.idNumber.slice(0, 6)}********${filing.person.idNumber.slice(-4)}`,
    );

    // a wrong token reads as "not found"; the lookup form takes the right one
    const token = url.hash.split('&r=')[1] ?? '';
    await page.goto(`${runtime.baseUrl}/status.html#f=${filingId}&r=wrong-token`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('未找到该备案');
    await field(page, '查询凭证').fill(token);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('#status-label').waitFor();
    expect(await page.locator('#status-label').textContent()).toBe('已提交，待市局审核');
    expect(new URL(page.url()).hash).toBe(`#f=${filingId}&r=${token}`);
  });

  it('shows the warnings the reviewer will see on the receipt', async () => {
    const page = await openForm();
    const filing = validFiling({ n: 710_004 });
    // A pre-2016 Fujian code whose 18th character fails the check: accepted with a warning (elsewhere it is a typo)
    filing.enterprise.uscc = '91350203M0001QKT19';
    await fillFiling(page, filing);
    await submitButton(page).click();
    await page.waitForURL(/\/receipt\.html#/);
    await page.locator('#warnings').waitFor();
    const warnings = await page.locator('#warnings').textContent();
    expect(warnings).toContain('统一社会信用代码：该代码第18位校验码不符合GB 32100');
    // Registered in Xiamen, filed in Shenyang: the reviewer is told of that too.
    expect(warnings).toContain('区划码 350203');
    expect(await page.locator('#filing-id').textContent()).toMatch(/^F[0-9A-Z]{13}$/);
  });

  it('cannot file twice when the answer is lost and the applicant submits again', async () => {
    const page = await openForm();
    await fillFiling(page, validFiling({ n: 710_005 }));
    // the filing reaches the API, but the browser sees the connection drop
    let firstId: string | undefined;
    await page.route(
      /\/programs\/[^/]+\/filings$/,
      async (route) => {
        const response = await route.fetch();
        firstId = ((await response.json()) as { filingId?: string }).filingId;
        await route.abort('connectionreset');
      },
      { times: 1 },
    );
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(await page.locator('#error-summary').textContent()).toContain('网络连接失败');
    expect(firstId).toMatch(/^F[0-9A-Z]{13}$/);

    // the same Idempotency-Key and body: the same filing comes back, nothing new is created
    await submitButton(page).click();
    await page.waitForURL(/\/receipt\.html#/);
    expect(await page.locator('#filing-id').textContent()).toBe(firstId);
  });

  it('shows a conflict (the person already filed) in the error summary', async () => {
    const filing = validFiling({ n: 710_006 });
    const earlier = await apiDriver(runtime).submit('liaoning-cso', filing);
    expect(earlier.status).toBe(201);
    const page = await openForm();
    await fillFiling(page, filing);
    const answer = page.waitForResponse((r) => isFilingPost(r.url(), r.request().method()));
    await submitButton(page).click();
    expect((await answer).status()).toBe(409);
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(await activeId(page)).toBe('error-summary');
    expect(await page.locator('#error-summary h2').textContent()).toBe('提交未成功');
    expect(await page.locator('#error-summary').textContent()).toContain('该人员在本项目中已有有效备案');
  });

  it("shows the server's 422 for a bad credit-code check digit next to the field, with a focused summary", async () => {
    const page = await openForm();
    const filing = validFiling({ n: 710_002 });
    await fillFiling(page, filing);
    // The form itself refuses a wrong check digit (see below): the request is changed on its way,
    // so what is shown is the server's own answer. One digit of the embedded organization code
    // changed: both check characters fail (only the 18th is let through, with a warning, as early codes do).
    const uscc = filing.enterprise.uscc;
    const wrong = `${uscc.slice(0, 12)}${uscc[12] === '0' ? '1' : '0'}${uscc.slice(13)}`;
    await page.route(
      /\/programs\/[^/]+\/filings$/,
      (route) => route.continue({ postData: (route.request().postData() ?? '').replace(uscc, wrong) }),
      { times: 1 },
    );
    const answer = page.waitForResponse((r) => isFilingPost(r.url(), r.request().method()));
    await submitButton(page).click();
    expect((await answer).status()).toBe(422);

    const input = page.locator('#f-enterprise-uscc');
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const errorId = 'f-enterprise-uscc-error';
    expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
    expect(await page.locator(`#${errorId}`).textContent()).toContain('统一社会信用代码');
    expect(await page.locator('#f-person-name').getAttribute('aria-invalid')).toBe('false');
    // the summary has focus, announces itself and links to the field; keyboard reaches it
    expect(await activeId(page)).toBe('error-summary');
    expect(await page.locator('#error-summary').getAttribute('role')).toBe('alert');
    expect(await page.locator('#error-summary a').getAttribute('href')).toBe('#f-enterprise-uscc');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('href') ?? null")).toBe(
      '#f-enterprise-uscc',
    );
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('f-enterprise-uscc');
    expect(page.url()).toMatch(/\/(index\.html)?$/);
  });

  it('refuses a file that is not a PDF, JPEG or PNG before uploading, and shows a mislabelled one on its field', async () => {
    const page = await openForm();
    const uploads: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().startsWith(runtime.s3Endpoint)) uploads.push(r.url());
    });
    await fillFiling(page, validFiling({ n: 710_007 }));
    expect(uploads).toHaveLength(2);
    await page
      .locator('#f-attachments-appointment')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a document') });
    expect(await page.locator('#f-attachments-appointment-error').textContent()).toBe(
      '聘任文件：请选择 PDF、JPEG 或 PNG 文件',
    );
    expect(await page.locator('#f-attachments-appointment').getAttribute('aria-invalid')).toBe('true');
    expect(uploads).toHaveLength(2);

    // A file named .pdf whose content is not a PDF uploads, and the server refuses it on its field.
    await attach(page, 'appointment', 'scan.pdf', new TextEncoder().encode('GIF89a not really a pdf'));
    const answer = page.waitForResponse((r) => isFilingPost(r.url(), r.request().method()));
    await submitButton(page).click();
    expect((await answer).status()).toBe(422);
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(await page.locator('#f-attachments-appointment-error').textContent()).toBe(
      '附件：聘任文件的内容不是声明的 PDF 文件，请上传 PDF、JPEG 或 PNG 文件',
    );
    expect(await page.locator('#error-summary a').getAttribute('href')).toBe('#f-attachments-appointment');
    expect(await page.locator('#f-attachments-endorsement').getAttribute('aria-invalid')).toBe('false');
    await page
      .locator('#section-attachments-block')
      .screenshot({ path: `${artifacts}filing-attachments-error.png` });
  });

  it('checks the form against the served JSON Schema before sending anything', async () => {
    const page = await openForm();
    const posts: string[] = [];
    page.on('request', (r) => {
      if (isFilingPost(r.url(), r.method())) posts.push(r.url());
    });
    await chooseProgram(page);
    await field(page, '姓名').fill('张');
    await field(page, '电子邮箱').fill('not-an-email');
    await field(page, '手机号码').fill('+86 138 0000 1234');
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(posts).toEqual([]);
    expect(await page.locator('#f-person-name-error').textContent()).toBe('姓名：至少 2 个字符');
    expect(await page.locator('#f-person-email-error').textContent()).toBe(
      '电子邮箱：应为有效的电子邮箱地址',
    );
    expect(await page.locator('#f-role-error').textContent()).toBe('岗位：请选择');
    expect(await page.locator('#f-consent-accepted-error').textContent()).toContain('勾选同意');
    expect(await page.locator('#f-attachments-endorsement-error').textContent()).toBe(
      '企业意见（盖章）：请上传',
    );
    expect(await page.locator('#f-attachments-appointment-error').textContent()).toBe('聘任文件：请上传');
    // "+86" and spaces are stripped like the server does: the mobile passes
    expect(await page.locator('#f-person-mobile').getAttribute('aria-invalid')).toBe('false');
    expect(await page.locator('#f-person-mobile-error').textContent()).toBe('');
    // the optional office phone and training block are not required
    expect(await page.locator('#f-person-officePhone').getAttribute('aria-invalid')).toBe('false');
    expect(await page.locator('#f-person-training-course').getAttribute('aria-invalid')).toBe('false');
    // the program's rule for the training block is shown with it
    expect(await page.locator('#f-person-training-rules').textContent()).toContain('须经培训合格');
    const links = await page
      .locator('#error-summary a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toContain('#f-person-name');
    expect(links.indexOf('#f-role')).toBeLessThan(links.indexOf('#f-person-name'));

    // fixing a field clears its error
    await field(page, '姓名').fill('张伟');
    await field(page, '姓名').blur();
    expect(await page.locator('#f-person-name').getAttribute('aria-invalid')).toBe('false');
    expect(await page.locator('#error-summary a[href="#f-person-name"]').count()).toBe(0);
  });

  it('keeps a draft across a reload', async () => {
    const page = await openForm();
    const filing = validFiling({ n: 710_003 });
    await chooseProgram(page);
    await field(page, '岗位').selectOption('director');
    await field(page, '姓名').fill(filing.person.name);
    await field(page, '统一社会信用代码').fill(filing.enterprise.uscc);
    await field(page, '出生年月').fill(filing.person.birthYearMonth);
    await page.locator('#f-enterprise-categories-above_scale').check();
    await field(page, '主要标准化工作业绩').fill(filing.person.achievements);
    const count = await page.locator('#f-person-achievements-count').textContent();
    expect(count).toBe(`已输入 ${filing.person.achievements.length} / 2000 字`);
    await page.waitForFunction(([key, text]) => localStorage.getItem(key)?.includes(text) === true, [
      DRAFT_KEY,
      filing.person.achievements,
    ] as const);
    const keyBefore = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? '{}').idempotencyKey,
      DRAFT_KEY,
    );
    expect(keyBefore).toMatch(/^[0-9a-f-]{32,36}$/);

    await page.reload();
    await page.locator('#draft-note:not([hidden])').waitFor();
    expect(await field(page, '备案项目').inputValue()).toBe('liaoning-cso');
    expect(await field(page, '岗位').inputValue()).toBe('director');
    expect(await field(page, '姓名').inputValue()).toBe(filing.person.name);
    expect(await field(page, '统一社会信用代码').inputValue()).toBe(filing.enterprise.uscc);
    expect(await field(page, '出生年月').inputValue()).toBe(filing.person.birthYearMonth);
    expect(await page.locator('#f-enterprise-categories-above_scale').isChecked()).toBe(true);
    expect(await page.locator('#f-enterprise-categories-good_behavior').isChecked()).toBe(false);
    expect(await field(page, '主要标准化工作业绩').inputValue()).toBe(filing.person.achievements);
    const keyAfter = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? '{}').idempotencyKey,
      DRAFT_KEY,
    );
    expect(keyAfter).toBe(keyBefore); // a retry after reloading still cannot file twice
  });

  it('keeps the ID number, phone numbers and e-mail out of the draft, and says so next to them', async () => {
    const page = await openForm();
    const filing = validFiling({ n: 710_007 });
    const { person, enterprise } = filing;
    await chooseProgram(page);
    await field(page, '岗位').selectOption('cso');
    await field(page, '姓名').fill(person.name);
    await field(page, '证件号码').fill(person.idNumber);
    await field(page, '手机号码').fill(person.mobile);
    await field(page, '办公电话').fill(person.officePhone ?? '024-23456789');
    await field(page, '电子邮箱').fill(person.email);
    await field(page, '企业名称').fill(enterprise.name);
    await field(page, '统一社会信用代码').fill(enterprise.uscc);
    await field(page, '联系人电话').fill(enterprise.contact.phone);
    await field(page, '企业联系人电子邮箱').fill(enterprise.contactEmail);
    await field(page, '主要标准化工作业绩').fill(person.achievements);
    // The draft is written a moment after the typing stops.
    await page.waitForFunction(([key, text]) => localStorage.getItem(key)?.includes(text) === true, [
      DRAFT_KEY,
      person.achievements,
    ] as const);
    const stored = (await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)) ?? '';
    const values = (JSON.parse(stored) as { values: Record<string, unknown> }).values;
    for (const path of [
      'person.idNumber',
      'person.mobile',
      'person.officePhone',
      'person.email',
      'enterprise.contact.phone',
      'enterprise.contactEmail',
    ]) {
      expect(values, path).not.toHaveProperty([path]);
    }
    for (const secret of [
      person.idNumber,
      person.mobile,
      person.email,
      enterprise.contact.phone,
      enterprise.contactEmail,
    ]) {
      expect(stored).not.toContain(secret);
    }
    expect(values).toMatchObject({
      'person.name': person.name,
      'enterprise.name': enterprise.name,
      'enterprise.uscc': enterprise.uscc,
      'person.achievements': person.achievements,
    });

    // The note beside each such field, read out with it.
    const note = '为保护个人信息，此项不保存在草稿中，刷新页面后需重新填写。';
    for (const id of ['f-person-idNumber', 'f-person-mobile', 'f-person-officePhone', 'f-person-email']) {
      expect(await page.locator(`#${id}-not-in-draft`).textContent()).toBe(note);
      expect((await page.locator(`#${id}`).getAttribute('aria-describedby'))?.split(' ')).toContain(
        `${id}-not-in-draft`,
      );
    }
    expect(await page.locator('#f-person-name-not-in-draft').count()).toBe(0);

    await page.reload();
    await page.locator('#draft-note:not([hidden])').waitFor();
    expect(await field(page, '姓名').inputValue()).toBe(person.name);
    expect(await field(page, '统一社会信用代码').inputValue()).toBe(enterprise.uscc);
    expect(await field(page, '主要标准化工作业绩').inputValue()).toBe(person.achievements);
    expect(await field(page, '证件号码').inputValue()).toBe('');
    expect(await field(page, '手机号码').inputValue()).toBe('');
    expect(await field(page, '电子邮箱').inputValue()).toBe('');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await page.locator('#f-person-idNumber-not-in-draft').textContent()).toBe(
      'To protect your personal information, this is not kept in the draft: enter it again after reloading the page.',
    );

    // A draft written before these fields were left out loses them when the form opens.
    await page.evaluate(
      ([key, idNumber]) => {
        const draft = JSON.parse(localStorage.getItem(key) ?? '{}');
        draft.values['person.idNumber'] = idNumber;
        localStorage.setItem(key, JSON.stringify(draft));
      },
      [DRAFT_KEY, person.idNumber] as const,
    );
    await page.reload();
    await page.locator('#draft-note:not([hidden])').waitFor();
    expect(await field(page, 'ID number').inputValue()).toBe('');
    expect(await field(page, 'Name').inputValue()).toBe(person.name);
    expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).not.toContain(person.idNumber);
  });

  it('fits a phone screen without horizontal scrolling', async () => {
    const page = await openForm({ width: 390, height: 844 });
    await chooseProgram(page);
    const noHorizontalScroll = () =>
      page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
    expect(await noHorizontalScroll()).toBe(true);
    await page.screenshot({ path: `${artifacts}filing-form-390x844.png`, fullPage: true });
    // one column: the fields stack and span the width
    const name = await page.locator('#f-person-name').boundingBox();
    const sex = await page.locator('#f-person-sex').boundingBox();
    expect(name && sex && sex.y > name.y + name.height).toBe(true);
    expect(name && name.width > 300).toBe(true);
    // large touch targets
    const submit = await submitButton(page).boundingBox();
    expect(submit && submit.height >= 44).toBe(true);
    const box = await page.locator('#f-consent-accepted').boundingBox();
    expect(box && box.width >= 20).toBe(true);

    // still no horizontal scroll with the error summary and messages shown
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(await noHorizontalScroll()).toBe(true);
    await page.screenshot({ path: `${artifacts}filing-form-errors-390x844.png` });
  });

  it('switches the labels to English and back, and remembers the choice', async () => {
    const page = await openForm();
    await chooseProgram(page);
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(await page.locator('label[for="f-person-name"]').textContent()).toBe('姓名 *');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('label[for="f-person-name"]').textContent()).toBe('Name *');
    expect(await field(page, 'Unified social credit code').getAttribute('id')).toBe('f-enterprise-uscc');
    expect(await page.getByRole('button', { name: 'Submit the filing' }).count()).toBe(1);
    expect(await page.locator('#f-person-sex option[value="female"]').textContent()).toBe('Female');
    expect(await page.locator('#f-person-name-error').textContent()).toBe('Name: is required');
    expect(await page.locator('#f-person-training-rules').textContent()).toContain('passed the training');

    await page.reload();
    await page.locator('label[for="f-person-name"]').waitFor();
    expect(await page.locator('label[for="f-person-name"]').textContent()).toBe('Name *');
    await page.getByRole('button', { name: '切换到中文' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('label[for="f-person-name"]').textContent()).toBe('姓名 *');
  });
});

/** axe's serious and critical findings on the page as it is now, as "rule: targets". */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const PHONE = { width: 390, height: 844 };

/** The form's error for a field, and whether the field is marked and described by it. */
async function fieldError(page: Page, id: string) {
  const control = page.locator(`#${id}`);
  return {
    text: (await page.locator(`#${id}-error`).textContent()) ?? '',
    invalid: await control.getAttribute('aria-invalid'),
    describedBy: (await control.getAttribute('aria-describedby'))?.split(' ') ?? [],
  };
}

/** `2026-12-07 23:01`, Beijing time, for an instant. */
function beijing(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

describe('the filing site on a phone', () => {
  it('flags wrong check digits and a bad mobile with the server’s validators before sending', async () => {
    const page = await openForm(PHONE);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (isFilingPost(r.url(), r.method())) posts.push(r.url());
    });
    const filing = validFiling({ n: 710_101 });
    const id = filing.person.idNumber;
    const wrongId = `${id.slice(0, 17)}${idCheckChar(id.slice(0, 17)) === '0' ? '1' : '0'}`;
    const uscc = filing.enterprise.uscc;
    // the embedded organization code changed too: not one of the early codes let through with a warning
    const wrongUscc = `${uscc.slice(0, 12)}${uscc[12] === '0' ? '1' : '0'}${uscc.slice(13)}`;
    await fillFiling(page, {
      ...filing,
      person: { ...filing.person, idNumber: wrongId, mobile: '12345678901' },
      enterprise: { ...filing.enterprise, uscc: wrongUscc },
    });
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(posts).toEqual([]);

    const idError = await fieldError(page, 'f-person-idNumber');
    expect(idError.text).toBe('证件号码：身份证号码校验位不正确，请核对是否输错。');
    expect(idError.invalid).toBe('true');
    expect(idError.describedBy).toContain('f-person-idNumber-error');
    expect((await fieldError(page, 'f-enterprise-uscc')).text).toBe(
      '统一社会信用代码：统一社会信用代码校验码不正确，请核对是否输错。',
    );
    expect((await fieldError(page, 'f-person-mobile')).text).toBe(
      '手机号码：手机号码应为11位数字，以13–19开头（可带 +86）。',
    );
    // exactly these three: the rest of the filing is fine
    const listed = await page
      .locator('#error-summary a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(listed).toEqual(['#f-person-idNumber', '#f-person-mobile', '#f-enterprise-uscc']);
    expect(await activeId(page)).toBe('f-person-idNumber');
    await page.screenshot({ path: `${artifacts}form-check-digits-390x844.png` });

    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect((await fieldError(page, 'f-person-idNumber')).text).toBe(
      'ID number: The check character of the identity number is wrong; please check for a typing error.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '切换到中文' }).click();

    // corrected, it goes through
    await field(page, '证件号码').fill(id);
    await field(page, '手机号码').fill(filing.person.mobile);
    await field(page, '统一社会信用代码').fill(uscc);
    const answer = page.waitForResponse((r) => isFilingPost(r.url(), r.request().method()));
    await submitButton(page).click();
    expect((await answer).status()).toBe(201);
  });

  it('marks every required field at once on an empty submit, and focuses the first', async () => {
    const page = await openForm(PHONE);
    await page.locator('#f-program option[value="liaoning-cso"]').waitFor({ state: 'attached' });
    const posts: string[] = [];
    page.on('request', (r) => {
      if (isFilingPost(r.url(), r.method())) posts.push(r.url());
    });
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(posts).toEqual([]);

    const required = [
      'f-program',
      'f-role',
      'f-person-name',
      'f-person-sex',
      'f-person-birthYearMonth',
      'f-person-idType',
      'f-person-idNumber',
      'f-person-education',
      'f-person-major',
      'f-person-titleLevel',
      'f-person-position',
      'f-person-employment',
      'f-person-standardsWorkYears',
      'f-person-appointment-date',
      'f-person-appointment-documentNumber',
      'f-person-mobile',
      'f-person-email',
      'f-enterprise-name',
      'f-enterprise-uscc',
      'f-enterprise-reportingUnit',
      'f-enterprise-industry',
      'f-enterprise-size',
      'f-enterprise-contact-name',
      'f-enterprise-contact-phone',
      'f-enterprise-contactEmail',
      'f-consent-accepted',
    ];
    for (const id of required) {
      const error = await fieldError(page, id);
      expect(error.invalid, id).toBe('true');
      expect(error.describedBy, id).toContain(`${id}-error`);
      expect(error.text, id).toMatch(/：(必填|请选择)$|勾选同意/);
    }
    expect((await fieldError(page, 'f-person-name')).text).toBe('姓名：必填');
    expect((await fieldError(page, 'f-program')).text).toBe('备案项目：请选择');
    // the optional ones are left alone
    for (const id of ['f-person-titleName', 'f-person-officePhone', 'f-person-training-course']) {
      expect((await fieldError(page, id)).invalid, id).toBe('false');
    }
    expect(await page.locator('#error-summary li').count()).toBe(required.length);
    expect(await activeId(page)).toBe('f-program');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artifacts}form-empty-submit-390x844.png` });

    // In English, the same marks in the page's language.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect((await fieldError(page, 'f-person-name')).text).toBe('Name: is required');
    expect((await fieldError(page, 'f-program')).text).toBe('Programme: please choose one');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '切换到中文' }).click();

    // Choosing a programme clears its own mark; the served schema's check then marks the rest again.
    await chooseProgram(page);
    expect(await fieldError(page, 'f-program')).toMatchObject({ text: '', invalid: 'false' });
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    for (const id of required.slice(1)) expect((await fieldError(page, id)).invalid, id).toBe('true');
    expect(await activeId(page)).toBe('f-role');
    await page.screenshot({ path: `${artifacts}form-errors-390x844.png` });
  });

  it('takes a birth month typed as 1980-05 (or 198005), whatever the browser’s locale', async () => {
    const page = await openForm(PHONE);
    await chooseProgram(page);
    const month = field(page, '出生年月');
    expect(await month.getAttribute('type')).toBe('text');
    expect(await month.getAttribute('inputmode')).toBe('numeric');
    await month.pressSequentially('1980-05');
    expect(await month.inputValue()).toBe('1980-05');
    await submitButton(page).click();
    await page.locator('#error-summary:not([hidden])').waitFor();
    expect(await fieldError(page, 'f-person-birthYearMonth')).toMatchObject({ text: '', invalid: 'false' });

    // typed on a keypad without a hyphen: shown as it will be sent once the field is left
    await month.fill('');
    await month.pressSequentially('198005');
    await month.blur();
    expect(await month.inputValue()).toBe('1980-05');
    // a month that does not exist is refused with the format hint
    await month.fill('1980-13');
    await submitButton(page).click();
    expect((await fieldError(page, 'f-person-birthYearMonth')).text).toBe(
      '出生年月：应为“年-月”，如 1980-05',
    );

    // and a whole filing goes through with it (typed on a fresh form)
    const fresh = await openForm(PHONE);
    const filing = validFiling({ n: 710_102 });
    await fillFiling(fresh, { ...filing, person: { ...filing.person, birthYearMonth: '' } });
    await field(fresh, '出生年月').pressSequentially(filing.person.birthYearMonth);
    const answer = fresh.waitForResponse((r) => isFilingPost(r.url(), r.request().method()));
    await submitButton(fresh).click();
    const response = await answer;
    expect(response.status()).toBe(201);
    expect((response.request().postDataJSON() as FilingInput).person.birthYearMonth).toBe(
      filing.person.birthYearMonth,
    );
  });

  it('labels the document chooser in the page’s language, and it opens the file chooser', async () => {
    const page = await openForm(PHONE);
    await chooseProgram(page);
    const button = page.locator('#f-attachments-endorsement-button');
    const input = page.locator('#f-attachments-endorsement');
    expect(await button.textContent()).toBe('选择文件');
    expect(await page.locator('#f-attachments-endorsement-status').textContent()).toBe('未选择文件');
    await page
      .locator('#section-attachments-block')
      .screenshot({ path: `${artifacts}attachments-chooser-390x844.png` });
    // the native input (which would speak the browser's language) is not what the eye sees
    const box = await input.boundingBox();
    expect(box && box.width <= 1 && box.height <= 1).toBe(true);
    const buttonBox = await button.boundingBox();
    expect(buttonBox && buttonBox.height >= 44).toBe(true);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await button.textContent()).toBe('Choose a file');
    expect(await page.locator('#f-attachments-endorsement-status').textContent()).toBe('No file chosen');
    expect(await page.locator('label[for="f-attachments-appointment"].label').textContent()).not.toMatch(
      /（/,
    );

    // a tap on the label opens the chooser; the chosen file is uploaded
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
    expect(chooser.element()).toBeTruthy();
    await chooser.setFiles({
      name: 'endorsement.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(samplePdf('endorsement')),
    });
    await page
      .locator('#f-attachments-endorsement-status')
      .filter({ hasText: 'Uploaded: endorsement.pdf' })
      .waitFor();
    expect(await button.textContent()).toBe('Choose another file');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '切换到中文' }).click();
    expect(await button.textContent()).toBe('重新选择文件');
    // keyboard focus on the hidden input shows on its label
    await input.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await activeId(page)).toBe('f-attachments-endorsement');
    expect(
      await page.evaluate<string>(
        "getComputedStyle(document.getElementById('f-attachments-endorsement-button')).outlineStyle",
      ),
    ).toBe('solid');
  });

  it('names the city bureau on the status page, with YYYY-MM-DD HH:mm dates in both languages', async () => {
    const filing = validFiling({ n: 710_103 });
    const created = await apiDriver(runtime).submit('liaoning-cso', filing);
    expect(created.status).toBe(201);
    const { filingId, receiptToken } = created.body as unknown as { filingId: string; receiptToken: string };
    const page = await openForm(PHONE);
    await page.goto(
      `${runtime.baseUrl}/status.html#${new URLSearchParams({ f: filingId, r: receiptToken })}`,
    );
    await page.locator('#status-label').waitFor();

    expect(await page.locator('#summary-authority').textContent()).toBe('沈阳市市场监督管理局');
    const summary = (await page.locator('#summary').textContent()) ?? '';
    expect(summary).toContain('审核单位');
    expect(summary).not.toContain('市市场监管局');
    const status = await apiDriver(runtime).status(filingId, receiptToken);
    const submittedAt = (status.body as { submittedAt: string }).submittedAt;
    const times = () => page.locator('time').allTextContents();
    expect(await times()).toEqual([beijing(submittedAt), beijing(submittedAt)]);
    expect(await page.locator('time').first().getAttribute('datetime')).toBe(submittedAt);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${artifacts}status-390x844.png`, fullPage: true });

    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await page.locator('#summary-authority').textContent()).toBe(
      'Shenyang Administration for Market Regulation',
    );
    expect(await times()).toEqual([beijing(submittedAt), beijing(submittedAt)]);
    expect(await seriousViolations(page)).toEqual([]);
    // the top of the page as the phone shows it: the status, the date and the bureau
    await page.screenshot({ path: `${artifacts}status-en-390x844.png` });
  });
});
