// Helpers shared by the concurrency and workflow-fault e2e files: finding a filing's emailed
// link through the driver, waiting for a condition, staff tokens from the runtime's key set,
// and reading a filing's audit trail and recorded failures the way staff and operators do.
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import type { ApiDriver } from '../e2e/driver.ts';
import type { Runtime } from './runtime.ts';

export interface Created {
  filingId: string;
  receiptToken: string;
  status: string;
  warnings: unknown[];
  statusUrl: string;
}

export interface AuditLine {
  kind: 'transition' | 'access';
  what: string;
  by: string;
  actorId?: string;
  reason?: string;
}

/** Polls until `check` holds; fails with `what` when it never does. */
export async function eventually(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met in time: ${what}`);
}

/**
 * The newest emailed link of `kind` whose confirmation page is about this filing (GET never
 * changes anything, so opening pages to find it is harmless).
 */
export async function linkFor(api: ApiDriver, filingId: string, kind = 'review_request'): Promise<string> {
  const tried = new Set<string>();
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    for (const mail of (await api.outbox()).filter((m) => m.kind === kind)) {
      for (const link of mail.links) {
        if (tried.has(link)) continue;
        const page = await api.reviewPage(link);
        if (page.status === 200 && page.text.includes(filingId)) return link;
        // A page about another filing stays about it; a 409/410 page may be ours but spent.
        if (page.status === 200) tried.add(link);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} link for ${filingId}`);
}

/** A bearer header for a staff member of the runtime's local key set (as `npm run token` issues). */
export async function staffHeader(
  runtime: Runtime,
  scopes: StaffScope[],
  subject: string,
): Promise<{ authorization: string }> {
  const token = await issueStaffToken(staffKeyFile(runtime.localDir), { scopes, subject });
  return { authorization: `Bearer ${token}` };
}

/** The filing's transitions as an auditor reads them (GET /staff/filings/{id}/audit). */
export async function transitions(
  api: ApiDriver,
  filingId: string,
  auditor: { authorization: string },
): Promise<AuditLine[]> {
  const res = await api.call<{ lines: AuditLine[] }>('GET', `/staff/filings/${filingId}/audit`, {
    headers: auditor,
  });
  if (res.status !== 200) throw new Error(`audit answered ${res.status}: ${res.text}`);
  return res.body.lines.filter((l) => l.kind === 'transition');
}
