// The table every wiring reaches, built once per process on first use, in three layers so that
// a function bundles only what it uses: the document client and the table's name (TABLE_NAME)
// here; with the keyed hasher (KMS) in keyed-table-access.ts; with the filing repository on
// both in filing-table-access.ts. Plans, reports, retention and the dashboard never hash.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv, TABLE_NAME_ENV } from '../config/env.ts';
import { createDocumentClient } from '../data/client.ts';

export interface TableAccess {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

let access: TableAccess | undefined;

export function tableAccess(): TableAccess {
  if (!access) {
    const tableName = requireEnv(TABLE_NAME_ENV);
    access = { doc: createDocumentClient(), tableName };
  }
  return access;
}
