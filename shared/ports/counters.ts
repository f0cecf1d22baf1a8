// The port through which reports read the counters (never the filings). One record per
// programme × year × reporting unit × role, as the data layer keeps them
// (shared/data/counter-item.ts): the year's net change of each state's count, and the
// entries into the trend states (filed, included, removed) per month. The DynamoDB adapter
// is shared/data/counter-reader.ts; unit tests pass plain arrays.
import type { FilingState } from '../domain/lifecycle.ts';

/** Two-digit month of a year, Asia/Shanghai: '01' … '12'. */
export type Month = string;

export interface CounterRecord {
  year: string;
  unit: string;
  role: string;
  /** Net change of each state's count during the year (absent = 0). */
  net: Partial<Record<FilingState, number>>;
  /** Entries into the trend states, per month of the year (absent = 0). */
  entries: Record<Month, Partial<Record<FilingState, number>>>;
}

/**
 * A unit's enterprises covered now (shared/data/coverage-item.ts): those with at least one member of the programme's
 * coverage roles, per cell of 规上 yes/no × 战略性新兴产业 yes/no (absent = 0). A current figure, not a yearly one.
 */
export interface CoverageRecord {
  unit: string;
  cells: Partial<Record<'above_emerging' | 'above_only' | 'emerging_only' | 'neither', number>>;
}

export interface CounterReader {
  /** Every counter record of a programme for the years up to and including `upToYear`. */
  countersUpTo(programId: string, upToYear: string): Promise<CounterRecord[]>;
  /** The counter records of one year only (the open year beside a summary of the closed ones). */
  countersOfYear?(programId: string, year: string): Promise<CounterRecord[]>;
  /** The stored summary of the years up to `throughYear` (reports/closed-years.ts), as stored. */
  yearSummary?(programId: string, throughYear: string): Promise<unknown>;
  /** Stores that summary; a summary stored before for the same years is left as it is. */
  saveYearSummary?(programId: string, throughYear: string, summary: unknown): Promise<void>;
  /** The programme's coverage now, one record per unit that has any (one small item per unit, whatever the years). */
  coverage?(programId: string): Promise<CoverageRecord[]>;
}
