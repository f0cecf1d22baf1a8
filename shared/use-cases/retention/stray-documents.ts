// Documents of nobody: submit and amend copy the uploads under `filings/<id>/` before they
// write the filing, and clean the copies up when the write fails; a function stopped between
// the two (a Lambda timeout, a crash) leaves copies that no stored filing names, and that no
// bucket lifecycle rule removes (that rule only knows `uploads/`). They hold personal data (an
// appointment letter names the person), so the daily retention job deletes them: every object
// under `filings/` older than STRAY_MIN_AGE_DAYS whose filing is not stored, or whose stored
// filing does not name it. The age keeps the sweep away from a request still under way and
// from a client's retry while its uploads live; a filing's own documents are never touched.
import { FILING_PREFIX, UPLOAD_EXPIRY_DAYS } from '../../domain/attachments.ts';
import type { DocumentInventory, DocumentOwners, StoredObject } from '../../ports/stray-documents.ts';

const DAY_MS = 86_400_000;

/** Objects younger than this are left alone (one day beyond the uploads' own expiry). */
export const STRAY_MIN_AGE_DAYS = UPLOAD_EXPIRY_DAYS + 1;

export interface StrayDocumentDeps {
  inventory: DocumentInventory;
  owners: DocumentOwners;
}

export interface StraySweepOptions {
  now: Date;
  /** Count the stray documents without deleting them. */
  dryRun?: boolean;
}

export interface StraySweepSummary {
  /** Objects under `filings/` looked at. */
  examined: number;
  /** Of these, old enough and named by no stored filing. */
  stray: number;
  deleted: number;
  /** Distinct filing ids the stray documents were under. */
  filings: number;
  dryRun: boolean;
}

/** The filing id of `filings/<id>/<name>`, or undefined for any other key. */
export function filingIdOfKey(key: string): string | undefined {
  if (!key.startsWith(FILING_PREFIX)) return undefined;
  const [id, name] = key.slice(FILING_PREFIX.length).split('/', 2);
  return id && name ? id : undefined;
}

export async function sweepStrayDocuments(
  deps: StrayDocumentDeps,
  options: StraySweepOptions,
): Promise<StraySweepSummary> {
  const cutoff = options.now.getTime() - STRAY_MIN_AGE_DAYS * DAY_MS;
  const dryRun = options.dryRun ?? false;
  const summary: StraySweepSummary = { examined: 0, stray: 0, deleted: 0, filings: 0, dryRun };
  const strayFilings = new Set<string>();
  for await (const page of deps.inventory.list(FILING_PREFIX)) {
    summary.examined += page.length;
    const old = page.filter((o: StoredObject) => o.lastModified.getTime() < cutoff);
    const byFiling = new Map<string, string[]>();
    for (const { key } of old) {
      const id = filingIdOfKey(key) ?? '';
      byFiling.set(id, [...(byFiling.get(id) ?? []), key]);
    }
    if (byFiling.size === 0) continue;
    const named = await deps.owners.namedDocuments([...byFiling.keys()].filter(Boolean));
    const stray = [...byFiling].flatMap(([id, keys]) => {
      const own = named.get(id);
      const gone = keys.filter((key) => !own?.has(key));
      if (gone.length > 0) strayFilings.add(id);
      return gone;
    });
    summary.stray += stray.length;
    if (dryRun || stray.length === 0) continue;
    await deps.inventory.delete(stray);
    summary.deleted += stray.length;
  }
  summary.filings = strayFilings.size;
  return summary;
}
