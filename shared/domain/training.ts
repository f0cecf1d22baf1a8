// Training (培训): the batches a bureau runs and the people who passed them. Liaoning makes
// passing a precondition of inclusion (the province ran the first batch in 2021; from 2022 the
// cities run their own); Anhui offers training without making it one. A batch is organized by
// the province or by one reporting unit; its pass list names each person by the keyed hash of
// the ID number only, with the certificate number.
import * as z from 'zod/mini';
import { lineText } from './text-fields.ts';
import { toHalfWidth } from './validation/normalize.ts';

/** The organizer of a batch run by the province itself (otherwise a reporting unit's code). */
export const PROVINCE_ORGANIZER = 'province';

const isoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  z.refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'a real calendar date',
  ),
);

export const TrainingBatchRequestSchema = z
  .strictObject({
    /** `province`, or the code of the reporting unit whose bureau ran the batch. */
    organizer: z.string().check(z.regex(/^(province|[0-9A-Z]{2,6}(-[0-9A-Z]{2,4})?)$/)),
    course: lineText(2, 100),
    startDate: isoDate,
    endDate: isoDate,
  })
  .check(
    z.refine((b) => b.startDate <= b.endDate, { message: 'endDate before startDate', path: ['endDate'] }),
  );
export type TrainingBatchRequest = z.output<typeof TrainingBatchRequestSchema>;

export interface TrainingBatch extends TrainingBatchRequest {
  programId: string;
  batchId: string;
  createdAt: string;
  /** Who recorded it (the staff member's subject). */
  createdBy: string;
  /** People on its pass list so far. */
  passes: number;
}

/** One person on a pass list: the keyed hash of the ID number and the certificate, nothing else. */
export interface TrainingPass {
  person: string;
  certificateNumber: string;
  batchId: string;
  course: string;
  organizer: string;
  /** The batch's last day: the date the certificate was earned. */
  passedOn: string;
}

/** Certificate numbers compare half-width, without blanks, in upper case (`ln-2021 001` = `LN-2021001`). */
export function normalizeCertificate(value: string): string {
  return toHalfWidth(value).replace(/\s+/g, '').toUpperCase();
}

/** A batch id: its first day and a random tail (`20211020-K3X9Q2`), so a list sorts by date. */
export function newBatchId(startDate: string, random: () => number = Math.random): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let tail = '';
  for (let i = 0; i < 6; i++) tail += alphabet[Math.floor(random() * alphabet.length)];
  return `${startDate.replaceAll('-', '')}-${tail}`;
}

export const BATCH_ID_PATTERN = /^\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/;
