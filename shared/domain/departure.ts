// What the enterprise reports about a pool member after inclusion (left the post, consent
// withdrawn) and what province staff give when they remove one: the request schemas, shared by
// the handlers, the OpenAPI document and the status page.
import * as z from 'zod/mini';
import { LEAVE_REASONS, type LeaveReason } from './leave-reasons.ts';
import { type FilingState, MEMBER_STATES, OPEN_STATES } from './lifecycle.ts';
import { STAFF_REASON } from './staff.ts';
import { lineText } from './text-fields.ts';

const isoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  z.refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'a real calendar date',
  ),
);

export const DepartureRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('left_post'),
    leftOn: isoDate,
    reason: z.enum(Object.keys(LEAVE_REASONS) as [LeaveReason, ...LeaveReason[]]),
    note: z.optional(lineText(1, 200)),
  }),
  z.strictObject({ kind: z.literal('consent_withdrawn') }),
]);
export type DepartureRequest = z.output<typeof DepartureRequestSchema>;

export const RemovalRequestSchema = z.strictObject({
  reason: lineText(STAFF_REASON.min, STAFF_REASON.max),
});
export type RemovalRequest = z.output<typeof RemovalRequestSchema>;

/** What the enterprise can report on a filing in this state (the status page offers these). */
export function departuresAllowed(state: FilingState): { leftPost: boolean; consentWithdrawal: boolean } {
  const member = MEMBER_STATES.includes(state);
  return { leftPost: member, consentWithdrawal: member || OPEN_STATES.includes(state) };
}

export { LEAVE_REASONS, type LeaveReason } from './leave-reasons.ts';
