import { describe, expect, it } from 'vitest';
import type { DocumentInventory, DocumentOwners, StoredObject } from '../../ports/stray-documents.ts';
import { filingIdOfKey, STRAY_MIN_AGE_DAYS, sweepStrayDocuments } from './stray-documents.ts';

const NOW = new Date('2026-12-06T03:30:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** A bucket in memory, listed in pages of `pageSize` in key order, as S3 lists. */
class FakeInventory implements DocumentInventory {
  readonly objects = new Map<string, Date>();
  readonly deleteCalls: string[][] = [];
  readonly pageSize: number;
  constructor(pageSize = 1000) {
    this.pageSize = pageSize;
  }

  put(key: string, lastModified: Date) {
    this.objects.set(key, lastModified);
  }

  async *list(prefix: string): AsyncIterable<StoredObject[]> {
    const all = [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, lastModified]) => ({ key, lastModified }));
    for (let i = 0; i < all.length; i += this.pageSize) yield all.slice(i, i + this.pageSize);
  }

  async delete(keys: readonly string[]) {
    this.deleteCalls.push([...keys]);
    for (const key of keys) this.objects.delete(key);
  }
}

/** Stored filings and the keys their bodies name; records every lookup. */
class FakeOwners implements DocumentOwners {
  readonly lookups: string[][] = [];
  readonly bodies: Record<string, string[]>;
  constructor(bodies: Record<string, string[]>) {
    this.bodies = bodies;
  }

  async namedDocuments(filingIds: readonly string[]) {
    this.lookups.push([...filingIds]);
    return new Map(
      filingIds.flatMap((id) => (this.bodies[id] ? [[id, new Set(this.bodies[id])] as const] : [])),
    );
  }
}

describe('filingIdOfKey', () => {
  it('reads the id of filings/<id>/<name> and nothing else', () => {
    expect(filingIdOfKey('filings/F1/appointment-AB')).toBe('F1');
    expect(filingIdOfKey('filings/F1/')).toBeUndefined();
    expect(filingIdOfKey('filings/F1')).toBeUndefined();
    expect(filingIdOfKey('uploads/liaoning-cso/AB')).toBeUndefined();
  });
});

describe('sweepStrayDocuments', () => {
  it('deletes old documents of filings never stored and ones their filing no longer names, nothing else', async () => {
    const inventory = new FakeInventory();
    // Named by its stored filing: kept, however old.
    inventory.put('filings/KEPT/appointment-A', daysAgo(400));
    inventory.put('filings/KEPT/endorsement-B', daysAgo(400));
    // Replaced by an amendment that was stopped before its cleanup: the body names only A.
    inventory.put('filings/KEPT/appointment-OLD', daysAgo(3));
    // Copies of a submission whose filing was never stored.
    inventory.put('filings/NEVER/appointment-C', daysAgo(STRAY_MIN_AGE_DAYS + 0.01));
    inventory.put('filings/NEVER/endorsement-D', daysAgo(10));
    // As stray, but too young: a request may still be under way, or its client retrying.
    inventory.put('filings/YOUNG/appointment-E', daysAgo(STRAY_MIN_AGE_DAYS - 0.01));
    const owners = new FakeOwners({ KEPT: ['filings/KEPT/appointment-A', 'filings/KEPT/endorsement-B'] });

    const summary = await sweepStrayDocuments({ inventory, owners }, { now: NOW });

    expect(summary).toEqual({ examined: 6, stray: 3, deleted: 3, filings: 2, dryRun: false });
    expect([...inventory.objects.keys()].sort()).toEqual([
      'filings/KEPT/appointment-A',
      'filings/KEPT/endorsement-B',
      'filings/YOUNG/appointment-E',
    ]);
    // The young object's filing is not even looked up.
    expect(owners.lookups.flat().sort()).toEqual(['KEPT', 'NEVER']);
  });

  it('of a stored filing that names no documents (anonymized), deletes the old ones and keeps the young', async () => {
    const inventory = new FakeInventory();
    inventory.put('filings/ANON/appointment-A', daysAgo(1));
    inventory.put('filings/ANON/endorsement-B', daysAgo(5));
    const owners = new FakeOwners({ ANON: [] });

    const summary = await sweepStrayDocuments({ inventory, owners }, { now: NOW });

    expect(summary).toMatchObject({ stray: 1, deleted: 1, filings: 1 });
    expect([...inventory.objects.keys()]).toEqual(['filings/ANON/appointment-A']);
  });

  it('counts without deleting on a dry run', async () => {
    const inventory = new FakeInventory();
    inventory.put('filings/NEVER/appointment-C', daysAgo(30));
    const summary = await sweepStrayDocuments(
      { inventory, owners: new FakeOwners({}) },
      { now: NOW, dryRun: true },
    );
    expect(summary).toEqual({ examined: 1, stray: 1, deleted: 0, filings: 1, dryRun: true });
    expect(inventory.objects.size).toBe(1);
    expect(inventory.deleteCalls).toEqual([]);
  });

  it('works a page at a time: one lookup and at most one delete per page, a filing split across pages judged alike', async () => {
    const inventory = new FakeInventory(2);
    for (const id of ['A', 'B', 'C']) {
      inventory.put(`filings/${id}/appointment-1`, daysAgo(30));
      inventory.put(`filings/${id}/endorsement-2`, daysAgo(30));
    }
    inventory.put('filings/B/extra-3', daysAgo(30));
    const owners = new FakeOwners({ B: ['filings/B/appointment-1', 'filings/B/endorsement-2'] });

    const summary = await sweepStrayDocuments({ inventory, owners }, { now: NOW });

    expect(summary).toEqual({ examined: 7, stray: 5, deleted: 5, filings: 3, dryRun: false });
    expect(owners.lookups).toEqual([['A'], ['B'], ['B', 'C'], ['C']]);
    expect(inventory.deleteCalls.every((keys) => keys.length <= 2)).toBe(true);
    expect([...inventory.objects.keys()].sort()).toEqual([
      'filings/B/appointment-1',
      'filings/B/endorsement-2',
    ]);
  });

  it('deletes nothing when the filings cannot be read (the run fails and is retried)', async () => {
    const inventory = new FakeInventory();
    inventory.put('filings/X/appointment-1', daysAgo(30));
    const owners: DocumentOwners = {
      async namedDocuments() {
        throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
      },
    };
    await expect(sweepStrayDocuments({ inventory, owners }, { now: NOW })).rejects.toThrow('down');
    expect(inventory.objects.size).toBe(1);
  });
});
