// Ordered scales for program eligibility rules: education (GB/T 4658-2006, graduated) and professional title.

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

/** The levels' labels live with every other label the pages and exports show. */
export { EDUCATION_LABELS, TITLE_LABELS } from '../labels.ts';

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
