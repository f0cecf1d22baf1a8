// The table, its keyed hasher and the filing repository on both, once per process. The
// repository has no field cipher, so it neither writes nor reads ID numbers: the functions that
// do (submit, amend, reveal, import) build their own from these parts and the cipher.
import { createFilingRepository } from '../data/filing-repository.ts';
import type { EnterpriseIndex, FilingRepository } from '../ports/filings.ts';
import { type KeyedTableAccess, keyedTableAccess } from './keyed-table-access.ts';

export interface FilingTableAccess extends KeyedTableAccess {
  repo: FilingRepository & EnterpriseIndex;
}

let access: FilingTableAccess | undefined;

export function filingTableAccess(): FilingTableAccess {
  if (!access) {
    const { doc, tableName, hasher } = keyedTableAccess();
    access = { doc, tableName, hasher, repo: createFilingRepository({ doc, tableName, hasher }) };
  }
  return access;
}
