// The FilingRepository port in memory, for the use-case tests: the DynamoDB adapter's rules
// without the table (test/support/filing-repository-contract.ts runs the same cases against
// both). Create is idempotent by filing id; one active filing per person and programme (a pool
// member's filing for another role or enterprise waits as its successor and supersedes it on
// inclusion); transitions are version-locked, go through the lifecycle, and a retried one
// returns the event it wrote; the Idempotency-Key lease lapses after CLAIM_LEASE_SECONDS.
// Stricter than the table in one way: a transition whose expected state or version is not the
// filing's current one is refused, where the table only checks that the next version is free.
// What the writes would also store (outbox items, access-log lines) is kept in lists to assert on.

import { toStoredFiling } from '#shared/data/filing-body-item.ts';
import { type KeyedHasher, personHash } from '#shared/data/keyed-hash.ts';
import { CLAIM_LEASE_SECONDS } from '#shared/data/submission-claim-item.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '#shared/domain/errors.ts';
import type { Filing } from '#shared/domain/filing.ts';
import { isActive, MEMBER_STATES, REASON_REQUIRED, transition } from '#shared/domain/lifecycle.ts';
import type {
  CreateFilingCommand,
  EnterpriseIndex,
  FilingEvent,
  FilingRecord,
  FilingRepository,
  ReviewResume,
  SubmissionClaim,
  TransitionCommand,
  WorkflowFailure,
} from '#shared/ports/filings.ts';
import type { OutboxKind } from '#shared/ports/outbox.ts';
import type { AccessEntry } from '#shared/ports/staff.ts';

const DUPLICATE_PERSON = {
  zh: '该人员在本项目中已有有效备案，不能重复备案',
  en: 'this person already has an active filing in this program',
};

export class MemoryFilingRepository implements FilingRepository, EnterpriseIndex {
  readonly records = new Map<string, FilingRecord>();
  readonly events = new Map<string, FilingEvent[]>();
  /** Person hash → the filing holding the person's one active place (the PERSON item). */
  readonly persons = new Map<string, string>();
  /** Person hash → the filing waiting to supersede the holder on inclusion. */
  readonly successors = new Map<string, string>();
  /** Idempotency-Key leases by filing id. */
  readonly claims = new Map<string, { requestHash: string; leaseUntil: number }>();
  /** Every create and transition asked for, refused ones included. */
  readonly creates: CreateFilingCommand[] = [];
  readonly transitions: TransitionCommand[] = [];
  /** The outbox items the writes stored (in the table, in their transactions). */
  readonly outbox: { kind: OutboxKind; filingId: string; programId: string; version: number }[] = [];
  /** Access-log lines written with review restarts. */
  readonly access: AccessEntry[] = [];
  /** Reads of a filing or its history. */
  reads = 0;
  private readonly personOf = new Map<string, string>();
  private readonly idNumbers = new Map<string, string>();
  private readonly failureLog = new Map<string, Map<string, WorkflowFailure>>();
  private readonly resumeLog = new Map<string, ReviewResume[]>();
  private readonly hasher: KeyedHasher;

  constructor(hasher: KeyedHasher) {
    this.hasher = hasher;
  }

  /** The review workflows the stored writes start (through the outbox). */
  starts() {
    return this.outbox
      .filter((m) => m.kind === 'review.start')
      .map(({ filingId, programId }) => ({ filingId, programId }));
  }

  async claimSubmission(filingId: string, requestHash: string, at: Date): Promise<SubmissionClaim> {
    const held = this.claims.get(filingId);
    if (held && held.leaseUntil >= at.getTime()) return { claimed: false, requestHash: held.requestHash };
    this.claims.set(filingId, { requestHash, leaseUntil: at.getTime() + CLAIM_LEASE_SECONDS * 1000 });
    return { claimed: true };
  }

  async releaseSubmission(filingId: string, requestHash: string): Promise<void> {
    if (this.claims.get(filingId)?.requestHash === requestHash) this.claims.delete(filingId);
  }

  async create(command: CreateFilingCommand): Promise<FilingRecord> {
    this.creates.push(command);
    const { filingId, programId, filing, at, actor } = command;
    const to = transition(null, 'submit', actor.role);
    const existing = this.records.get(filingId);
    if (existing) return structuredClone(existing);
    const person = await personHash(this.hasher, programId, filing.person.idNumber);
    const holder = this.persons.get(person);
    let supersedes: string | undefined;
    if (holder !== undefined && holder !== filingId) {
      supersedes = this.supersedable(person, holder, filing);
      if (!supersedes) throw new ConflictError('duplicate_person', DUPLICATE_PERSON);
    }
    const event: FilingEvent = {
      filingId,
      version: 1,
      action: 'submit',
      actor,
      from: null,
      to,
      at,
      programId,
      unit: filing.enterprise.reportingUnit,
      role: filing.role,
    };
    const record: FilingRecord = {
      filingId,
      ...(command.requestHash ? { requestHash: command.requestHash } : {}),
      ...(supersedes ? { supersedes } : {}),
      programId,
      createdAt: at,
      filing: toStoredFiling(filing),
      warnings: supersedes ? [...command.warnings, supersedesWarning(supersedes)] : command.warnings,
      state: to,
      version: 1,
      lastEvent: event,
    };
    if (supersedes) this.successors.set(person, filingId);
    else this.persons.set(person, filingId);
    this.personOf.set(filingId, person);
    this.idNumbers.set(filingId, filing.person.idNumber);
    this.records.set(filingId, record);
    this.events.set(filingId, [event]);
    this.store(command.outbox, { filingId, programId, version: 1 });
    return structuredClone(record);
  }

  async get(filingId: string): Promise<FilingRecord> {
    this.reads++;
    const record = this.records.get(filingId);
    if (!record) throw new NotFoundError('filing');
    return structuredClone(record);
  }

  async history(filingId: string): Promise<FilingEvent[]> {
    this.reads++;
    const events = this.events.get(filingId);
    if (!events) throw new NotFoundError('filing');
    return structuredClone(events);
  }

  async transition(command: TransitionCommand): Promise<FilingEvent> {
    this.transitions.push(command);
    const { filingId, expected, action, actor, at } = command;
    if (!Number.isInteger(expected.version) || expected.version < 1) {
      throw new ConcurrentModificationError('filing');
    }
    const to = transition(expected.state, action, actor.role);
    if (REASON_REQUIRED.includes(action) && !command.reason?.trim()) {
      throw new ValidationError([
        { path: 'reason', code: 'required', message: { zh: '请填写理由', en: 'a reason is required' } },
      ]);
    }
    const record = this.records.get(filingId);
    const events = this.events.get(filingId);
    if (!record || !events) throw new NotFoundError('filing');
    if (command.amended && action !== 'resubmit') throw new ConcurrentModificationError('filing');
    const version = expected.version + 1;
    const written = events.find((e) => e.version === version);
    if (written) {
      // The same command again (a retry): the event it wrote. Another one: it lost the race.
      if (written.action === action && written.actor.role === actor.role) return structuredClone(written);
      throw new ConcurrentModificationError('filing');
    }
    if (record.state !== expected.state || record.version !== expected.version) {
      throw new ConcurrentModificationError('filing');
    }
    let person = this.personOf.get(filingId) ?? '';
    if (command.amended) {
      const next = await personHash(this.hasher, record.programId, command.amended.filing.person.idNumber);
      if (next !== person) {
        if (this.persons.get(person) !== filingId || this.persons.has(next)) {
          throw new ConflictError('duplicate_person', DUPLICATE_PERSON);
        }
        this.persons.delete(person);
        this.persons.set(next, filingId);
        this.personOf.set(filingId, next);
        person = next;
      }
      record.filing = toStoredFiling(command.amended.filing);
      record.warnings = command.amended.warnings;
      this.idNumbers.set(filingId, command.amended.filing.person.idNumber);
    }
    const event: FilingEvent = {
      filingId,
      version,
      action,
      actor,
      from: expected.state,
      to,
      at,
      programId: record.programId,
      unit: record.filing.enterprise.reportingUnit,
      role: record.filing.role,
      ...(command.reason ? { reason: command.reason.trim() } : {}),
      ...(command.detail ? { detail: command.detail } : {}),
    };
    const entersPool = !MEMBER_STATES.includes(expected.state) && MEMBER_STATES.includes(to);
    if ((isActive(expected.state) && !isActive(to)) || entersPool) {
      this.changeClaims(person, filingId, !isActive(to), at);
    }
    this.append(record, event);
    this.store(command.outbox, { filingId, programId: record.programId, version });
    return structuredClone(event);
  }

  async revealIdNumber(filingId: string): Promise<string> {
    const idNumber = this.idNumbers.get(filingId);
    if (idNumber === undefined || this.records.get(filingId)?.anonymizedAt) throw new NotFoundError('filing');
    return idNumber;
  }

  async recordFailure(filingId: string, failure: WorkflowFailure): Promise<void> {
    const log = this.failureLog.get(filingId) ?? new Map<string, WorkflowFailure>();
    log.set(failure.at, { at: failure.at, stage: failure.stage, error: failure.error, cause: failure.cause });
    this.failureLog.set(filingId, log);
  }

  async failures(filingId: string): Promise<WorkflowFailure[]> {
    const log = this.failureLog.get(filingId) ?? new Map<string, WorkflowFailure>();
    return structuredClone([...log.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)));
  }

  async resumes(filingId: string): Promise<ReviewResume[]> {
    return structuredClone([...(this.resumeLog.get(filingId) ?? [])].sort((a, b) => a.n - b.n));
  }

  async recordResume(filingId: string, resume: ReviewResume, access: AccessEntry): Promise<void> {
    const log = this.resumeLog.get(filingId) ?? [];
    if (log.some((r) => r.n === resume.n)) throw new ConcurrentModificationError('review resume');
    log.push(structuredClone(resume));
    this.resumeLog.set(filingId, log);
    this.access.push(structuredClone(access));
  }

  async activeByRole(programId: string, uscc: string, except?: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const r of this.records.values()) {
      if (r.programId !== programId || r.filing.enterprise.uscc !== uscc) continue;
      if (r.filingId === except || !isActive(r.state)) continue;
      counts[r.filing.role] = (counts[r.filing.role] ?? 0) + 1;
    }
    return counts;
  }

  /** The pool member's filing a new filing of the same person may wait to replace, if any. */
  private supersedable(person: string, holder: string, filing: Filing): string | undefined {
    const earlier = this.records.get(holder);
    if (!earlier || this.successors.has(person) || !MEMBER_STATES.includes(earlier.state)) return undefined;
    const sameRole = earlier.filing.role === filing.role;
    const sameEnterprise = earlier.filing.enterprise.uscc === filing.enterprise.uscc;
    return sameRole && sameEnterprise ? undefined : holder;
  }

  /** What a filing's end or inclusion does to the person's place (as the table's claim items). */
  private changeClaims(person: string, filingId: string, ends: boolean, at: string): void {
    const holder = this.persons.get(person);
    const successor = this.successors.get(person);
    if (holder === filingId || (holder === undefined && successor !== filingId)) {
      if (!ends) return;
      if (successor !== undefined) {
        this.persons.set(person, successor);
        this.successors.delete(person);
      } else if (holder === filingId) {
        this.persons.delete(person);
      }
      return;
    }
    if (successor !== filingId) return;
    this.successors.delete(person);
    if (ends || holder === undefined) return;
    // Included while the earlier filing still holds the place: it is superseded now.
    const earlier = this.records.get(holder);
    if (!earlier) throw new NotFoundError('filing');
    this.append(earlier, {
      filingId: holder,
      version: earlier.version + 1,
      action: 'supersede',
      actor: { role: 'system' },
      from: earlier.state,
      to: transition(earlier.state, 'supersede', 'system'),
      at,
      programId: earlier.programId,
      unit: earlier.filing.enterprise.reportingUnit,
      role: earlier.filing.role,
      reason: `由备案 ${filingId} 替代`,
      detail: { supersededBy: filingId },
    });
    this.persons.set(person, filingId);
  }

  private append(record: FilingRecord, event: FilingEvent): void {
    record.state = event.to;
    record.version = event.version;
    record.lastEvent = event;
    this.events.get(record.filingId)?.push(event);
  }

  private store(
    kinds: readonly OutboxKind[] | undefined,
    change: { filingId: string; programId: string; version: number },
  ): void {
    for (const kind of kinds ?? []) this.outbox.push({ kind, ...change });
  }
}

/** The reviewer's warning on a filing that will replace a pool member's earlier one. */
const supersedesWarning = (earlier: string) => ({
  path: 'role',
  code: 'supersedes',
  message: {
    zh: `此人已在人才库中（备案 ${earlier}）；本备案纳入后将替代该备案（岗位变更或调动）`,
    en: `this person is in the pool (filing ${earlier}); on inclusion this filing replaces it (a role change or a move)`,
  },
});
