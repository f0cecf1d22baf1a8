// The layout of the filing form: its sections and every field of the filing, by its path in
// the request body (the same paths the API reports errors on).
import type { UiKey } from './i18n.ts';

export type FieldKind =
  | 'text'
  | 'select'
  /** A year and month typed as text (YYYY-MM): a month input's picker and format follow the browser's locale. */
  | 'yearMonth'
  | 'date'
  | 'number'
  | 'tel'
  | 'email'
  | 'textarea'
  | 'checkboxes';

export interface FieldDef {
  path: string;
  kind: FieldKind;
  /** May be left empty (then it is left out of the body). */
  optional?: boolean;
  hint?: UiKey;
  autocomplete?: string;
  inputmode?: string;
  /** A code typed in capitals (credit code, ID number). */
  code?: boolean;
  /** Spans the whole row on wide screens. */
  wide?: boolean;
}

export interface SectionDef {
  id: string;
  title: UiKey;
  /** The sub-object this section fills, when the API may report errors on it as a whole. */
  block?: string;
  help?: UiKey;
  fields: FieldDef[];
}

export const SECTIONS: SectionDef[] = [
  {
    id: 'person',
    title: 'sectionPerson',
    fields: [
      { path: 'person.name', kind: 'text', autocomplete: 'name' },
      { path: 'person.sex', kind: 'select' },
      { path: 'person.birthYearMonth', kind: 'yearMonth', inputmode: 'numeric', hint: 'hintYearMonth' },
      { path: 'person.idType', kind: 'select' },
      { path: 'person.idNumber', kind: 'text', code: true, autocomplete: 'off', hint: 'hintIdNumber' },
      { path: 'person.education', kind: 'select' },
      { path: 'person.major', kind: 'text' },
      { path: 'person.titleName', kind: 'text', optional: true },
      { path: 'person.titleLevel', kind: 'select' },
      { path: 'person.position', kind: 'text', autocomplete: 'organization-title' },
      { path: 'person.employment', kind: 'select' },
      { path: 'person.standardsWorkYears', kind: 'number', inputmode: 'decimal' },
    ],
  },
  {
    id: 'appointment',
    title: 'sectionAppointment',
    block: 'person.appointment',
    fields: [
      { path: 'person.appointment.date', kind: 'date', hint: 'hintDate' },
      { path: 'person.appointment.documentNumber', kind: 'text' },
    ],
  },
  {
    id: 'training',
    title: 'sectionTraining',
    block: 'person.training',
    help: 'trainingHelp',
    fields: [
      { path: 'person.training.course', kind: 'text', optional: true, wide: true },
      { path: 'person.training.date', kind: 'date', optional: true, hint: 'hintDate' },
      { path: 'person.training.organizer', kind: 'text', optional: true },
      { path: 'person.training.certificateNumber', kind: 'text', optional: true },
    ],
  },
  {
    id: 'contact',
    title: 'sectionContact',
    fields: [
      { path: 'person.mobile', kind: 'tel', autocomplete: 'tel', inputmode: 'tel', hint: 'hintMobile' },
      {
        path: 'person.officePhone',
        kind: 'tel',
        optional: true,
        autocomplete: 'work tel',
        inputmode: 'tel',
        hint: 'hintOfficePhone',
      },
      { path: 'person.email', kind: 'email', autocomplete: 'email', inputmode: 'email', wide: true },
      { path: 'person.achievements', kind: 'textarea', optional: true, wide: true },
    ],
  },
  {
    id: 'enterprise',
    title: 'sectionEnterprise',
    fields: [
      { path: 'enterprise.name', kind: 'text', autocomplete: 'organization', wide: true },
      { path: 'enterprise.uscc', kind: 'text', code: true, autocomplete: 'off', hint: 'hintUscc' },
      { path: 'enterprise.reportingUnit', kind: 'select' },
      { path: 'enterprise.industry', kind: 'select' },
      { path: 'enterprise.size', kind: 'select' },
      { path: 'enterprise.categories', kind: 'checkboxes', optional: true, wide: true },
      { path: 'enterprise.emergingIndustries', kind: 'checkboxes', optional: true, wide: true },
      { path: 'enterprise.contact.name', kind: 'text' },
      {
        path: 'enterprise.contact.phone',
        kind: 'tel',
        autocomplete: 'tel',
        inputmode: 'tel',
        hint: 'hintContactPhone',
      },
      {
        path: 'enterprise.contactEmail',
        kind: 'email',
        autocomplete: 'work email',
        inputmode: 'email',
        hint: 'hintContactEmail',
        wide: true,
      },
    ],
  },
];

export const TRAINING_FIELDS = ['course', 'date', 'organizer', 'certificateNumber'] as const;

/** The id of a field's control: `person.appointment.date` → `f-person-appointment-date`. */
export function fieldId(path: string): string {
  return `f-${path.replaceAll('.', '-')}`;
}

/**
 * Personal data the draft in localStorage leaves out, as the computer is often shared: the ID
 * number and every phone number and e-mail address. The form says so next to each of them.
 */
export function notInDraft(def: FieldDef): boolean {
  return def.path === 'person.idNumber' || def.kind === 'tel' || def.kind === 'email';
}

export const NOT_IN_DRAFT: ReadonlySet<string> = new Set(
  SECTIONS.flatMap((s) => s.fields)
    .filter(notInDraft)
    .map((f) => f.path),
);
