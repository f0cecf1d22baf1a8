// Item type FilingBody: what the enterprise filed, written at submit and on amendment only,
// never on a state change, so the large item is not rewritten by every transition. The ID
// number is stored encrypted (idCipher) and masked; it is the only item on the
// filingsByUnit index, and carries the credit code's key of the filingSearch index.
import type { FieldIssue } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { maskIdNumber } from '../domain/masking.ts';
import type { StoredFiling } from '../ports/filings.ts';
import { creditSearchKeys } from './filing-search-item.ts';

export const bodyKey = (filingId: string) => ({ pk: `FILING#${filingId}`, sk: 'BODY' as const });

export interface FilingBodyItem {
  pk: string;
  sk: 'BODY';
  type: 'FilingBody';
  filingId: string;
  programId: string;
  unit: string;
  role: string;
  createdAt: string;
  filing: StoredFiling;
  idCipher: Uint8Array;
  personKey: string;
  warnings: FieldIssue[];
  requestHash?: string;
  /** The pool member's filing this one replaces on inclusion (a role change or a move). */
  supersedes?: string;
  /** Set by the retention job: the personal data is gone (see shared/use-cases/retention/). */
  anonymizedAt?: string;
  gsi1pk: string;
  gsi1sk: string;
  gsi3pk: string;
  gsi3sk: string;
}

export function toStoredFiling(filing: Filing): StoredFiling {
  const { idNumber, ...person } = filing.person;
  return { ...filing, person: { ...person, idNumberMasked: maskIdNumber(idNumber) } };
}

export function toBodyItem(input: {
  filingId: string;
  programId: string;
  createdAt: string;
  filing: Filing;
  idCipher: Uint8Array;
  personKey: string;
  warnings: FieldIssue[];
  requestHash?: string;
  supersedes?: string;
}): FilingBodyItem {
  return {
    ...bodyKey(input.filingId),
    type: 'FilingBody',
    filingId: input.filingId,
    programId: input.programId,
    unit: input.filing.enterprise.reportingUnit,
    role: input.filing.role,
    createdAt: input.createdAt,
    filing: toStoredFiling(input.filing),
    idCipher: input.idCipher,
    personKey: input.personKey,
    warnings: input.warnings,
    ...(input.requestHash ? { requestHash: input.requestHash } : {}),
    ...(input.supersedes ? { supersedes: input.supersedes } : {}),
    gsi1pk: `PROGRAM#${input.programId}#UNIT#${input.filing.enterprise.reportingUnit}`,
    gsi1sk: `${input.createdAt}#${input.filingId}`,
    ...creditSearchKeys({
      programId: input.programId,
      unit: input.filing.enterprise.reportingUnit,
      uscc: input.filing.enterprise.uscc,
      createdAt: input.createdAt,
      filingId: input.filingId,
    }),
  };
}
