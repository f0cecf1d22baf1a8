// The filing use cases (submit, status, amend, withdraw) against the in-memory repository
// that keeps the port's contract (test/support/filing-repository-contract.ts): idempotent
// create by filing id, version-locked transitions through the lifecycle, and the stored
// filing with its ID number masked.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attachmentRefs,
  MemoryAttachmentStore,
  PNG_HEAD,
  samplePdf,
} from '../../test/support/attachments.ts';
import { programOf, validFiling } from '../../test/support/fixtures.ts';
import { MemoryFilingRepository } from '../../test/support/memory-filing-repository.ts';
import { localHasher } from '../data/field-crypto.ts';
import { personHash } from '../data/keyed-hash.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';
import { type Filing, parseFiling } from '../domain/filing.ts';
import { FILING_ID_PATTERN } from '../domain/ids.ts';
import { STATES } from '../domain/lifecycle.ts';
import type { FilingEvent } from '../ports/filings.ts';
import type { FilingWorkflow } from '../ports/workflow.ts';
import { amendFiling } from './amend-filing.ts';
import { filingStatus, STATE_LABELS, statusView } from './filing-status.ts';
import { receiptToken } from './receipt.ts';
import { submitFiling } from './submit-filing.ts';
import { MemoryTrainingStore } from './training/memory-store.ts';
import { withdrawFiling } from './withdraw-filing.ts';

class RecordingWorkflow implements FilingWorkflow {
  readonly calls: { filingId: string; programId: string }[] = [];
  readonly amended: string[] = [];
  readonly withdrawn: string[] = [];
  async filingSubmitted(ref: { filingId: string; programId: string }) {
    this.calls.push(ref);
  }
  async filingAmended(filingId: string) {
    this.amended.push(filingId);
  }
  async filingWithdrawn(filingId: string) {
    this.withdrawn.push(filingId);
  }
  async reviewResumed(): Promise<void> {
    throw new Error('not used by these use cases');
  }
}

const NOW = new Date('2025-06-01T02:00:00.000Z');

function setup() {
  const hasher = localHasher(new Uint8Array(randomBytes(32)));
  const repo = new MemoryFilingRepository(hasher);
  const workflow = new RecordingWorkflow();
  const attachments = new MemoryAttachmentStore();
  return { repo, enterprises: repo, workflow, hasher, attachments, now: () => NOW };
}

let n = 70_000;
/** A parsed filing with its documents uploaded (the store's default: every upload is a PDF). */
const filing = (options: Parameters<typeof validFiling>[0] = {}): Filing => {
  const k = n++;
  const programId = programOf(options.unit ?? '210100', options.role ?? 'cso').id;
  return parseFiling({ ...validFiling({ n: k, ...options }), attachments: attachmentRefs(programId, k) });
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** A filing submitted and then sent back for changes by the city (version 3). */
async function changesRequested(deps: ReturnType<typeof setup>, f = filing()) {
  const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: f });
  const at = NOW.toISOString();
  await deps.repo.transition({
    filingId: created.filingId,
    expected: { state: 'submitted', version: 1 },
    action: 'start_city_review',
    actor: { role: 'system' },
    at,
  });
  await deps.repo.transition({
    filingId: created.filingId,
    expected: { state: 'city_review', version: 2 },
    action: 'request_changes',
    actor: { role: 'city', id: 'reviewer-7', unit: '210100' },
    at,
    reason: '请补充聘任文件编号',
  });
  deps.repo.transitions.length = 0;
  return { ...created, filing: f };
}

describe('submitFiling', () => {
  it('stores the filing as submitted with the outbox message that starts its workflow, and returns the receipt', async () => {
    const deps = setup();
    const f = filing();
    const result = await submitFiling(deps, { programId: 'liaoning-cso', filing: f });
    expect(result.filingId).toMatch(FILING_ID_PATTERN);
    expect(result.status).toBe('submitted');
    expect(result.warnings).toEqual([]);
    expect(result.statusUrl).toBe(`/filings/${result.filingId}`);
    expect(result.receiptToken).toBe(await receiptToken(deps.hasher, result.filingId));
    expect(deps.repo.starts()).toEqual([{ filingId: result.filingId, programId: 'liaoning-cso' }]);
    expect(deps.repo.creates).toHaveLength(1);
    const kept = (f.attachments ?? []).map((a) => ({
      ...a,
      key: `filings/${result.filingId}/${a.kind}-${a.key.split('/').at(-1)}`,
    }));
    expect(deps.repo.creates[0]).toMatchObject({
      filingId: result.filingId,
      programId: 'liaoning-cso',
      filing: { ...f, attachments: kept },
      warnings: [],
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    expect(deps.repo.creates[0]?.requestHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('warns the reviewer of a second active CSO in the enterprise, and not once the first is withdrawn', async () => {
    const deps = setup();
    const first = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const uscc = deps.repo.records.get(first.filingId)?.filing.enterprise.uscc ?? '';
    const sameEnterprise = (role?: string) => {
      const f = filing(role ? { role } : {});
      f.enterprise.uscc = uscc;
      return f;
    };
    const second = await submitFiling(deps, { programId: 'liaoning-cso', filing: sameEnterprise() });
    expect(second.warnings.map((w) => [w.path, w.code])).toEqual([['role', 'role_count_unusual']]);
    expect(deps.repo.records.get(second.filingId)?.warnings).toEqual(second.warnings);
    // Specialists have no usual number; another enterprise's CSO is not counted.
    const specialist = await submitFiling(deps, {
      programId: 'liaoning-cso',
      filing: sameEnterprise('specialist'),
    });
    expect(specialist.warnings).toEqual([]);
    expect((await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() })).warnings).toEqual([]);
    await withdrawFiling(deps, { filingId: first.filingId, receipt: first.receiptToken });
    await withdrawFiling(deps, { filingId: second.filingId, receipt: second.receiptToken });
    const third = await submitFiling(deps, { programId: 'liaoning-cso', filing: sameEnterprise() });
    expect(third.warnings).toEqual([]);
  });

  it('throws NotFoundError for an unknown program, storing nothing', async () => {
    const deps = setup();
    const error = await rejection(submitFiling(deps, { programId: 'nowhere', filing: filing() }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).resource).toBe('program');
    expect(deps.repo.creates).toEqual([]);
    expect(deps.repo.starts()).toEqual([]);
  });

  it.each([
    ['too short', 'abc1234'],
    ['too long', 'k'.repeat(129)],
    ['with a space', 'key with space'],
    ['not ASCII', '幂等键幂等键幂等键'],
    ['with a control character', 'abcdefgh\u0001'],
    ['empty', ''],
  ])('refuses an Idempotency-Key that is %s at headers.idempotency-key', async (_label, key) => {
    const deps = setup();
    const error = await rejection(
      submitFiling(deps, { programId: 'liaoning-cso', filing: filing(), idempotencyKey: key }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'headers.idempotency-key', code: 'invalid_idempotency_key' }),
    ]);
    expect(deps.repo.creates).toEqual([]);
  });

  it('accepts keys of 8 and of 128 visible ASCII characters', async () => {
    const deps = setup();
    for (const key of ['12345678', '~'.repeat(128)]) {
      const result = await submitFiling(deps, {
        programId: 'liaoning-cso',
        filing: filing(),
        idempotencyKey: key,
      });
      expect(result.status).toBe('submitted');
    }
  });

  it('gives the same filing and receipt for the same key and body, creating nothing new', async () => {
    const deps = setup();
    const f = filing();
    const input = { programId: 'liaoning-cso', filing: f, idempotencyKey: 'key-0001-abcdef' };
    const first = await submitFiling(deps, input);
    const copies = deps.attachments.copies.length;
    const again = await submitFiling(deps, input);
    expect(again).toEqual(first);
    expect(first.filingId).toMatch(FILING_ID_PATTERN);
    expect(deps.repo.records.size).toBe(1);
    // The replay is answered from the stored filing: no second create, the bucket untouched.
    expect(deps.repo.creates).toHaveLength(1);
    expect(deps.attachments.copies).toHaveLength(copies);
    // The workflow's start was stored with the filing: a replay stores and starts nothing more.
    expect(deps.repo.starts().map((c) => c.filingId)).toEqual([first.filingId]);
  });

  /** What the first request with this key stores: its filing (in another fake) and body hash. */
  async function storedElsewhere(deps: ReturnType<typeof setup>, input: Parameters<typeof submitFiling>[1]) {
    const reference = { ...setup(), hasher: deps.hasher };
    const answer = await submitFiling(reference, input);
    return { answer, reference, requestHash: reference.repo.creates[0]?.requestHash ?? '' };
  }

  it('a request whose key another one holds waits for that filing and answers it, without touching the bucket', async () => {
    const deps = setup();
    const input = { programId: 'liaoning-cso', filing: filing(), idempotencyKey: 'key-held-000001' };
    const first = await storedElsewhere(deps, input);
    await deps.repo.claimSubmission(first.answer.filingId, first.requestHash, NOW);
    // The first request stores its filing while this one waits on the lease: after the miss of
    // the replay check and the first miss of the wait.
    const get = deps.repo.get.bind(deps.repo);
    let misses = 0;
    deps.repo.get = async (filingId) => {
      const record = await get(filingId).catch((error: unknown) => {
        if (++misses === 2) {
          for (const [id, stored] of first.reference.repo.records) deps.repo.records.set(id, stored);
        }
        throw error;
      });
      return record;
    };
    expect(await submitFiling(deps, input)).toEqual(first.answer);
    expect(misses).toBe(2);
    expect(deps.repo.creates).toEqual([]);
    expect(deps.attachments.copies).toEqual([]);
  });

  it('a request whose key stays held answers 409 in progress with Retry-After, writing nothing', async () => {
    const deps = { ...setup(), claimWaitMs: 150 };
    const input = { programId: 'liaoning-cso', filing: filing(), idempotencyKey: 'key-held-000002' };
    const first = await storedElsewhere(deps, input);
    await deps.repo.claimSubmission(first.answer.filingId, first.requestHash, NOW);
    const error = await rejection(submitFiling(deps, input));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'idempotency_key_in_progress', retryAfterSeconds: 1 });
    expect(deps.repo.creates).toEqual([]);
    expect(deps.attachments.copies).toEqual([]);
    expect(deps.repo.starts()).toEqual([]);
  });

  it('a request whose key is held for another body is 409 reused at once', async () => {
    const deps = setup();
    const input = { programId: 'liaoning-cso', filing: filing(), idempotencyKey: 'key-held-000003' };
    const first = await storedElsewhere(deps, input);
    await deps.repo.claimSubmission(first.answer.filingId, 'the hash of another body', NOW);
    expect(await rejection(submitFiling(deps, input))).toMatchObject({ code: 'idempotency_key_reused' });
    expect(deps.repo.creates).toEqual([]);
    expect(deps.attachments.copies).toEqual([]);
  });

  it('a keyed request that fails after taking the lease gives it back and leaves no copies', async () => {
    const deps = setup();
    const input = { programId: 'liaoning-cso', filing: filing(), idempotencyKey: 'key-fail-000001' };
    deps.repo.create = async () => {
      throw new ConflictError('duplicate_person', { zh: '重复', en: 'duplicate' });
    };
    expect(await rejection(submitFiling(deps, input))).toMatchObject({ code: 'duplicate_person' });
    expect(deps.repo.claims.size).toBe(0);
    const copied = deps.attachments.copies.map((c) => c.to);
    expect(copied).toHaveLength(2);
    for (const key of copied) expect(deps.attachments.objects.has(key)).toBe(false);
  });

  it('derives the id from the key: another key, another filing; no key, a random one', async () => {
    const deps = setup();
    const a = await submitFiling(deps, {
      programId: 'liaoning-cso',
      filing: filing(),
      idempotencyKey: 'key-aaaa-0001',
    });
    const b = await submitFiling(deps, {
      programId: 'liaoning-cso',
      filing: filing(),
      idempotencyKey: 'key-aaaa-0002',
    });
    const c = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const d = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    expect(new Set([a.filingId, b.filingId, c.filingId, d.filingId]).size).toBe(4);
    expect(c.filingId).toMatch(FILING_ID_PATTERN);
    // Another deployment's keys derive other ids from the same idempotency key.
    const other = setup();
    const e = await submitFiling(other, {
      programId: 'liaoning-cso',
      filing: filing(),
      idempotencyKey: 'key-aaaa-0001',
    });
    expect(e.filingId).not.toBe(a.filingId);
  });

  it('scopes the key to the program', async () => {
    const deps = setup();
    const key = 'same-key-both-programs';
    const liaoning = await submitFiling(deps, {
      programId: 'liaoning-cso',
      filing: filing(),
      idempotencyKey: key,
    });
    const anhui = await submitFiling(deps, {
      programId: 'anhui-std-director',
      filing: filing({ role: 'director', unit: '340100', region: '340100' }),
      idempotencyKey: key,
    });
    expect(anhui.filingId).not.toBe(liaoning.filingId);
    expect(deps.repo.starts()).toEqual([
      { filingId: liaoning.filingId, programId: 'liaoning-cso' },
      { filingId: anhui.filingId, programId: 'anhui-std-director' },
    ]);
  });

  it('answers 409 idempotency_key_reused for the same key with another body, not starting the workflow', async () => {
    const deps = setup();
    const f = filing();
    const key = 'key-reused-0001';
    const first = await submitFiling(deps, { programId: 'liaoning-cso', filing: f, idempotencyKey: key });
    const other = { ...f, person: { ...f.person, major: '化学工程' } };
    const error = await rejection(
      submitFiling(deps, { programId: 'liaoning-cso', filing: other, idempotencyKey: key }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('idempotency_key_reused');
    expect(deps.repo.starts()).toEqual([{ filingId: first.filingId, programId: 'liaoning-cso' }]);
    expect(deps.repo.records.get(first.filingId)?.filing.person.major).toBe(f.person.major);
  });

  it('returns soft-rule warnings and stores them with the filing', async () => {
    const deps = setup();
    const f = filing({ role: 'specialist' });
    f.person.education = 'secondary';
    f.person.titleLevel = 'junior';
    const result = await submitFiling(deps, { programId: 'liaoning-cso', filing: f });
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'person.education', code: 'rule_specialist-qualification' }),
    ]);
    expect(deps.repo.creates[0]?.warnings).toEqual(result.warnings);
  });

  it('refuses a filing that breaks a hard rule, judged on the injected clock, storing nothing', async () => {
    const deps = { ...setup(), now: () => new Date('2024-02-01T00:00:00Z') };
    const error = await rejection(submitFiling(deps, { programId: 'liaoning-cso', filing: filing() }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toContain('person.appointment.date');
    expect(deps.repo.creates).toEqual([]);
    expect(deps.repo.starts()).toEqual([]);
  });

  it('uses the real clock without an injected one', async () => {
    const { now: _now, ...deps } = setup();
    const before = Date.now();
    await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const at = Date.parse(deps.repo.creates[0]?.at ?? '');
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});

describe('statusView', () => {
  it('masks name, mobile, e-mail and ID number, and names the role and unit', async () => {
    const deps = setup();
    const f = filing();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: f });
    const record = await deps.repo.get(created.filingId);
    const view = statusView(record, await deps.repo.history(created.filingId));
    expect(view.summary.name).toBe('张*');
    expect(view.summary.mobile).toBe(`${f.person.mobile.slice(0, 3)}****${f.person.mobile.slice(-4)}`);
    expect(view.summary.email).toMatch(/^o\*\*\*@example\.com$/);
    expect(view.summary.idNumber).toBe(
      `${f.person.idNumber.slice(0, 6)}********${f.person.idNumber.slice(-4)}`,
    );
    expect(view.summary.role).toEqual({
      id: 'cso',
      name: expect.objectContaining({ zh: expect.any(String) }),
    });
    expect(view.summary.reportingUnit).toEqual({
      code: '210100',
      name: { zh: '沈阳市', en: 'Shenyang' },
      authority: { zh: '沈阳市市场监督管理局', en: 'Shenyang Administration for Market Regulation' },
    });
    expect(view.authorities).toEqual({
      city: { zh: '沈阳市市场监督管理局', en: 'Shenyang Administration for Market Regulation' },
      province: { zh: '辽宁省市场监督管理局', en: 'Liaoning Administration for Market Regulation' },
    });
    expect(view.summary.enterprise).toBe(f.enterprise.name);
    expect(view.summary.uscc).toBe(f.enterprise.uscc);
    const text = JSON.stringify(view);
    expect(text).not.toContain(f.person.idNumber);
    expect(text).not.toContain(f.person.mobile);
    expect(text).not.toContain(f.person.email);
    expect(text).not.toContain(f.person.name);
    expect(view).toMatchObject({
      filingId: created.filingId,
      programId: 'liaoning-cso',
      status: 'submitted',
      statusLabel: STATE_LABELS.submitted,
      version: 1,
      submittedAt: NOW.toISOString(),
      warnings: [],
    });
  });

  it('has a zh and en label for every state', () => {
    for (const state of STATES) {
      expect(STATE_LABELS[state].zh.length).toBeGreaterThan(0);
      expect(STATE_LABELS[state].en.length).toBeGreaterThan(0);
    }
    expect(new Set(STATES.map((s) => STATE_LABELS[s].en)).size).toBe(STATES.length);
  });

  it('shows comments only from staff reasons, and staff only by role', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const record = await deps.repo.get(created.filingId);
    const history = await deps.repo.history(created.filingId);
    const extra: FilingEvent[] = [
      {
        ...history[0],
        version: 4,
        action: 'resubmit',
        from: 'changes_requested',
        to: 'city_review',
        reason: '已补充',
      } as FilingEvent,
      {
        ...(history[0] as FilingEvent),
        version: 5,
        action: 'approve',
        actor: { role: 'city', id: 'reviewer-7', unit: '210100' },
        from: 'city_review',
        to: 'province_review',
        reason: '同意',
      },
      {
        ...(history[0] as FilingEvent),
        version: 6,
        action: 'withdraw',
        actor: { role: 'applicant' },
        from: 'province_review',
        to: 'withdrawn',
        reason: '申请人撤回',
      },
    ];
    const view = statusView(record, [...history, ...extra]);
    expect(view.comments).toEqual([
      { at: NOW.toISOString(), action: 'request_changes', by: 'city', text: '请补充聘任文件编号' },
    ]);
    expect(view.history.map((h) => h.action)).toEqual([
      'submit',
      'start_city_review',
      'request_changes',
      'resubmit',
      'approve',
      'withdraw',
    ]);
    expect(view.history[0]).toEqual({
      at: NOW.toISOString(),
      action: 'submit',
      actionLabel: { zh: '提交备案', en: 'Submitted' },
      from: null,
      to: 'submitted',
      by: 'applicant',
    });
    expect(view.history[2]).toMatchObject({ by: 'city', reason: '请补充聘任文件编号' });
    expect(JSON.stringify(view)).not.toContain('reviewer-7');
  });

  it('shows an unknown role or unit by its id', async () => {
    const deps = setup();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const record = await deps.repo.get(created.filingId);
    record.filing.role = 'retired_role';
    record.filing.enterprise.reportingUnit = '219999';
    const view = statusView(record, []);
    expect(view.summary.role).toEqual({ id: 'retired_role' });
    expect(view.summary.reportingUnit).toEqual({ code: '219999' });
    expect(view.authorities).toEqual({ province: expect.objectContaining({ zh: '辽宁省市场监督管理局' }) });
  });
});

describe('filingStatus', () => {
  it('shows the filing to the holder of the receipt', async () => {
    const deps = setup();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const view = await filingStatus(deps, { filingId: created.filingId, receipt: created.receiptToken });
    expect(view.filingId).toBe(created.filingId);
    expect(view.status).toBe('submitted');
    expect(view.history).toHaveLength(1);
  });

  it('answers NotFound without reading the store for a wrong or missing receipt', async () => {
    const deps = setup();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    // The last character changed (to another one: a token may end in A).
    const altered = `${created.receiptToken.slice(0, -1)}${created.receiptToken.endsWith('A') ? 'B' : 'A'}`;
    for (const receipt of [undefined, 'wrong', altered]) {
      expect(await rejection(filingStatus(deps, { filingId: created.filingId, receipt }))).toBeInstanceOf(
        NotFoundError,
      );
    }
    expect(deps.repo.reads).toBe(0);
  });

  it('answers NotFound for an unknown filing with a well-formed receipt', async () => {
    const deps = setup();
    const receipt = await receiptToken(deps.hasher, 'F0000000000000');
    expect(await rejection(filingStatus(deps, { filingId: 'F0000000000000', receipt }))).toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('amendFiling', () => {
  it('replaces the filing and sends it back to city review with one resubmit transition', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const amended = structuredClone(created.filing);
    amended.person.appointment.documentNumber = '企聘〔2025〕8号';
    amended.enterprise.name = '沈阳示例机械制造有限公司（更名）';
    const view = await amendFiling(deps, {
      filingId: created.filingId,
      receipt: created.receiptToken,
      filing: amended,
    });
    const stored = (await deps.repo.get(created.filingId)).filing.attachments;
    expect(deps.repo.transitions).toEqual([
      {
        filingId: created.filingId,
        expected: { state: 'changes_requested', version: 3 },
        action: 'resubmit',
        actor: { role: 'applicant' },
        at: NOW.toISOString(),
        amended: { filing: { ...amended, attachments: stored }, warnings: [] },
        outbox: ['review.amended'],
      },
    ]);
    // The answer to the amendment wait is stored with the change (version 4), not sent here.
    expect(deps.repo.outbox.filter((m) => m.kind === 'review.amended')).toEqual([
      { kind: 'review.amended', filingId: created.filingId, programId: 'liaoning-cso', version: 4 },
    ]);
    expect(deps.workflow.amended).toEqual([]);
    expect(view.status).toBe('city_review');
    expect(view.version).toBe(4);
    expect(view.summary.enterprise).toBe(amended.enterprise.name);
    expect(view.comments).toEqual([
      expect.objectContaining({ action: 'request_changes', text: '请补充聘任文件编号' }),
    ]);
  });

  it('passes the soft-rule warnings of the amended filing', async () => {
    const deps = setup();
    const created = await changesRequested(deps, filing({ role: 'specialist' }));
    const amended = structuredClone(created.filing);
    amended.person.education = 'secondary';
    amended.person.titleLevel = 'junior';
    const view = await amendFiling(deps, {
      filingId: created.filingId,
      receipt: created.receiptToken,
      filing: amended,
    });
    expect(deps.repo.transitions[0]?.amended?.warnings).toEqual([
      expect.objectContaining({ code: 'rule_specialist-qualification' }),
    ]);
    expect(view.warnings).toEqual(deps.repo.transitions[0]?.amended?.warnings);
  });

  it('matches the training certificate at submission and again when amended', async () => {
    const deps = setup();
    const training = new MemoryTrainingStore();
    const f = filing();
    const submitted = await submitFiling({ ...deps, training }, { programId: 'liaoning-cso', filing: f });
    expect(submitted.warnings.map((w) => w.code)).toContain('training_not_on_roster');
    await training.putPasses('liaoning-cso', [
      {
        person: await personHash(deps.hasher, 'liaoning-cso', f.person.idNumber),
        certificateNumber: f.person.training?.certificateNumber as string,
        batchId: '20221115-ABCDEF',
        course: '培训班',
        organizer: '210100',
        passedOn: '2022-11-17',
      },
    ]);
    const created = await changesRequested(deps, filing());
    await training.putPasses('liaoning-cso', [
      {
        person: await personHash(deps.hasher, 'liaoning-cso', created.filing.person.idNumber),
        certificateNumber: created.filing.person.training?.certificateNumber as string,
        batchId: '20221115-ABCDEF',
        course: '培训班',
        organizer: '210100',
        passedOn: '2022-11-17',
      },
    ]);
    const view = await amendFiling(
      { ...deps, training },
      { filingId: created.filingId, receipt: created.receiptToken, filing: created.filing },
    );
    expect(view.warnings).toContainEqual(
      expect.objectContaining({
        code: 'training_verified',
        message: expect.objectContaining({ zh: '培训已核验（20221115-ABCDEF，2022-11-17）' }),
      }),
    );
  });

  it('throws InvalidTransitionError unless changes were requested', async () => {
    const deps = setup();
    const f = filing();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: f });
    const error = await rejection(
      amendFiling(deps, { filingId: created.filingId, receipt: created.receiptToken, filing: f }),
    );
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ from: 'submitted', action: 'resubmit', actor: 'applicant' });
    expect(deps.repo.transitions).toEqual([]);
  });

  it('refuses a change of role with ConflictError role_change', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const amended = { ...created.filing, role: 'director' };
    const error = await rejection(
      amendFiling(deps, { filingId: created.filingId, receipt: created.receiptToken, filing: amended }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('role_change');
    expect(deps.repo.transitions).toEqual([]);
  });

  it('refuses an amended filing that breaks a hard rule', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const amended = structuredClone(created.filing);
    amended.enterprise.reportingUnit = '340100';
    const error = await rejection(
      amendFiling(deps, { filingId: created.filingId, receipt: created.receiptToken, filing: amended }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['enterprise.reportingUnit']);
    expect(deps.repo.transitions).toEqual([]);
  });

  it('answers NotFound for a wrong receipt, touching nothing', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const reads = deps.repo.reads;
    const error = await rejection(
      amendFiling(deps, { filingId: created.filingId, receipt: 'nope', filing: created.filing }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(deps.repo.reads).toBe(reads);
    expect(deps.repo.transitions).toEqual([]);
  });
});

describe('withdrawFiling', () => {
  it('withdraws an open filing with the applicant’s reason, which is no reviewer comment', async () => {
    const deps = setup();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const view = await withdrawFiling(deps, { filingId: created.filingId, receipt: created.receiptToken });
    expect(deps.repo.transitions).toEqual([
      {
        filingId: created.filingId,
        expected: { state: 'submitted', version: 1 },
        action: 'withdraw',
        actor: { role: 'applicant' },
        at: NOW.toISOString(),
        reason: '申请人撤回',
      },
    ]);
    expect(view.status).toBe('withdrawn');
    expect(view.statusLabel).toEqual(STATE_LABELS.withdrawn);
    expect(view.comments).toEqual([]);
    expect(view.history.at(-1)).toMatchObject({ action: 'withdraw', by: 'applicant', reason: '申请人撤回' });
  });

  it('withdraws from changes_requested too, keeping the city’s comment', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const view = await withdrawFiling(deps, { filingId: created.filingId, receipt: created.receiptToken });
    expect(view.status).toBe('withdrawn');
    expect(view.comments.map((c) => c.action)).toEqual(['request_changes']);
  });

  it('cannot withdraw twice', async () => {
    const deps = setup();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    await withdrawFiling(deps, { filingId: created.filingId, receipt: created.receiptToken });
    const error = await rejection(
      withdrawFiling(deps, { filingId: created.filingId, receipt: created.receiptToken }),
    );
    expect(error).toBeInstanceOf(InvalidTransitionError);
  });

  it('answers NotFound for a wrong receipt, touching nothing', async () => {
    const deps = setup();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const error = await rejection(withdrawFiling(deps, { filingId: created.filingId, receipt: undefined }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(deps.repo.transitions).toEqual([]);
    expect(deps.repo.reads).toBe(0);
  });
});

describe('attachments', () => {
  const paths = (error: unknown) => (error as ValidationError).issues.map((i) => `${i.path} ${i.code}`);

  it('copies the uploads under the filing, keeps those keys, and removes the uploads', async () => {
    const deps = setup();
    const f = filing();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: f });
    const stored = (await deps.repo.get(created.filingId)).filing.attachments ?? [];
    expect(stored.map((a) => a.kind)).toEqual(['endorsement', 'appointment']);
    expect(deps.attachments.under(`filings/${created.filingId}/`)).toEqual(stored.map((a) => a.key).sort());
    for (const upload of f.attachments ?? [])
      expect(await deps.attachments.inspect(upload.key)).toBeUndefined();
    expect(stored.map((a) => a.filename)).toEqual(['企业意见.pdf', '聘任文件.pdf']);
  });

  it('a retry with the same key finds the copies done and changes nothing', async () => {
    const deps = setup();
    const input = { programId: 'liaoning-cso', filing: filing(), idempotencyKey: 'attach-retry-0001' };
    const first = await submitFiling(deps, input);
    const copied = deps.attachments.copies.length;
    // The uploads are gone; the copies under the filing answer for them.
    expect(await submitFiling(deps, input)).toEqual(first);
    expect(deps.attachments.copies).toHaveLength(copied);
  });

  it('completes a copy that an interrupted submission left undone', async () => {
    const deps = setup();
    const input = { programId: 'liaoning-cso', filing: filing(), idempotencyKey: 'attach-retry-0002' };
    const copy = deps.attachments.copy.bind(deps.attachments);
    deps.attachments.copy = async () => {
      throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
    };
    await rejection(submitFiling(deps, input));
    // Not acknowledged, not stored: a filing never refers to an object that is not there.
    expect(deps.attachments.under('filings/')).toEqual([]);
    expect(deps.repo.records.size).toBe(0);
    deps.attachments.copy = copy;
    const created = await submitFiling(deps, input);
    expect(deps.attachments.under(`filings/${created.filingId}/`)).toHaveLength(2);
    expect(deps.repo.records.size).toBe(1);
  });

  it('a filing refused when it is stored (a duplicate person) leaves no copy behind and keeps the uploads', async () => {
    const deps = setup();
    const f = filing();
    deps.repo.create = async () => {
      throw new ConflictError('duplicate_person', { zh: '重复', en: 'duplicate' });
    };
    const error = await rejection(submitFiling(deps, { programId: 'liaoning-cso', filing: f }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(deps.attachments.under('filings/')).toEqual([]);
    for (const upload of f.attachments ?? [])
      expect(await deps.attachments.inspect(upload.key)).toBeDefined();
  });

  it('requires the programme’s kinds: both in Liaoning, the appointment document in Anhui', async () => {
    const deps = setup();
    const liaoning = filing();
    liaoning.attachments = liaoning.attachments?.filter((a) => a.kind === 'appointment');
    const error = await rejection(submitFiling(deps, { programId: 'liaoning-cso', filing: liaoning }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(paths(error)).toEqual(['attachments attachment_required']);
    expect((error as ValidationError).issues[0]?.message.zh).toContain('企业意见（盖章）');

    const none = filing();
    delete none.attachments;
    expect(paths(await rejection(submitFiling(deps, { programId: 'liaoning-cso', filing: none })))).toEqual([
      'attachments attachment_required',
      'attachments attachment_required',
    ]);

    const anhui = filing({ role: 'director', unit: '340100', region: '340100' });
    anhui.attachments = anhui.attachments?.filter((a) => a.kind === 'appointment');
    const created = await submitFiling(deps, { programId: 'anhui-std-director', filing: anhui });
    expect(created.status).toBe('submitted');
    expect(deps.repo.creates).toHaveLength(1);
  });

  it('refuses a missing, empty, oversized or mislabelled object on its path, with every other issue at once', async () => {
    const deps = setup();
    const f = filing();
    const [endorsement, appointment] = f.attachments ?? [];
    if (!endorsement || !appointment) throw new Error('fixture');
    deps.attachments.put(endorsement.key, new Uint8Array(5 * 1024 * 1024 + 1).fill(0x25));
    appointment.contentType = 'image/jpeg'; // it is a PDF
    f.enterprise.reportingUnit = '340100';
    const error = await rejection(submitFiling(deps, { programId: 'liaoning-cso', filing: f }));
    expect(paths(error)).toEqual([
      'enterprise.reportingUnit unknown_reporting_unit',
      'attachments.0 attachment_too_large',
      'attachments.1 attachment_type_mismatch',
    ]);
    const messages = (error as ValidationError).issues.slice(1).map((i) => i.message);
    expect(messages[0]?.zh).toContain('超过 5 MB');
    expect(messages[1]).toEqual({
      zh: expect.stringContaining('不是声明的 JPEG 文件'),
      en: expect.stringContaining('not the JPEG file it is declared as'),
    });

    const g = filing();
    const [e2, a2] = g.attachments ?? [];
    if (!e2 || !a2) throw new Error('fixture');
    await deps.attachments.delete([e2.key]);
    deps.attachments.put(a2.key, new Uint8Array());
    expect(paths(await rejection(submitFiling(deps, { programId: 'liaoning-cso', filing: g })))).toEqual([
      'attachments.0 attachment_not_found',
      'attachments.1 attachment_empty',
    ]);
    expect(deps.repo.creates).toEqual([]);
    expect(deps.attachments.under('filings/')).toEqual([]);
    expect(deps.repo.starts()).toEqual([]);
  });

  it('accepts PNG and JPEG by their first bytes', async () => {
    const deps = setup();
    const f = filing();
    const [endorsement, appointment] = f.attachments ?? [];
    if (!endorsement || !appointment) throw new Error('fixture');
    deps.attachments.put(endorsement.key, PNG_HEAD);
    endorsement.contentType = 'image/png';
    deps.attachments.put(appointment.key, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]));
    appointment.contentType = 'image/jpeg';
    expect((await submitFiling(deps, { programId: 'liaoning-cso', filing: f })).status).toBe('submitted');
  });

  it('accepts only keys issued for this programme, one document per kind', async () => {
    const deps = setup();
    const f = filing();
    const [endorsement, appointment] = f.attachments ?? [];
    if (!endorsement || !appointment) throw new Error('fixture');
    f.attachments = [
      { ...endorsement, key: attachmentRefs('anhui-std-director', 1)[0]?.key ?? '' },
      appointment,
      { ...appointment },
      {
        ...appointment,
        kind: 'endorsement',
        key: 'filings/F0000000000000/endorsement-0000000000000000000000000A',
      },
    ];
    const error = await rejection(submitFiling(deps, { programId: 'liaoning-cso', filing: f }));
    expect(paths(error)).toEqual([
      'attachments.0.key attachment_key',
      'attachments.2 attachment_duplicate',
      'attachments.3 attachment_duplicate',
      'attachments.3.key attachment_key',
    ]);
    expect(deps.repo.creates).toEqual([]);
  });

  it('an amendment keeps the documents it names, replaces the others and deletes the replaced ones', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const before = (await deps.repo.get(created.filingId)).filing.attachments ?? [];
    const [keptEndorsement, oldAppointment] = before;
    if (!keptEndorsement || !oldAppointment) throw new Error('fixture');
    const fresh = attachmentRefs('liaoning-cso', 1, ['appointment'], 'amended')[0];
    if (!fresh) throw new Error('fixture');
    deps.attachments.put(fresh.key, samplePdf('amended'));
    const amended = { ...structuredClone(created.filing), attachments: [keptEndorsement, fresh] };
    await amendFiling(deps, { filingId: created.filingId, receipt: created.receiptToken, filing: amended });
    const after = (await deps.repo.get(created.filingId)).filing.attachments ?? [];
    expect(after[0]).toEqual(keptEndorsement);
    expect(after[1]?.key).toMatch(new RegExp(`^filings/${created.filingId}/appointment-`));
    expect(after[1]?.key).not.toBe(oldAppointment.key);
    expect(deps.attachments.under(`filings/${created.filingId}/`)).toEqual(after.map((a) => a.key).sort());
    expect(await deps.attachments.inspect(fresh.key)).toBeUndefined();
  });

  it('an amendment cannot name another filing’s document', async () => {
    const deps = setup();
    const other = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const created = await changesRequested(deps);
    const foreign = (await deps.repo.get(other.filingId)).filing.attachments ?? [];
    const amended = { ...structuredClone(created.filing), attachments: foreign };
    const error = await rejection(
      amendFiling(deps, { filingId: created.filingId, receipt: created.receiptToken, filing: amended }),
    );
    expect(paths(error)).toEqual(['attachments.0.key attachment_key', 'attachments.1.key attachment_key']);
    expect(deps.repo.transitions).toEqual([]);
  });

  it('a refused amendment leaves no copy behind', async () => {
    const deps = setup();
    const created = await changesRequested(deps);
    const fresh = attachmentRefs('liaoning-cso', 2, ['endorsement', 'appointment'], 'refused');
    const amended = { ...structuredClone(created.filing), attachments: fresh };
    const before = deps.attachments.under(`filings/${created.filingId}/`);
    deps.repo.transition = async () => {
      throw new ConcurrentModificationError('filing');
    };
    expect(
      await rejection(
        amendFiling(deps, { filingId: created.filingId, receipt: created.receiptToken, filing: amended }),
      ),
    ).toBeInstanceOf(ConcurrentModificationError);
    expect(deps.attachments.under(`filings/${created.filingId}/`)).toEqual(before);
  });

  it('withdrawal deletes the filing’s documents, and still withdraws when the bucket fails', async () => {
    const deps = setup();
    const created = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    const other = await submitFiling(deps, { programId: 'liaoning-cso', filing: filing() });
    await withdrawFiling(deps, { filingId: created.filingId, receipt: created.receiptToken });
    expect(deps.attachments.under(`filings/${created.filingId}/`)).toEqual([]);
    expect(deps.attachments.under(`filings/${other.filingId}/`)).toHaveLength(2);

    deps.attachments.deletePrefix = async () => {
      throw new Error('bucket unavailable');
    };
    const view = await withdrawFiling(deps, { filingId: other.filingId, receipt: other.receiptToken });
    expect(view.status).toBe('withdrawn');
  });
});
