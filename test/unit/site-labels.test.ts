// The site, the exports and the mails read their option labels from one module: the same words for the same value.
import { describe, expect, it } from 'vitest';
import { toStoredFiling } from '#shared/data/filing-body-item.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { EDUCATION_LABELS, FIELD_OPTION_LABELS, industryLabel, TITLE_LABELS } from '#shared/domain/labels.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { citySummaryRows } from '#shared/use-cases/exports/summary-rows.ts';
import { provinceBatch } from '#shared/views/review-mails.ts';
import { validFiling } from '../support/fixtures.ts';

type Text = { zh: string; en: string };

// The site's modules set the page's language when they load: a bare document is enough here.
// They are typed by the site's own project (DOM types), so this one loads them by a computed path.
(globalThis as { document?: unknown }).document ??= { documentElement: {} };
const site = (name: string) => import(`../../site/src/${name}.ts`);
const { OPTION_LABELS } = (await site('i18n')) as { OPTION_LABELS: Record<string, Record<string, Text>> };

const program = getProgram('liaoning-cso');

describe('one home for labels', () => {
  it('gives the site’s option lists the shared labels', () => {
    for (const [path, labels] of Object.entries(FIELD_OPTION_LABELS)) {
      expect(OPTION_LABELS[path], path).toEqual(labels);
    }
    expect(OPTION_LABELS['person.education']?.secondary?.zh).toBe('中专/高中及以下');
  });

  it('writes the same words into the summary export and the province mail', () => {
    const input = validFiling({ n: 91 });
    input.person.education = 'secondary';
    input.person.titleLevel = 'assistant';
    input.person.titleName = undefined;
    input.enterprise.industry = 'I';
    const filing = toStoredFiling(parseFiling(input));
    const record = {
      filingId: 'F1',
      programId: program.id,
      createdAt: '2025-06-01T00:00:00.000Z',
      filing,
      warnings: [],
      state: 'province_review' as const,
      version: 3,
      lastEvent: {} as never,
    };
    const [row] = citySummaryRows(program, [record]);
    expect(row?.[4]).toBe(OPTION_LABELS['enterprise.industry']?.I?.zh);
    expect(row?.[4]).toBe(industryLabel('I').zh);
    expect(row?.[10]).toBe(OPTION_LABELS['person.education']?.secondary?.zh);
    expect(row?.[10]).toBe(EDUCATION_LABELS.secondary.zh);
    expect(row?.[11]).toBe(TITLE_LABELS.assistant.zh);
    const mail = provinceBatch(program, {
      batchId: 'B1',
      unit: filing.enterprise.reportingUnit,
      filings: [{ filingId: 'F1', filing }],
      batchUrl: 'https://example.cn/batch',
    });
    expect(mail.text).toContain(`学历：${EDUCATION_LABELS.secondary.zh}`);
    expect(mail.text).toContain(`所属行业：${industryLabel('I').zh}`);
  });
});
