// Ordered scales for program eligibility rules: education (GB/T 4658-2006, graduated) and professional title.

import type { LocalizedMessage } from '../errors.ts';

/** Highest first. `secondary` covers 中专, 高中 and below. */
export const EDUCATION_LEVELS = ['doctorate', 'master', 'bachelor', 'associate', 'secondary'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

/** Highest first. 初级 (junior professional) spans `assistant` and `junior`. */
export const TITLE_LEVELS = [
  'senior',
  'associate_senior',
  'intermediate',
  'assistant',
  'junior',
  'none',
] as const;
export type TitleLevel = (typeof TITLE_LEVELS)[number];

export const EDUCATION_LABELS: Readonly<Record<EducationLevel, LocalizedMessage>> = {
  doctorate: { zh: '博士', en: 'Doctorate' },
  master: { zh: '硕士', en: "Master's degree" },
  bachelor: { zh: '本科', en: "Bachelor's degree" },
  associate: { zh: '大专', en: 'Associate degree (junior college)' },
  secondary: { zh: '中专/高中及以下', en: 'Secondary school or below' },
};

export const TITLE_LABELS: Readonly<Record<TitleLevel, LocalizedMessage>> = {
  senior: { zh: '正高级', en: 'Senior (full)' },
  associate_senior: { zh: '副高级', en: 'Associate senior' },
  intermediate: { zh: '中级', en: 'Intermediate' },
  assistant: { zh: '助理级', en: 'Assistant' },
  junior: { zh: '员级', en: 'Junior' },
  none: { zh: '无', en: 'None' },
};

// Narrows an untrusted string (stored record, request body) to an education level.
export function isEducationLevel(value: string): value is EducationLevel {
  return (EDUCATION_LEVELS as readonly string[]).includes(value);
}

// Narrows an untrusted string (stored record, request body) to a title level.
export function isTitleLevel(value: string): value is TitleLevel {
  return (TITLE_LEVELS as readonly string[]).includes(value);
}

// Whether an applicant's education meets a program's minimum requirement.
export function educationAtLeast(have: EducationLevel, min: EducationLevel): boolean {
  return EDUCATION_LEVELS.indexOf(have) <= EDUCATION_LEVELS.indexOf(min);
}

// Whether an applicant's professional title meets a program's minimum requirement.
export function titleAtLeast(have: TitleLevel, min: TitleLevel): boolean {
  return TITLE_LEVELS.indexOf(have) <= TITLE_LEVELS.indexOf(min);
}
