// The body of a 优秀评选 selection: the filing ids of the nominees the province selects.
import * as z from 'zod/mini';

/** More than any province nominates in a year; bounds the request. */
export const MAX_SELECTED = 1000;

export const SelectionRequestSchema = z.strictObject({
  selected: z.array(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))).check(z.maxLength(MAX_SELECTED)),
});
export type SelectionRequest = z.output<typeof SelectionRequestSchema>;
