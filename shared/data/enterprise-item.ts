// Item type EnterpriseFiling: "this filing is active in this enterprise, for this role", one item per active filing
// under the enterprise's partition, keyed by a hash of the credit code. Written with the filing, moved when an
// amendment changes the credit code or the role, deleted when the filing leaves the active states (a final state or
// supersession), always in the same transaction as the state change; so reading one small partition counts an
// enterprise's active filings per role without a scan.
//
// The credit code is public registry data and stays in clear on the filing; the hash only gives the partition a fixed,
// opaque key, and a plain SHA-256 spares the submission a KMS call.
import { createHash } from 'node:crypto';
import { normalizeCode } from '../domain/validation/normalize.ts';

export const ENTERPRISE_FILING_PREFIX = 'FILING#';

export function enterpriseHash(uscc: string): string {
  return createHash('sha256').update(normalizeCode(uscc)).digest('base64url');
}

export const enterprisePartition = (programId: string, uscc: string) =>
  `ENTERPRISE#${programId}#${enterpriseHash(uscc)}`;

export const enterpriseFilingKey = (programId: string, uscc: string, filingId: string) => ({
  pk: enterprisePartition(programId, uscc),
  sk: `${ENTERPRISE_FILING_PREFIX}${filingId}`,
});

export interface EnterpriseFilingItem {
  pk: string;
  sk: string;
  type: 'EnterpriseFiling';
  filingId: string;
  role: string;
  since: string;
}

export function toEnterpriseFilingItem(
  programId: string,
  uscc: string,
  filingId: string,
  role: string,
  since: string,
): EnterpriseFilingItem {
  return {
    ...enterpriseFilingKey(programId, uscc, filingId),
    type: 'EnterpriseFiling',
    filingId,
    role,
    since,
  };
}

/** Active filings per role from the partition's items, leaving out one filing (the one being judged). */
export function countByRole(
  items: readonly Pick<EnterpriseFilingItem, 'filingId' | 'role'>[],
  except?: string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    if (item.filingId === except) continue;
    counts[item.role] = (counts[item.role] ?? 0) + 1;
  }
  return counts;
}
