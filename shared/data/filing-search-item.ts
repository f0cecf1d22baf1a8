// The keys of the filingSearch index: staff find a unit's filings by the start of the enterprise's credit code or of
// its name. An item has one key per index, so the credit code rides on the filing's body (gsi3sk = CREDIT#…) and the
// name on a small FilingName item beside it (`FILING#<id>` / `SEARCH#NAME`, gsi3sk = NAME#…); both are written with
// the body, at submit and on amendment, so an amended name or code moves with it. One index rather than two because
// CloudFormation adds one index to a table per deploy. Only enterprise data (public registry facts) is in a key.
import { normalizeCode, toHalfWidth } from '../domain/validation/normalize.ts';

export const SEARCH_PREFIX = { creditCode: 'CREDIT#', name: 'NAME#' } as const;
export type SearchBy = keyof typeof SEARCH_PREFIX;

export const searchPartition = (programId: string, unit: string) => `PROGRAM#${programId}#UNIT#${unit}`;

/**
 * An enterprise name as typed and as stored compare equal: full-width ASCII and ideographic spaces to plain, every
 * blank dropped, Latin letters lower case. `#` is dropped too, since it separates the parts of the sort key.
 */
export function normalizeName(name: string): string {
  return toHalfWidth(name.normalize('NFKC'))
    .replace(/[\s#]+/g, '')
    .toLowerCase();
}

/** A credit code as typed and as stored compare equal (normalizeCode), without the key separator. */
export const normalizeCreditCode = (code: string) => normalizeCode(code).replace(/[\s#]+/g, '');

/** The sort key prefix a search by `by` for `typed` reads. */
export function searchPrefix(by: SearchBy, typed: string): string {
  return `${SEARCH_PREFIX[by]}${by === 'name' ? normalizeName(typed) : normalizeCreditCode(typed)}`;
}

const sortKey = (by: SearchBy, value: string, createdAt: string, filingId: string) =>
  `${searchPrefix(by, value)}#${createdAt}#${filingId}`;

/** The credit code's keys, carried by the filing's body. */
export function creditSearchKeys(input: {
  programId: string;
  unit: string;
  uscc: string;
  createdAt: string;
  filingId: string;
}) {
  return {
    gsi3pk: searchPartition(input.programId, input.unit),
    gsi3sk: sortKey('creditCode', input.uscc, input.createdAt, input.filingId),
  };
}

export const filingNameKey = (filingId: string) => ({ pk: `FILING#${filingId}`, sk: 'SEARCH#NAME' as const });

export interface FilingNameItem {
  pk: string;
  sk: 'SEARCH#NAME';
  type: 'FilingName';
  gsi3pk: string;
  gsi3sk: string;
}

/** The name's item; put (not conditioned) wherever the body is put, so a rewrite replaces it. */
export function toFilingNameItem(input: {
  programId: string;
  unit: string;
  enterpriseName: string;
  createdAt: string;
  filingId: string;
}): FilingNameItem {
  return {
    ...filingNameKey(input.filingId),
    type: 'FilingName',
    gsi3pk: searchPartition(input.programId, input.unit),
    gsi3sk: sortKey('name', input.enterpriseName, input.createdAt, input.filingId),
  };
}
