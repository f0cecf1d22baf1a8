// The ports of the stray-document sweep (shared/use-cases/retention/stray-documents.ts): what
// the attachment bucket holds under `filings/` and how old it is, and which of those documents
// a stored filing names. Adapters: shared/adapters/s3-attachments.ts (the inventory) and
// shared/data/retention-store.ts (the owners).

/** One object in the bucket. */
export interface StoredObject {
  key: string;
  lastModified: Date;
}

export interface DocumentInventory {
  /** Every object under the prefix, a page at a time, in key order. */
  list(prefix: string): AsyncIterable<StoredObject[]>;
  /** Deletes these objects (missing ones are fine). */
  delete(keys: readonly string[]): Promise<void>;
}

export interface DocumentOwners {
  /**
   * For each of these filing ids that has a stored filing, the object keys its body names
   * (possibly none); ids without a stored filing are absent from the map.
   */
  namedDocuments(filingIds: readonly string[]): Promise<Map<string, Set<string>>>;
}
