import { describe, expect, it } from 'vitest';
import {
  EDUCATION_LABELS,
  EDUCATION_LEVELS,
  educationAtLeast,
  isEducationLevel,
  isTitleLevel,
  TITLE_LABELS,
  TITLE_LEVELS,
  titleAtLeast,
} from './ranks.ts';

describe('education', () => {
  it('is ordered highest first', () => {
    expect(EDUCATION_LEVELS).toEqual(['doctorate', 'master', 'bachelor', 'associate', 'secondary']);
    expect(EDUCATION_LEVELS.map((l) => EDUCATION_LABELS[l].zh)).toEqual([
      '博士',
      '硕士',
      '本科',
      '大专',
      '中专/高中及以下',
    ]);
  });

  it('compares against a minimum', () => {
    expect(educationAtLeast('master', 'bachelor')).toBe(true);
    expect(educationAtLeast('bachelor', 'bachelor')).toBe(true);
    expect(educationAtLeast('associate', 'bachelor')).toBe(false);
    expect(educationAtLeast('doctorate', 'secondary')).toBe(true);
    expect(educationAtLeast('secondary', 'doctorate')).toBe(false);
  });

  it('is a total order consistent with the list', () => {
    EDUCATION_LEVELS.forEach((have, i) => {
      EDUCATION_LEVELS.forEach((min, j) => {
        expect(educationAtLeast(have, min)).toBe(i <= j);
      });
    });
  });

  it('narrows untrusted strings', () => {
    expect(isEducationLevel('master')).toBe(true);
    expect(isEducationLevel('硕士')).toBe(false);
  });
});

describe('titles', () => {
  it('is ordered highest first', () => {
    expect(TITLE_LEVELS).toEqual([
      'senior',
      'associate_senior',
      'intermediate',
      'assistant',
      'junior',
      'none',
    ]);
    expect(TITLE_LEVELS.map((l) => TITLE_LABELS[l].zh)).toEqual([
      '正高级',
      '副高级',
      '中级',
      '助理级',
      '员级',
      '无',
    ]);
  });

  it('compares against a minimum', () => {
    expect(titleAtLeast('senior', 'associate_senior')).toBe(true);
    expect(titleAtLeast('intermediate', 'intermediate')).toBe(true);
    expect(titleAtLeast('assistant', 'intermediate')).toBe(false);
    expect(titleAtLeast('none', 'junior')).toBe(false);
    expect(titleAtLeast('junior', 'none')).toBe(true);
  });

  it('is a total order consistent with the list', () => {
    TITLE_LEVELS.forEach((have, i) => {
      TITLE_LEVELS.forEach((min, j) => {
        expect(titleAtLeast(have, min)).toBe(i <= j);
      });
    });
  });

  it('narrows untrusted strings', () => {
    expect(isTitleLevel('associate_senior')).toBe(true);
    expect(isTitleLevel('副高级')).toBe(false);
  });

  it('labels every level in both languages', () => {
    for (const label of [...Object.values(TITLE_LABELS), ...Object.values(EDUCATION_LABELS)]) {
      expect(label.zh.length).toBeGreaterThan(0);
      expect(label.en.length).toBeGreaterThan(0);
    }
  });
});
