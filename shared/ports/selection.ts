// The 优秀评选 selection of a programme's year, as the selection use cases keep it. The DynamoDB
// adapter is shared/data/selection-store.ts.
import type { AccessEntry } from './staff.ts';

/** The selection of a programme's year, as stored. */
export interface Selection {
  programId: string;
  year: string;
  /** Filing ids of the selected nominees, in the order given. */
  selected: string[];
  setAt: string | null;
  setBy: string | null;
}

export interface SelectionStore {
  /** The year's selection; `selected: []` and `setAt: null` when none was set. */
  get(programId: string, year: string): Promise<Selection>;
  /** Replaces the year's selection and writes the access entries in the same transaction. */
  put(selection: Selection, access: readonly AccessEntry[]): Promise<void>;
}
