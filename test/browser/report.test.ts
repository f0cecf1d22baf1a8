// The target-progress report's HTML page in Chromium, for Anhui with its enterprise coverage: no serious or critical
// axe finding, and on a 390 px phone the page itself does not scroll sideways (each table scrolls in its own
// focusable region). A screenshot goes to test/artifacts/report-anhui-390x844.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDelta } from '#shared/data/counter-item.ts';
import { fromCounterItem } from '#shared/data/counter-reader.ts';
import type { FilingState } from '#shared/domain/lifecycle.ts';
import { anhuiStdDirector } from '#shared/domain/programs/anhui-std-director.ts';
import { toHtml } from '#shared/use-cases/reports/render-html.ts';
import { computeTargetProgress } from '#shared/use-cases/reports/target-progress.ts';
import { launchChromium } from '../support/browser.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Counters of a few registrations in three units. */
function records() {
  const items = new Map<string, Record<string, unknown>>();
  const units = ['340100', '340100', '340200', '341882'];
  units.forEach((unit, i) => {
    const at = `2026-0${i + 1}-10T04:00:00Z`;
    const path: [FilingState | null, FilingState][] = [
      [null, 'submitted'],
      ['submitted', 'city_review'],
      ['city_review', 'registered'],
    ];
    for (const [from, to] of path) {
      const delta = counterDelta({ programId: anhuiStdDirector.id, unit, role: 'director', from, to, at });
      if (!delta) continue;
      const item = items.get(delta.key.sk) ?? { year: '2026', unit, role: 'director' };
      for (const [name, attr] of Object.entries(delta.ExpressionAttributeNames)) {
        if (name.startsWith('#a'))
          item[attr] =
            Number(item[attr] ?? 0) + Number(delta.ExpressionAttributeValues[`:v${name.slice(2)}`]);
      }
      items.set(delta.key.sk, item);
    }
  });
  return [...items.values()].map(fromCounterItem);
}

describe('the report page', () => {
  it('shows Anhui’s coverage, is axe-clean and fits a 390 px phone', async () => {
    const report = computeTargetProgress({
      program: anhuiStdDirector,
      records: records(),
      coverage: [
        { unit: '340100', cells: { above_emerging: 1, above_only: 1 } },
        { unit: '340200', cells: { neither: 1 } },
        { unit: '341882', cells: { emerging_only: 1 } },
      ],
      asOf: '2026-05-31',
      today: '2026-06-01',
      generatedAt: '2026-06-01T01:00:00.000Z',
    });
    const html = await toHtml(report);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      await page.setContent(html);
      const region = page.getByRole('region', { name: '企业覆盖 Enterprise coverage' });
      await expect.poll(() => region.count()).toBe(1);
      const hefei = region.locator('tr', { hasText: '合肥市' });
      expect(await hefei.locator('td').allTextContents()).toEqual([
        '合肥市',
        '340100',
        '2',
        '2',
        '—',
        '—',
        '1',
        '—',
        '—',
      ]);
      expect(await region.locator('tr', { hasText: '合计' }).locator('td').nth(2).textContent()).toBe('4');
      // The page does not scroll sideways; the wide table scrolls inside its region.
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
      expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      const axe = await new AxeBuilder({ page }).analyze();
      expect(
        axe.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}report-anhui-390x844.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
