// The filing form's strategic emerging industries: one checkbox group with a zh and en label
// for each of the nine categories the schema allows, and sent only when one is chosen.
import { describe, expect, it } from 'vitest';
import { EMERGING_INDUSTRIES } from '#shared/domain/filing.ts';

type Text = { zh: string; en: string };

// The site's modules set the page's language when they load: a bare document is enough here.
// They are typed by the site's own project (DOM types), so this one loads them by a computed path.
(globalThis as { document?: unknown }).document ??= { documentElement: {} };
const site = (name: string) => import(`../../site/src/${name}.ts`);
const { buildBody } = (await site('check')) as {
  buildBody: (raw: Record<string, unknown>, consent: unknown) => Record<string, unknown>;
};
const { SECTIONS } = (await site('fields')) as { SECTIONS: { fields: { path: string }[] }[] };
const { fieldLabel, OPTION_LABELS } = (await site('i18n')) as {
  fieldLabel: (path: string) => Text;
  OPTION_LABELS: Record<string, Record<string, Text>>;
};

const consent = { noticeVersion: '2027-01', acceptedAt: undefined };

describe('the form’s strategic emerging industries', () => {
  it('is an optional checkbox group with a label in both languages for each of the nine', () => {
    const field = SECTIONS.flatMap((s) => s.fields).find((f) => f.path === 'enterprise.emergingIndustries');
    expect(field).toMatchObject({ kind: 'checkboxes', optional: true });
    expect(fieldLabel('enterprise.emergingIndustries')).toEqual({
      zh: '战略性新兴产业类别',
      en: 'Strategic emerging industries',
    });
    const labels = OPTION_LABELS['enterprise.emergingIndustries'] ?? {};
    expect(Object.keys(labels)).toEqual([...EMERGING_INDUSTRIES]);
    for (const label of Object.values(labels)) {
      expect(label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(label.en).toMatch(/^[A-Z]/);
    }
    expect(labels.energy_saving?.zh).toBe('节能环保产业');
  });

  it('sends the chosen categories, and leaves the field out when none is chosen', () => {
    const chosen = buildBody({ 'enterprise.emergingIndustries': ['new_energy', 'biology'] }, consent);
    expect((chosen.enterprise as Record<string, unknown>).emergingIndustries).toEqual([
      'new_energy',
      'biology',
    ]);
    const none = buildBody({ 'enterprise.emergingIndustries': [] }, consent);
    expect(none.enterprise as Record<string, unknown>).not.toHaveProperty('emergingIndustries');
  });
});
