// What the staff console's browser tests share: pages at the two sizes the console is checked at
// (each in its own context, CSP refusals collected), the sign-in through the local authorize
// page, axe with the screenshots, and the seeding every programme test starts from (staff
// tokens, pool members imported as the province imports them).
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { importTemplate } from '#shared/use-cases/imports/import-sheet.ts';
import type { validFiling } from './fixtures.ts';
import type { Runtime } from './runtime.ts';

export const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

export type Size = 'desktop' | 'phone';
export const SIZES: Record<Size, { width: number; height: number }> = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

/**
 * Opens Chinese pages, each in a context of its own, closed together by `closeAll` after each
 * test. With `watchCsp`, a CSP refusal (an inline style or script, a console error) lands in
 * `cspErrors`, which the tests expect empty.
 */
export function consolePages(
  browser: () => Browser,
  options: { acceptDownloads?: boolean; watchCsp?: boolean } = {},
) {
  const contexts: BrowserContext[] = [];
  const cspErrors: string[] = [];
  return {
    cspErrors,
    async open(size: Size = 'desktop'): Promise<Page> {
      const context = await browser().newContext({
        viewport: SIZES[size],
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
        ...(size === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      contexts.push(context);
      const page = await context.newPage();
      if (options.watchCsp) {
        page.on('console', (message) => {
          if (message.type() === 'error' && /Content Security Policy|Trusted Type/i.test(message.text()))
            cspErrors.push(message.text());
        });
      }
      return page;
    },
    async closeAll(): Promise<void> {
      await Promise.all(contexts.splice(0).map((c) => c.close()));
    },
  };
}

export const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** Goes to a console address signed out: the console answers with its sign-in page. */
export async function openSignedOut(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await h1(page).waitFor();
  expect(await h1(page).textContent()).toBe('工作人员登录');
}

/**
 * Signs in from the page the browser is on: the console's button, then the test user on the
 * authorize page (`onAuthorize` runs there first). The caller waits for where it lands.
 */
export async function signInAs(
  page: Page,
  user: RegExp,
  onAuthorize?: (page: Page) => Promise<void>,
): Promise<void> {
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/_oidc/authorize');
  await onAuthorize?.(page);
  await page.getByRole('button', { name: user }).click();
}

/** Axe's serious and critical findings on the page, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Axe at both sizes, no sideways scroll at 390 px, and the screenshots
 * (artifacts/console-NAME-WxH.png); `settle` waits for the page to redraw at each size first.
 */
export async function look(page: Page, name: string, settle?: (size: Size) => Promise<void>): Promise<void> {
  for (const size of ['desktop', 'phone'] as const) {
    await page.setViewportSize(SIZES[size]);
    await settle?.(size);
    expect(await axeViolations(page), `${name} at ${size}`).toEqual([]);
    if (size === 'phone') {
      expect(
        await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'),
        `${name} scrolls sideways at 390 px`,
      ).toBe(true);
    }
    const { width, height } = SIZES[size];
    await page.screenshot({ path: `${artifacts}console-${name}-${width}x${height}.png`, fullPage: true });
  }
  await page.setViewportSize(SIZES.desktop);
}

/** A province token and a Shenyang (210100) city token for the programme, subjects `PREFIX-province` and `PREFIX-city`. */
export async function staffTokens(
  runtime: Runtime,
  programId: string,
  prefix: string,
): Promise<Record<'province' | 'city', string>> {
  const keys = staffKeyFile(runtime.localDir);
  const scopes: Record<'province' | 'city', StaffScope[]> = {
    province: [{ role: 'province', programId }],
    city: [{ role: 'city', programId, unit: '210100' }],
  };
  const tokens = { province: '', city: '' };
  for (const who of ['province', 'city'] as const) {
    tokens[who] = await issueStaffToken(keys, { scopes: scopes[who], subject: `${prefix}-${who}` });
  }
  return tokens;
}

/** Pool members imported as the province does (the import route with the programme's workbook), every one taken in. */
export async function importMembers(
  runtime: Runtime,
  programId: string,
  provinceToken: string,
  members: ReturnType<typeof validFiling>[],
): Promise<void> {
  const imported = await fetch(
    `${runtime.baseUrl}/staff/programs/${programId}/imports?fileName=members.xlsx`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provinceToken}`,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      body: new Uint8Array(await importTemplate(getProgram(programId), members)),
    },
  );
  expect(imported.status).toBe(200);
  const report = (await imported.json()) as { imported: number; warned: number };
  expect(report.imported + report.warned).toBe(members.length);
}
