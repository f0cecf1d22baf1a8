// What the staff use cases read and write besides the filing repository: the filings of a
// reporting unit in order of filing (the `filingsByUnit` index), and the access log (who saw
// an unmasked ID number or phone, or exported a unit's data, and why).
import type { StaffRole } from '../domain/staff.ts';

export interface UnitPage {
  filingIds: string[];
  /** Opaque: pass back to get the next page; absent on the last page. */
  next?: string;
}

export interface AccessEntry {
  at: string;
  filingId?: string;
  programId: string;
  unit: string;
  subject: string;
  role: StaffRole;
  /** What was seen or taken: `reveal:idNumber`, `reveal:mobile`, `export:xlsx`… */
  what: string;
  reason: string;
}

export interface StaffQueries {
  /**
   * Filings of one unit, newest first, optionally filed within [from, to] (ISO dates); or, with
   * `search`, those whose credit code or enterprise name starts with `prefix`, by that value
   * (then oldest first among equals, and `from`/`to` are not applied).
   */
  unitFilings(input: {
    programId: string;
    unit: string;
    from?: string;
    to?: string;
    search?: { by: 'creditCode' | 'name'; prefix: string };
    limit: number;
    cursor?: string;
  }): Promise<UnitPage>;
  recordAccess(entry: AccessEntry): Promise<void>;
  /** Access entries of a filing, oldest first. */
  filingAccess(filingId: string): Promise<AccessEntry[]>;
  /** Access entries of a unit, oldest first (one page). */
  unitAccess(input: { programId: string; unit: string; limit: number; cursor?: string }): Promise<{
    entries: AccessEntry[];
    next?: string;
  }>;
}
