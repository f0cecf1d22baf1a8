// Wiring of 优秀评选, once per process: the return store (the year's nominees), the selection
// item, the filings (a selected person's name and consent to publication) and the access log.
import { createReturnStore } from '../data/return-store.ts';
import { createSelectionStore } from '../data/selection-store.ts';
import { createStaffQueries } from '../data/staff-queries.ts';
import { NotFoundError } from '../domain/errors.ts';
import { publicationFacts, type SelectionDeps } from '../use-cases/returns/selection.ts';
import { filingTableAccess } from './filing-table-access.ts';

let deps: SelectionDeps | undefined;

export function selectionServices(): SelectionDeps {
  if (!deps) {
    const { doc, tableName, repo } = filingTableAccess();
    const queries = createStaffQueries(doc, tableName);
    deps = {
      returns: createReturnStore(doc, tableName),
      selections: createSelectionStore({ doc, tableName }),
      async facts(filingId) {
        try {
          const record = await repo.get(filingId);
          return record.anonymizedAt ? undefined : publicationFacts(record.filing);
        } catch (error) {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        }
      },
      recordAccess: (entry) => queries.recordAccess(entry),
      now: () => new Date(),
    };
  }
  return deps;
}
