// The retention job's decisions against an in-memory store that keeps the port's contract:
// which filings are due (final state, period passed), that nothing else is touched, that a
// second run finds nothing to do and that a run that failed halfway is finished by the next.
import { describe, expect, it, vi } from 'vitest';
import { MemoryAttachmentStore, samplePdf } from '../../../test/support/attachments.ts';
import { validFiling } from '../../../test/support/fixtures.ts';
import { toStoredFiling } from '../../data/filing-body-item.ts';
import { filingPrefix } from '../../domain/attachments.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { parseFiling } from '../../domain/filing.ts';
import type { FilingState } from '../../domain/lifecycle.ts';
import { anhuiStdDirector } from '../../domain/programs/anhui-std-director.ts';
import { liaoningCso } from '../../domain/programs/liaoning-cso.ts';
import type { Program } from '../../domain/programs/program.ts';
import { logger } from '../../observability/logger.ts';
import type { StoredFiling } from '../../ports/filings.ts';
import type {
  AnonymizationRecord,
  LatestState,
  RetentionCandidate,
  RetentionStore,
} from '../../ports/retention.ts';
import { isDue, purgeExpired, type RetentionDeps } from './anonymize.ts';
import { ANONYMIZED_NAME, ANONYMIZED_TEXT, anonymizeFiling } from './anonymized-filing.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-01-01T00:00:00.000Z');
const ago = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY - ms).toISOString();
/** A programme like Liaoning's with a 30-day period, to show each programme's own period applies. */
const shortLived: Program = { ...liaoningCso, id: 'short-lived', retentionDays: 30 };
const PROGRAMS = [liaoningCso, anhuiStdDirector, shortLived];

interface Stored {
  programId: string;
  filing: StoredFiling;
  latest?: LatestState;
  anonymizedAt?: string;
  /** The free text kept beside the filing (event and access reasons, failure causes). */
  trail: string[];
}

class FakeRetentionStore implements RetentionStore {
  readonly filings = new Map<string, Stored>();
  readonly records: AnonymizationRecord[] = [];
  /** Filings whose seal fails once (a crash just before the last write). */
  readonly crashBeforeSeal = new Set<string>();

  add(filingId: string, programId: string, latest: LatestState | undefined, n = 1): Stored {
    const stored: Stored = {
      programId,
      filing: toStoredFiling(parseFiling(validFiling({ n }))),
      ...(latest ? { latest } : {}),
      trail: ['材料不全', ''],
    };
    this.filings.set(filingId, stored);
    return stored;
  }

  async *candidates({ programId }: { programId?: string }): AsyncIterable<RetentionCandidate> {
    for (const [filingId, stored] of [...this.filings]) {
      if (stored.anonymizedAt || (programId && stored.programId !== programId)) continue;
      yield { filingId, programId: stored.programId };
    }
  }

  async latestState(filingId: string) {
    return this.filings.get(filingId)?.latest;
  }

  async storedFiling(filingId: string) {
    const stored = this.filings.get(filingId);
    return stored && !stored.anonymizedAt ? structuredClone(stored.filing) : undefined;
  }

  async redactTrail(filingId: string, marker: string) {
    const stored = this.filings.get(filingId);
    if (!stored) return 0;
    const changed = stored.trail.filter((t) => t !== '' && t !== marker).length;
    stored.trail = stored.trail.map((t) => (t === '' ? t : marker));
    return changed;
  }

  async seal({ filing, record }: { filing: StoredFiling; record: AnonymizationRecord }) {
    const stored = this.filings.get(record.filingId);
    if (!stored || stored.anonymizedAt) return false;
    if (this.crashBeforeSeal.delete(record.filingId)) throw new Error('connection reset');
    stored.filing = filing;
    stored.anonymizedAt = record.at;
    this.records.push(record);
    return true;
  }
}

function setup() {
  const store = new FakeRetentionStore();
  const attachments = new MemoryAttachmentStore();
  const deps: RetentionDeps = { store, attachments, programs: PROGRAMS };
  /** A filing whose latest event moved it to `state` at `at`, with a document stored under it. */
  const filing = (filingId: string, state: FilingState, at: string, programId = 'liaoning-cso') => {
    store.add(filingId, programId, { state, version: 3, at });
    attachments.put(`${filingPrefix(filingId)}appointment-ABC`, samplePdf());
    return filingId;
  };
  return { store, attachments, deps, filing };
}

describe('isDue', () => {
  const period = 1095;
  it('is due only after more than the period has passed since the final event', () => {
    expect(isDue({ state: 'withdrawn', version: 2, at: ago(period) }, period, NOW)).toBe(false);
    expect(isDue({ state: 'withdrawn', version: 2, at: ago(period, 1) }, period, NOW)).toBe(true);
    expect(isDue({ state: 'withdrawn', version: 2, at: ago(period - 1) }, period, NOW)).toBe(false);
  });

  it('is due at once when the person withdrew consent, but only once the filing has ended', () => {
    expect(isDue({ state: 'removed', version: 5, at: ago(0), erasureRequested: true }, period, NOW)).toBe(
      true,
    );
    expect(isDue({ state: 'withdrawn', version: 3, at: ago(0), erasureRequested: true }, period, NOW)).toBe(
      true,
    );
    expect(isDue({ state: 'removed', version: 5, at: ago(0) }, period, NOW)).toBe(false);
    expect(isDue({ state: 'in_pool', version: 5, at: ago(5000), erasureRequested: true }, period, NOW)).toBe(
      false,
    );
  });

  it('holds for each final state and for no other', () => {
    const old = ago(5000);
    for (const state of ['withdrawn', 'rejected', 'declined', 'removed'] as const)
      expect(isDue({ state, version: 4, at: old }, period, NOW), state).toBe(true);
    for (const state of [
      'submitted',
      'city_review',
      'changes_requested',
      'province_review',
      'in_pool',
    ] as const)
      expect(isDue({ state, version: 4, at: old }, period, NOW), state).toBe(false);
  });

  it('never treats an unreadable time as old', () => {
    expect(isDue({ state: 'rejected', version: 3, at: 'not a date' }, period, NOW)).toBe(false);
  });
});

describe('purgeExpired', () => {
  it('anonymizes the filings that ended longer ago than the period, and only those', async () => {
    const { store, attachments, deps, filing } = setup();
    const due = [
      filing('W', 'withdrawn', ago(1096)),
      filing('R', 'rejected', ago(2000)),
      filing('D', 'declined', ago(1100)),
      filing('X', 'removed', ago(1095, 1)),
    ];
    const kept = [
      filing('P', 'in_pool', ago(3000)), // active however old
      filing('C', 'city_review', ago(3000)),
      filing('Y', 'withdrawn', ago(1094)), // final, but not for long enough
      filing('Z', 'rejected', ago(1095)), // exactly the period: not more than it
    ];
    const before = new Map(kept.map((id) => [id, structuredClone(store.filings.get(id))]));

    const summary = await purgeExpired(deps, { now: NOW });

    expect(summary).toMatchObject({ examined: 8, due: 4, anonymized: 4, failed: 0, limitReached: false });
    expect(summary.byProgram).toEqual({ 'liaoning-cso': { examined: 8, due: 4, anonymized: 4, failed: 0 } });
    for (const id of due) {
      const stored = store.filings.get(id);
      expect(stored?.anonymizedAt, id).toBe(NOW.toISOString());
      expect(stored?.filing.person.name).toBe(ANONYMIZED_NAME);
      expect(stored?.trail).toEqual([ANONYMIZED_TEXT, '']);
      expect(attachments.under(filingPrefix(id)), id).toEqual([]);
    }
    for (const id of kept) {
      expect(store.filings.get(id), id).toEqual(before.get(id));
      expect(attachments.under(filingPrefix(id)), id).toHaveLength(1);
    }
    expect(store.records.find((r) => r.filingId === 'W')).toEqual({
      filingId: 'W',
      programId: 'liaoning-cso',
      at: NOW.toISOString(),
      rule: 'retention',
      retentionDays: 1095,
      finalState: 'withdrawn',
      finalAt: ago(1096),
      finalVersion: 3,
      attachmentsDeleted: 1,
      trailItemsRedacted: 1,
    });
  });

  it('finds nothing to do the second time', async () => {
    const { store, deps, filing } = setup();
    filing('W', 'withdrawn', ago(2000));
    filing('P', 'in_pool', ago(2000));
    expect((await purgeExpired(deps, { now: NOW })).anonymized).toBe(1);
    const after = structuredClone([...store.filings]);

    const again = await purgeExpired(deps, { now: new Date(NOW.getTime() + 400 * DAY) });

    expect(again).toMatchObject({ examined: 1, due: 0, anonymized: 0, failed: 0 });
    expect([...store.filings]).toEqual(after);
    expect(store.records).toHaveLength(1);
  });

  it('finishes on the next run a filing the last run left halfway, without failing the others', async () => {
    const { store, attachments, deps, filing } = setup();
    filing('A', 'withdrawn', ago(2000));
    filing('B', 'rejected', ago(2000));
    store.crashBeforeSeal.add('A');
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const first = await purgeExpired(deps, { now: NOW });
    logged.mockRestore();

    expect(first).toMatchObject({ due: 2, anonymized: 1, failed: 1 });
    expect(first.byProgram['liaoning-cso']?.failed).toBe(1);
    // The earlier steps ran, but the body is not sealed: the filing is still a candidate.
    expect(attachments.under(filingPrefix('A'))).toEqual([]);
    expect(store.filings.get('A')?.anonymizedAt).toBeUndefined();
    expect(store.filings.get('A')?.filing.person.name).not.toBe(ANONYMIZED_NAME);

    const second = await purgeExpired(deps, { now: NOW });

    expect(second).toMatchObject({ examined: 1, due: 1, anonymized: 1, failed: 0 });
    expect(store.filings.get('A')?.filing.person.name).toBe(ANONYMIZED_NAME);
    expect(store.records.map((r) => r.filingId).sort()).toEqual(['A', 'B']);
  });

  it('keeps going when deleting one filing’s documents fails, and leaves that filing whole', async () => {
    const { store, attachments, deps, filing } = setup();
    filing('A', 'withdrawn', ago(2000));
    filing('B', 'withdrawn', ago(2000));
    const deletePrefix = attachments.deletePrefix.bind(attachments);
    attachments.deletePrefix = async (prefix) => {
      if (prefix === filingPrefix('A')) throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
      return deletePrefix(prefix);
    };

    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const summary = await purgeExpired(deps, { now: NOW });

    expect(summary).toMatchObject({ due: 2, anonymized: 1, failed: 1 });
    expect(store.filings.get('A')?.anonymizedAt).toBeUndefined();
    expect(store.filings.get('B')?.anonymizedAt).toBe(NOW.toISOString());
    // The operator learns which filing and what kind of error, nothing of its content.
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('left for the next run'), {
      filingId: 'A',
      error: 'AccessDenied',
    });
    logged.mockRestore();
  });

  it('measures each programme by its own period and can be limited to one programme', async () => {
    const { store, deps, filing } = setup();
    filing('L', 'withdrawn', ago(40), 'liaoning-cso');
    filing('S', 'withdrawn', ago(40), 'short-lived');
    filing('A', 'declined', ago(1200), 'anhui-std-director');

    const onlyAnhui = await purgeExpired(deps, { now: NOW, programId: 'anhui-std-director' });
    expect(onlyAnhui).toMatchObject({ examined: 1, anonymized: 1 });
    expect(Object.keys(onlyAnhui.byProgram)).toEqual(['anhui-std-director']);
    expect(store.filings.get('S')?.anonymizedAt).toBeUndefined();

    const all = await purgeExpired(deps, { now: NOW });
    expect(all.byProgram).toEqual({
      'liaoning-cso': { examined: 1, due: 0, anonymized: 0, failed: 0 },
      'short-lived': { examined: 1, due: 1, anonymized: 1, failed: 0 },
    });
    expect(store.filings.get('L')?.anonymizedAt).toBeUndefined();
  });

  it('refuses an unknown programme and leaves filings of a programme it does not know alone', async () => {
    const { store, deps, filing } = setup();
    await expect(purgeExpired(deps, { now: NOW, programId: 'nowhere' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    filing('G', 'withdrawn', ago(9000), 'retired-programme');
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const summary = await purgeExpired(deps, { now: NOW });
    expect(summary).toMatchObject({ examined: 1, due: 0, anonymized: 0 });
    expect(store.filings.get('G')?.anonymizedAt).toBeUndefined();
    expect(warned).toHaveBeenCalledWith(expect.any(String), { filings: 1 });
    warned.mockRestore();
  });

  it('skips a filing without events rather than guess its state', async () => {
    const { store, deps } = setup();
    store.add('E', 'liaoning-cso', undefined);
    expect(await purgeExpired(deps, { now: NOW })).toMatchObject({ examined: 1, due: 0, anonymized: 0 });
  });

  it('stops at the limit and leaves the rest for the next run', async () => {
    const { store, deps, filing } = setup();
    for (const id of ['A', 'B', 'C']) filing(id, 'withdrawn', ago(2000));

    const first = await purgeExpired(deps, { now: NOW, limit: 2 });
    expect(first).toMatchObject({ anonymized: 2, limitReached: true });
    const second = await purgeExpired(deps, { now: NOW, limit: 2 });
    expect(second).toMatchObject({ anonymized: 1, limitReached: false });
    expect([...store.filings.values()].every((s) => s.anonymizedAt)).toBe(true);
  });

  it('only counts in a dry run', async () => {
    const { store, attachments, deps, filing } = setup();
    filing('W', 'withdrawn', ago(2000));
    filing('P', 'in_pool', ago(2000));
    const before = structuredClone([...store.filings]);

    const summary = await purgeExpired(deps, { now: NOW, dryRun: true });

    expect(summary).toMatchObject({ examined: 2, due: 1, anonymized: 0, dryRun: true });
    expect([...store.filings]).toEqual(before);
    expect(attachments.under(filingPrefix('W'))).toHaveLength(1);
  });
});

describe('anonymizeFiling', () => {
  const filing = parseFiling(validFiling({ n: 7 }));
  const stored: StoredFiling = {
    ...toStoredFiling(filing),
    attachments: [
      {
        kind: 'appointment',
        key: 'filings/F1/appointment-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        contentType: 'application/pdf',
        filename: `${filing.person.name}聘任文件.pdf`,
      },
    ],
  };
  const result = anonymizeFiling(stored);

  it('keeps no value that identifies the person or the enterprise', () => {
    const text = JSON.stringify(result);
    const { person, enterprise } = filing;
    const personal = [
      person.name,
      person.idNumber,
      toStoredFiling(filing).person.idNumberMasked,
      person.idNumber.slice(-4),
      person.birthYearMonth,
      person.mobile,
      person.officePhone,
      person.email,
      person.major,
      person.titleName,
      person.position,
      person.appointment.date,
      person.appointment.documentNumber,
      person.training?.certificateNumber,
      person.training?.course,
      person.achievements,
      enterprise.name,
      enterprise.uscc,
      enterprise.contact.name,
      enterprise.contact.phone,
      'appointment-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      '聘任文件.pdf',
    ];
    for (const value of personal) {
      expect(value, 'fixture value').toBeTruthy();
      expect(text, String(value)).not.toContain(String(value));
    }
    expect(result.person.name).toBe(ANONYMIZED_NAME);
    expect(result.person.mobile).toBe(ANONYMIZED_TEXT);
    expect(result).not.toHaveProperty('attachments');
    expect(result.person).not.toHaveProperty('officePhone');
    expect(result.person).not.toHaveProperty('titleName');
  });

  it('keeps the facts statistics and the audit trail use', () => {
    expect(result.role).toBe(filing.role);
    expect(result.enterprise).toMatchObject({
      reportingUnit: filing.enterprise.reportingUnit,
      industry: filing.enterprise.industry,
      size: filing.enterprise.size,
      categories: filing.enterprise.categories,
    });
    expect(result.person).toMatchObject({
      sex: filing.person.sex,
      idType: filing.person.idType,
      education: filing.person.education,
      titleLevel: filing.person.titleLevel,
      employment: filing.person.employment,
      standardsWorkYears: filing.person.standardsWorkYears,
    });
    expect(result.person.training).toBeDefined();
    expect(result.consent).toEqual(filing.consent);
  });

  it('is stable: anonymizing twice gives the same filing', () => {
    expect(anonymizeFiling(result)).toEqual(result);
  });
});
