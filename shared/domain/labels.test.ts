import { describe, expect, it } from 'vitest';
import {
  EMPLOYMENT,
  ENTERPRISE_CATEGORIES,
  ENTERPRISE_SIZES,
  ID_TYPES,
  INDUSTRY_SECTIONS,
  SEXES,
} from './filing.ts';
import { FIELD_OPTION_LABELS, industryLabel, labelOf, SEX_LABELS } from './labels.ts';
import { EDUCATION_LEVELS, TITLE_LEVELS } from './validation/ranks.ts';

describe('labels', () => {
  it.each([
    ['person.sex', SEXES],
    ['person.idType', ID_TYPES],
    ['person.education', EDUCATION_LEVELS],
    ['person.titleLevel', TITLE_LEVELS],
    ['person.employment', EMPLOYMENT],
    ['enterprise.size', ENTERPRISE_SIZES],
    ['enterprise.industry', INDUSTRY_SECTIONS],
    ['enterprise.categories', ENTERPRISE_CATEGORIES],
  ] as const)('label every value the schema allows at %s, in both languages', (path, values) => {
    const labels = FIELD_OPTION_LABELS[path] ?? {};
    expect(Object.keys(labels)).toEqual([...values]);
    for (const label of Object.values(labels)) {
      expect(label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(label.en).toMatch(/[A-Za-z]/);
    }
  });

  it('name the lowest education level as the ranks do', () => {
    expect(FIELD_OPTION_LABELS['person.education']?.secondary?.zh).toBe('中专/高中及以下');
  });

  it('put the section letter before an industry, and keep unknown values as they are', () => {
    expect(industryLabel('C')).toEqual({ zh: 'C 制造业', en: 'C Manufacturing' });
    expect(industryLabel('Z')).toEqual({ zh: 'Z', en: 'Z' });
    expect(labelOf(SEX_LABELS, 'female').zh).toBe('女');
    expect(labelOf(SEX_LABELS, 'x')).toEqual({ zh: 'x', en: 'x' });
  });
});
