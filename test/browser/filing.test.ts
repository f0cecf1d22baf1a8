// The static filing site in Chromium against the real local runtime: a Liaoning CSO filed
// through the form with its two documents (PDFs uploaded straight to the local S3) up to its
// receipt and status page, the server's 422 shown on its field (a mislabelled document too),
// the client-side schema checks, the draft kept across a reload, the phone layout and the
// English switch.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FilingInput } from '#shared/domain/filing.ts';
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
    const answer = page.waitForResponse((r) => isFilingPost(r.url(), r.request().method()));
    await submitButton(page).click();
    const response = await answer;
    expect(response.status()).toBe(201);
    expect(response.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);
    const sent = response.request().postDataJSON() as FilingInput;
    expect(sent.consent).toMatchObject({ accepted: true, noticeVersion: '2027-01' });
    // The consent to publication is optional and not pre-ticked: left alone, it is not sent.
    expect(await page.locator('#f-consent-publication').isChecked()).toBe(false);
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
    expect(row[0]).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
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
    // one digit of the embedded organization code changed: both check characters now fail
    // (changing only the 18th character is accepted with a warning, as early codes do that)
    const uscc = filing.enterprise.uscc;
    filing.enterprise.uscc = `${uscc.slice(0, 12)}${uscc[12] === '0' ? '1' : '0'}${uscc.slice(13)}`;
    await fillFiling(page, filing);
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
