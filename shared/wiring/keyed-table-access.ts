// The table and its keyed hasher (the KMS HMAC key in the cloud, the local key file locally),
// once per process: for person keys, receipt tokens and filing ids without the repository.
import { keyedHasherFromEnv } from '../data/keyed-hash.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import { type TableAccess, tableAccess } from './table-access.ts';

export interface KeyedTableAccess extends TableAccess {
  hasher: KeyedHasher;
}

let access: KeyedTableAccess | undefined;

export function keyedTableAccess(): KeyedTableAccess {
  access ??= { ...tableAccess(), hasher: keyedHasherFromEnv() };
  return access;
}
