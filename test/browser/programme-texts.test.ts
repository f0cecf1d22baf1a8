// The form follows the chosen programme's own texts: the filing form's official title (附件1 where the policy has
// annexes), the duties of the chosen role, and Anhui's words for the unit and the years fields.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

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

async function openForm(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    isMobile: true,
    hasTouch: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${runtime.baseUrl}/`);
  await page.locator('#f-program option[value="liaoning-cso"]').waitFor({ state: 'attached' });
  return page;
}

async function choose(page: Page, programId: string, role: string): Promise<void> {
  await page.locator('#f-program').selectOption(programId);
  await page.locator(`#f-role option[value="${role}"]`).waitFor({ state: 'attached' });
  await page.locator('#f-role').selectOption(role);
}

describe('the form in the programme’s own words', () => {
  it('shows Liaoning’s 附件1 title and the chosen role’s duties, and changes them with the role', async () => {
    const page = await openForm();
    await choose(page, 'liaoning-cso', 'cso');
    await expect
      .poll(() => page.locator('#form-document-title').textContent())
      .toBe('《首席标准官、标准总监、标准化专员信息备案表》（附件1）');
    const duties = page.locator('#f-role-desc .role-duties li');
    await expect.poll(() => duties.count()).toBe(12);
    expect(await duties.allTextContents()).toContain('推动关键核心技术标准化');
    await page.locator('#f-role').selectOption('specialist');
    await expect.poll(() => duties.count()).toBe(7);
    expect(await duties.allTextContents()).toContain('完成首席标准官和标准总监安排的其他标准化工作');
    expect(await page.locator('label[for="f-enterprise-reportingUnit"]').textContent()).toContain('所在市');
  });

  it('gives Anhui its title without an annex, its director’s duties and its field names', async () => {
    const page = await openForm();
    await choose(page, 'anhui-std-director', 'director');
    await expect
      .poll(() => page.locator('#form-document-title').textContent())
      .toBe('《企业标准总监信息备案表》');
    const duties = await page.locator('#f-role-desc .role-duties li').allTextContents();
    expect(duties).toContain('对企业内违反标准化工作要求的行为，有权制止');
    const labels = await page.locator('label.label').allTextContents();
    expect(labels.some((l) => l.startsWith('所在市、省直管县（市）'))).toBe(true);
    expect(labels.some((l) => l.startsWith('从事标准管理工作年限'))).toBe(true);
    expect(labels.some((l) => l.startsWith('从事标准化工作年限'))).toBe(false);
  });
});
