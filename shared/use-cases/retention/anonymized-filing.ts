// What is left of a filing once its retention period is over (docs/domain.md §8): the facts
// the counters, reports and audit trail stand on, and nothing that identifies the person. The
// filing is rebuilt field by field rather than copied and patched, so a field the schema gains
// is dropped here unless it is listed (a required one fails the type check): keeping a field
// through anonymization is a choice made here, never a default.
import type { StoredFiling } from '../../ports/filings.ts';

/** The name of an anonymized person (shown as such on staff pages). */
export const ANONYMIZED_NAME = '已匿名';
/** What replaces every free-text or identifying value. */
export const ANONYMIZED_TEXT = '[已匿名]';

/**
 * Kept, because statistics and the audit trail need them and none of them points at one
 * person once name, numbers, dates and enterprise are gone: the role; sex, ID type,
 * education, title level, employment and years of standards work (category fields, the
 * make-up of the pool by year); the reporting unit (counters and access control), industry,
 * size and categories of the enterprise; the consent (the legal basis the record was kept
 * on: accepted, notice version, time).
 *
 * Replaced: the name; every number that identifies the person (masked ID number, mobile,
 * office phone, e-mail, appointment document number, training certificate number); the birth
 * month and the appointment and training dates; all free text (major, title name, position,
 * training course and organizer, achievements), which may say anything about the person.
 *
 * The enterprise's name, credit code and contact go as well. The enterprise is not a natural
 * person, but together with the role and the filing's dates its name or code singles out the
 * officer (a programme expects about one chief standards officer per enterprise), so keeping
 * them would leave a pseudonymized record, not an anonymized one; nothing reads them once
 * the record is final (the counters carry unit × role × state). The contact person is a
 * natural person in any case.
 *
 * The attachment references go (their objects are deleted; a file name may carry the name).
 */
export function anonymizeFiling(filing: StoredFiling): StoredFiling {
  const { person, enterprise } = filing;
  return {
    role: filing.role,
    person: {
      name: ANONYMIZED_NAME,
      sex: person.sex,
      birthYearMonth: ANONYMIZED_TEXT,
      idType: person.idType,
      idNumberMasked: ANONYMIZED_TEXT,
      education: person.education,
      major: ANONYMIZED_TEXT,
      titleLevel: person.titleLevel,
      position: ANONYMIZED_TEXT,
      employment: person.employment,
      standardsWorkYears: person.standardsWorkYears,
      appointment: { date: ANONYMIZED_TEXT, documentNumber: ANONYMIZED_TEXT },
      // Whether the person was trained stays (a rule and a statistic); what the course was does not.
      ...(person.training
        ? {
            training: {
              course: ANONYMIZED_TEXT,
              date: ANONYMIZED_TEXT,
              organizer: ANONYMIZED_TEXT,
              certificateNumber: ANONYMIZED_TEXT,
            },
          }
        : {}),
      mobile: ANONYMIZED_TEXT,
      email: ANONYMIZED_TEXT,
      achievements: ANONYMIZED_TEXT,
    },
    enterprise: {
      name: ANONYMIZED_TEXT,
      uscc: ANONYMIZED_TEXT,
      reportingUnit: enterprise.reportingUnit,
      industry: enterprise.industry,
      size: enterprise.size,
      categories: [...enterprise.categories],
      contact: { name: ANONYMIZED_TEXT, phone: ANONYMIZED_TEXT },
      contactEmail: ANONYMIZED_TEXT,
    },
    consent: { ...filing.consent },
  };
}
