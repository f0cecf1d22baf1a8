// Model-based test of the filing lifecycle through the API of the real local runtime, with its
// workflow engine: random sequences of submissions (new people and the same person again),
// city decisions from the emailed review links, amendments, withdrawals, city batches sent to
// the province and the province's decisions on the batch page, the annual return (opened
// by province staff, answered by the enterprises and acknowledged by the city from the emailed pages), and staff reading the filing,
// each by a random actor (the right or a wrong receipt, a live, spent or altered link, staff of
// the right or another unit or programme), and what happens after inclusion: the enterprise
// reports a member left the post or the person withdraws consent, province staff remove a
// member, and a member files again for another role or from another enterprise (the later
// filing supersedes the earlier one when it is accepted). A run works in one programme: Liaoning's approved
// filings wait for the province's batch and pool, Anhui's are registered at the city's approval
// (no province stage: no batch, the 备案完成 mail). A small model (each filing's status, the length of
// its history, the mails its applicant and the reviewers should have) is checked after every
// step: the status and history the applicant sees, the audit trail staff see, the outbox; and
// a refused command changes nothing in the table or the outbox.
//
// Replay a failure: LIFECYCLE_SEED=<seed> LIFECYCLE_PATH=<path> (printed on failure; the seed
// also at the start) npx vitest run --project e2e test/e2e/lifecycle-model.test.ts.
// LIFECYCLE_RUNS changes the number of runs; LIFECYCLE_NO_SHRINK=1 reports the first failure as is.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { ACTIVE_STATES, type FilingState, MEMBER_STATES, OPEN_STATES } from '#shared/domain/lifecycle.ts';
import { getProgram, PROGRAMS } from '#shared/domain/programs/index.ts';
import { findUnit, hasStage, type Program } from '#shared/domain/programs/program.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { recordMetrics } from '../../bench/lib/results.ts';
import { usccFor, validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type Answer, type ApiDriver, apiDriver, type OutboxItem } from './driver.ts';

const SEED = Number(process.env.LIFECYCLE_SEED ?? Date.now()) | 0;
const PATH = process.env.LIFECYCLE_PATH;
const RUNS = Number(process.env.LIFECYCLE_RUNS ?? 12);
const MAX_COMMANDS = 25;
/** At most this many filings per run (each submission waits for its review link). */
const MAX_FILINGS = 4;

/**
 * Runs alternate between the registered programmes (Liaoning's filings go on to the province's
 * batch and pool, Anhui's end registered at the city's approval: it has no province stage), and
 * each run works in its own reporting unit (a city batch takes every approved filing of a unit).
 */
const UNITS = new Map(
  PROGRAMS.map((p) => [p.id, p.reportingUnits.filter((u) => u.official).map((u) => u.code)]),
);
const APPLICANT_MAILS = [
  'applicant_changes_requested',
  'applicant_rejected',
  'applicant_included',
  'applicant_registered',
  'applicant_declined',
  'applicant_expired',
] as const;

let runtime: Runtime;
let api: ApiDriver;
let n = 960_000;
let runs = 0;
/** Steps run (each ends with a check of the whole model), by what they were and how they ended. */
const tally = new Map<string, number>();
const tokens: Record<string, string> = {};
/** Outbox messages already matched to a step (mails are looked for among the others). */
const claimed = new Set<string>();

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

// ---------------------------------------------------------------------------------------------
// The model

interface ModelFiling {
  n: number;
  email: string;
  filingId: string;
  receiptToken: string;
  status: FilingState;
  /** Length of the history the applicant sees (and transitions in the staff audit log). */
  history: number;
  /** The newest city review link emailed for it. */
  cityLink: string;
  /** The province batch link, once a city batch carried it. */
  batchLink?: string;
  /** A later filing of the person: another role (Liaoning) or another enterprise (Anhui). */
  variant?: 'role' | 'enterprise';
  /** The applicant's own removal report that ended it (a repeat answers 200 and changes nothing). */
  departedAs?: 'left_post' | 'consent_withdrawn';
  /** Province staff removed it (a repeat by the same staff member answers 200 and changes nothing). */
  removedByProvince?: boolean;
}

interface Model {
  program: Program;
  unit: string;
  reviewer: string;
  filings: ModelFiling[];
  /** Applicant mails by address and kind. */
  mails: Map<string, Map<string, number>>;
  /** Review requests to the unit's reviewer and batches of the unit to the province, this run. */
  reviewRequests: number;
  batches: number;
  /** Notices to the unit's reviewer that a person left the pool or withdrew consent, this run. */
  departures: number;
  /** Batches the province has decided (their links are spent). */
  decidedBatches: Set<string>;
  /** Outbox counts when the run started. */
  baseline: { reviewRequests: number; batches: number; departures: number };
}

const unitName = (program: Program, unit: string) => findUnit(program, unit)?.name.zh ?? unit;
const isUnitBatch = (m: OutboxItem, program: Program, unit: string) =>
  m.kind === 'province_batch' && m.subject.includes(unitName(program, unit));
/**
 * How a person files again in the run's programme: for another of its roles where it has more
 * than one (Liaoning), else from another enterprise (Anhui).
 */
const againVariant = (program: Program): 'role' | 'enterprise' =>
  program.roles.length > 1 ? 'role' : 'enterprise';
/** A filing of the run's programme: its first role (its second for a filing for another role). */
const filingFor = (model: Readonly<Model>, personN: number, variant?: 'role' | 'enterprise') => {
  const filing = validFiling({
    n: personN,
    unit: model.unit,
    role: model.program.roles[variant === 'role' ? 1 : 0]?.id ?? '',
  });
  if (variant === 'enterprise') filing.enterprise.uscc = usccFor((personN % 100_000) + 500_000, model.unit);
  return filing;
};

function expectMail(model: Model, email: string, kind: string) {
  const byKind = model.mails.get(email) ?? new Map<string, number>();
  byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  model.mails.set(email, byKind);
}

/**
 * Whether a filing of this person in this variant (none: the run's usual role and enterprise)
 * is accepted now: when nothing of theirs is active, or when their only active filing is a
 * member filing of another role or enterprise (the new one then waits to supersede it).
 */
function acceptsFiling(model: Readonly<Model>, personN: number, variant?: 'role' | 'enterprise'): boolean {
  const active = model.filings.filter((f) => f.n === personN && ACTIVE_STATES.includes(f.status));
  if (active.length === 0) return true;
  const [only] = active;
  return (
    active.length === 1 &&
    only !== undefined &&
    MEMBER_STATES.includes(only.status) &&
    only.variant !== variant
  );
}

function transition(model: Model, f: ModelFiling, to: FilingState, mail?: string) {
  f.status = to;
  f.history += 1;
  if (mail) expectMail(model, f.email, mail);
  // Accepted into the pool (or registered): the person's earlier member filing is superseded.
  if (MEMBER_STATES.includes(to)) {
    for (const g of model.filings) {
      if (g !== f && g.n === f.n && MEMBER_STATES.includes(g.status)) {
        g.status = 'superseded';
        g.history += 1;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Talking to the runtime

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 60));
  }
  throw new Error(`${what} did not happen within ${ms} ms`);
}

/** The new (unclaimed) mail of `kind` whose link opens a page naming `filingId`. */
async function newLink(kind: string, filingId: string): Promise<string> {
  return eventually(`a ${kind} mail for ${filingId}`, async () => {
    for (const mail of (await api.outbox()).filter((m) => m.kind === kind && !claimed.has(m.id))) {
      for (const link of mail.links) {
        const page = await api.reviewPage(link);
        if (page.status === 200 && page.text.includes(filingId)) {
          claimed.add(mail.id);
          return link;
        }
      }
    }
    return undefined;
  });
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const sendBatch = (cityLink: string) =>
  api.call('POST', `${new URL(cityLink).pathname}/batch`, { raw: '', headers: form });
const alter = (link: string) => {
  const url = new URL(link);
  const token = url.pathname.split('/')[2] ?? '';
  return `${url.origin}/review/${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
};
const flip = (token: string) => `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;

async function submitPerson(model: Model, personN: number, variant?: 'role' | 'enterprise'): Promise<Answer> {
  return api.submit(model.program.id, filingFor(model, personN, variant));
}

/** After a 201: the filing in the model, under city review with its emailed link. */
async function adopt(
  model: Model,
  personN: number,
  res: Answer,
  variant?: 'role' | 'enterprise',
): Promise<ModelFiling> {
  const filingId = String(res.body.filingId);
  const cityLink = await newLink('review_request', filingId);
  const f: ModelFiling = {
    n: personN,
    email: `officer${personN}@example.com`,
    filingId,
    receiptToken: String(res.body.receiptToken),
    status: 'city_review',
    history: 2, // submit, start_city_review
    cityLink,
    ...(variant ? { variant } : {}),
  };
  model.filings.push(f);
  model.reviewRequests += 1;
  return f;
}

/** What a refused command must leave alone: the whole table and the whole outbox. */
async function snapshot() {
  await api.settled();
  return { items: await api.tableItems(), mails: (await api.outbox()).map((m) => m.id).sort() };
}

async function expectUnchanged(before: Awaited<ReturnType<typeof snapshot>>) {
  const after = await snapshot();
  expect(after.mails, 'a refused command sent mail').toEqual(before.mails);
  expect(after.items, 'a refused command changed the table').toEqual(before.items);
}

/** The model against the runtime: every filing's status and history, every mail. */
async function verify(model: Model, step: string) {
  tally.set(step, (tally.get(step) ?? 0) + 1);
  await api.settled();
  for (const f of model.filings) {
    const res = await api.status(f.filingId, f.receiptToken);
    expect(res.status, f.filingId).toBe(200);
    expect(res.body.status, `status of ${f.filingId}`).toBe(f.status);
    expect((res.body.history as unknown[]).length, `history of ${f.filingId}`).toBe(f.history);
  }
  const outbox = await api.outbox();
  for (const f of model.filings) {
    const got = Object.fromEntries(
      APPLICANT_MAILS.map((kind) => [
        kind,
        outbox.filter((m) => m.kind === kind && m.to.includes(f.email)).length,
      ]),
    );
    const want = Object.fromEntries(
      APPLICANT_MAILS.map((kind) => [kind, model.mails.get(f.email)?.get(kind) ?? 0]),
    );
    expect(got, `mails to ${f.email}`).toEqual(want);
  }
  const requests = outbox.filter((m) => m.kind === 'review_request' && m.to.includes(model.reviewer)).length;
  expect(requests - model.baseline.reviewRequests, 'review requests to the unit').toBe(model.reviewRequests);
  const batches = outbox.filter((m) => isUnitBatch(m, model.program, model.unit)).length;
  expect(batches - model.baseline.batches, 'batches of the unit to the province').toBe(model.batches);
  const departures = outbox.filter(
    (m) => m.kind === 'pool_departure' && m.to.includes(model.reviewer),
  ).length;
  expect(departures - model.baseline.departures, 'departure notices to the unit').toBe(model.departures);
}

// ---------------------------------------------------------------------------------------------
// Commands

type Cmd = fc.AsyncCommand<Model, ApiDriver>;
/**
 * The filing a command acts on: three times in four one for which the command makes sense
 * (when there is one), otherwise any, so that runs get somewhere and still try the wrong ones.
 */
function pickFiling(model: Readonly<Model>, i: number, fits?: (f: ModelFiling) => boolean): ModelFiling {
  const fitting = fits ? model.filings.filter(fits) : [];
  if (i % 4 !== 0 && fitting.length > 0) return fitting[(i >> 2) % fitting.length] as ModelFiling;
  return model.filings[i % model.filings.length] as ModelFiling;
}

/** A new person files. */
class Submit implements Cmd {
  check = (m: Readonly<Model>) => m.filings.length < MAX_FILINGS;
  async run(m: Model) {
    const personN = n++;
    const res = await submitPerson(m, personN);
    expect(res.status, res.text).toBe(201);
    expect(res.body.status).toBe('submitted');
    await adopt(m, personN, res);
    await verify(m, 'submit: accepted');
  }
  toString = () => 'submit(new person)';
}

/**
 * The same person files again: refused while a filing of theirs is active (but for a member filing
 * of another role or enterprise, which the new one then waits to supersede), a new filing after.
 */
class SubmitAgain implements Cmd {
  readonly i: number;
  constructor(i: number) {
    this.i = i;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0 && m.filings.length < MAX_FILINGS;
  async run(m: Model) {
    const personN = pickFiling(m, this.i, (f) => !ACTIVE_STATES.includes(f.status)).n;
    const active = !acceptsFiling(m, personN);
    if (active) {
      const before = await snapshot();
      const res = await submitPerson(m, personN);
      expect(res.status, res.text).toBe(409);
      expect((res.body.errors as { code: string }[])[0]?.code).toBe('duplicate_person');
      await expectUnchanged(before);
    } else {
      const res = await submitPerson(m, personN);
      expect(res.status, res.text).toBe(201);
      await adopt(m, personN, res);
    }
    await verify(m, `submit again: ${active ? 'refused' : 'accepted'}`);
  }
  toString = () => `submitAgain(samePersonAs #${this.i})`;
}

type CityDecision = 'approve' | 'reject' | 'request_changes';

/** The city reviewer decides from the emailed link (or someone with an altered link). */
class CityDecide implements Cmd {
  readonly i: number;
  readonly decision: CityDecision;
  readonly withReason: boolean;
  readonly link: 'emailed' | 'altered';
  constructor(i: number, decision: CityDecision, withReason: boolean, link: 'emailed' | 'altered') {
    this.i = i;
    this.decision = decision;
    this.withReason = withReason;
    this.link = link;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0;
  async run(m: Model) {
    const f = pickFiling(m, this.i, (g) => g.status === 'city_review');
    const body: Record<string, string> = { decision: this.decision };
    if (this.withReason) body.reason = '请补充聘任文件编号（模型测试）';
    const needsReason = this.decision !== 'approve' && !this.withReason;
    const accepted = this.link === 'emailed' && f.status === 'city_review' && !needsReason;
    const before = accepted ? undefined : await snapshot();
    const res = await api.decide(this.link === 'emailed' ? f.cityLink : alter(f.cityLink), body);
    if (this.link === 'altered') expect(res.status).toBe(404);
    else if (f.status !== 'city_review') expect([409, 410]).toContain(res.status);
    else if (needsReason) expect(res.status).toBe(422);
    else expect(res.status, res.text.slice(0, 200)).toBe(200);
    if (before) await expectUnchanged(before);
    else if (this.decision === 'approve' && hasStage(m.program, 'province'))
      transition(m, f, 'province_review');
    else if (this.decision === 'approve') transition(m, f, 'registered', 'applicant_registered');
    else if (this.decision === 'reject') transition(m, f, 'rejected', 'applicant_rejected');
    else transition(m, f, 'changes_requested', 'applicant_changes_requested');
    if (accepted)
      await eventually('the decision applied', async () =>
        (await api.status(f.filingId, f.receiptToken)).body.status === f.status ? true : undefined,
      );
    const registers = this.decision === 'approve' && !hasStage(m.program, 'province');
    await verify(
      m,
      `city ${this.decision}${registers ? ' (registers)' : ''}: ${accepted ? 'accepted' : 'refused'}`,
    );
  }
  toString = () =>
    `cityDecide(#${this.i}, ${this.decision}${this.withReason ? ', with reason' : ''}, ${this.link} link)`;
}

type ReceiptChoice = 'right' | 'wrong' | 'another filing’s';
const receiptOf = (m: Readonly<Model>, f: ModelFiling, choice: ReceiptChoice) => {
  if (choice === 'right') return f.receiptToken;
  const other = m.filings.find((g) => g.filingId !== f.filingId);
  return choice === 'another filing’s' && other ? other.receiptToken : flip(f.receiptToken);
};

/** The applicant (or someone with another receipt) sends an amended filing. */
class Amend implements Cmd {
  readonly i: number;
  readonly receipt: ReceiptChoice;
  readonly valid: boolean;
  constructor(i: number, receipt: ReceiptChoice, valid: boolean) {
    this.i = i;
    this.receipt = receipt;
    this.valid = valid;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0;
  async run(m: Model) {
    const f = pickFiling(m, this.i, (g) => g.status === 'changes_requested');
    const body = filingFor(m, f.n, f.variant);
    body.person.appointment.documentNumber = `企聘〔2025〕${f.n}号`;
    if (!this.valid) body.person.mobile = '123';
    const right = this.receipt === 'right';
    const accepted = right && this.valid && f.status === 'changes_requested';
    const before = accepted ? undefined : await snapshot();
    const res = await api.amend(f.filingId, receiptOf(m, f, this.receipt), body);
    if (!this.valid) expect(right ? [422] : [404, 422]).toContain(res.status);
    else if (!right) expect(res.status).toBe(404);
    else if (!accepted) expect(res.status).toBe(409);
    else expect(res.status, res.text.slice(0, 200)).toBe(200);
    if (before) await expectUnchanged(before);
    else {
      expect(res.body.status).toBe('city_review');
      transition(m, f, 'city_review');
      // Back to city review: a new round, with a new link; the old one is spent.
      f.cityLink = await newLink('review_request', f.filingId);
      m.reviewRequests += 1;
    }
    await verify(m, `amend: ${accepted ? 'accepted' : 'refused'}`);
  }
  toString = () => `amend(#${this.i}, ${this.receipt} receipt, ${this.valid ? 'valid' : 'invalid'} body)`;
}

/** The applicant (or someone with another receipt) withdraws. */
class Withdraw implements Cmd {
  readonly i: number;
  readonly receipt: ReceiptChoice;
  constructor(i: number, receipt: ReceiptChoice) {
    this.i = i;
    this.receipt = receipt;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0;
  async run(m: Model) {
    const f = pickFiling(m, this.i, (g) => OPEN_STATES.includes(g.status));
    const accepted = this.receipt === 'right' && OPEN_STATES.includes(f.status);
    const before = accepted ? undefined : await snapshot();
    const res = await api.withdraw(f.filingId, receiptOf(m, f, this.receipt));
    expect(res.status, res.text.slice(0, 200)).toBe(accepted ? 200 : this.receipt === 'right' ? 409 : 404);
    if (before) await expectUnchanged(before);
    else transition(m, f, 'withdrawn');
    await verify(m, `withdraw: ${accepted ? 'accepted' : 'refused'}`);
  }
  toString = () => `withdraw(#${this.i}, ${this.receipt} receipt)`;
}

/**
 * City staff send the unit's approved filings to the province now, from the page of one of the
 * unit's review links: a batch of exactly the filings waiting for the province, or nothing.
 */
async function sendUnitBatch(m: Model, from: ModelFiling) {
  const waiting = m.filings.filter((g) => g.status === 'province_review' && g.batchLink === undefined);
  const before = waiting.length === 0 ? await snapshot() : undefined;
  const res = await sendBatch(from.cityLink);
  expect(res.status, res.text.slice(0, 200)).toBe(200);
  if (before) {
    expect(res.text).toContain('暂无可报送的备案');
    await expectUnchanged(before);
  } else {
    const [first] = waiting as [ModelFiling];
    const link = await newLink('province_batch', first.filingId);
    // The batch page lists exactly the unit's filings waiting for the province.
    const page = await api.reviewPage(link);
    for (const g of m.filings) {
      expect(page.text.includes(g.filingId), `${g.filingId} (${g.status}) on the batch page`).toBe(
        waiting.includes(g),
      );
    }
    for (const g of waiting) g.batchLink = link;
    m.batches += 1;
  }
  await verify(m, `send batch: ${before ? 'nothing to send' : 'sent'}`);
}

class SendBatch implements Cmd {
  readonly i: number;
  constructor(i: number) {
    this.i = i;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0;
  run = (m: Model) => sendUnitBatch(m, pickFiling(m, this.i));
  toString = () => `sendBatch(from the link of #${this.i})`;
}

/** The province decides every person of a batch on its page (include, or decline with a reason). */
class ProvinceDecide implements Cmd {
  readonly i: number;
  readonly include: boolean[];
  readonly withReasons: boolean;
  constructor(i: number, include: boolean[], withReasons: boolean) {
    this.i = i;
    this.include = include;
    this.withReasons = withReasons;
  }
  check = (m: Readonly<Model>) =>
    m.filings.some((f) => f.batchLink !== undefined || f.status === 'province_review');
  async run(m: Model) {
    // Filings approved but not sent yet go first (as the city would send them), most of the time.
    const waiting = m.filings.find((f) => f.status === 'province_review' && f.batchLink === undefined);
    if (waiting && (this.i % 4 !== 0 || !m.filings.some((f) => f.batchLink !== undefined))) {
      await sendUnitBatch(m, waiting);
    }
    // A batch still open, three times in four (when there is one); else any batch of the run.
    const batched = m.filings.filter((f) => f.batchLink !== undefined);
    const open = batched.filter((f) => !m.decidedBatches.has(f.batchLink ?? ''));
    const pool = this.i % 4 !== 0 && open.length > 0 ? open : batched;
    const link = pool[(this.i >> 2) % pool.length]?.batchLink ?? '';
    const members = m.filings.filter((f) => f.batchLink === link);
    const body: Record<string, string> = {};
    members.forEach((f, k) => {
      const include = this.include[k % this.include.length] ?? true;
      body[`decision_${f.filingId}`] = include ? 'include' : 'decline';
      if (!include && this.withReasons) body[`reason_${f.filingId}`] = '名额已满（模型测试）';
    });
    const missingReason = Object.values(body).includes('decline') && !this.withReasons;
    const decided = m.decidedBatches.has(link);
    // Everyone in it withdrew after it was sent: there is nobody left to decide on.
    const empty = !members.some((f) => f.status === 'province_review');
    const accepted = !decided && !missingReason && !empty;
    const before = accepted ? undefined : await snapshot();
    const res = await api.decide(link, body);
    if (decided) expect(res.status).toBe(409);
    else if (missingReason) expect(res.status).toBe(422);
    else if (empty) expect([200, 409]).toContain(res.status);
    else expect(res.status, res.text.slice(0, 200)).toBe(200);
    if (before) await expectUnchanged(before);
    else {
      m.decidedBatches.add(link);
      for (const f of members) {
        // A person withdrawn after the batch was sent stays withdrawn.
        if (f.status !== 'province_review') continue;
        if (body[`decision_${f.filingId}`] === 'include') transition(m, f, 'in_pool', 'applicant_included');
        else transition(m, f, 'declined', 'applicant_declined');
      }
    }
    await verify(m, `province decision: ${accepted ? 'accepted' : 'refused'}`);
  }
  toString = () =>
    `provinceDecide(batch of #${this.i}, ${this.include.map((x) => (x ? 'include' : 'decline')).join('/')}${this.withReasons ? ', with reasons' : ''})`;
}

const STAFF: Record<string, (program: Program, unit: string) => StaffScope[]> = {
  'city of the unit': (program, unit) => [{ role: 'city', programId: program.id, unit }],
  'city of another unit': (program, unit) => [
    {
      role: 'city',
      programId: program.id,
      unit: program.reportingUnits.find((u) => u.code !== unit)?.code ?? unit,
    },
  ],
  province: (program) => [{ role: 'province', programId: program.id }],
  auditor: (program) => [{ role: 'auditor', programId: program.id }],
  'province of another programme': (program) => [
    { role: 'province', programId: PROGRAMS.find((p) => p.id !== program.id)?.id ?? '' },
  ],
};
const STAFF_MAY_READ = ['city of the unit', 'province', 'auditor'];
const STAFF_MAY_AUDIT = ['province', 'auditor'];

async function staffToken(who: string, program: Program, unit: string): Promise<string> {
  const key = `${who}@${program.id}/${unit}`;
  tokens[key] ??= await issueStaffToken(staffKeyFile(runtime.localDir), {
    scopes: STAFF[who]?.(program, unit) ?? [],
    subject: `model-${who.replaceAll(' ', '-')}`,
  });
  return tokens[key];
}

/** Tokens of those who may try to open the annual return, for the run's unit. */
const tokensFor: Record<string, string> = {};
async function startersFor(program: Program, unit: string) {
  for (const who of ['province', 'city of the unit', 'auditor'])
    tokensFor[who] = await staffToken(who, program, unit);
}

/** Staff read the filing and its audit trail: the same status and history, or a 403 that changes nothing. */
class StaffRead implements Cmd {
  readonly i: number;
  readonly who: string;
  constructor(i: number, who: string) {
    this.i = i;
    this.who = who;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0;
  async run(m: Model) {
    const f = pickFiling(m, this.i);
    const headers = { authorization: `Bearer ${await staffToken(this.who, m.program, m.unit)}` };
    const before = STAFF_MAY_READ.includes(this.who) ? undefined : await snapshot();
    const detail = await api.call('GET', `/staff/filings/${f.filingId}`, { headers });
    if (before) {
      expect(detail.status).toBe(403);
      const audit = await api.call('GET', `/staff/filings/${f.filingId}/audit`, { headers });
      expect(audit.status).toBe(403);
      await expectUnchanged(before);
    } else {
      expect(detail.status, detail.text.slice(0, 200)).toBe(200);
      expect(detail.body.status).toBe(f.status);
      expect((detail.body.history as unknown[]).length).toBe(f.history);
      const audit = await api.call<{ lines: { kind: string }[] }>(
        'GET',
        `/staff/filings/${f.filingId}/audit`,
        {
          headers,
        },
      );
      if (STAFF_MAY_AUDIT.includes(this.who)) {
        expect(audit.status).toBe(200);
        expect(audit.body.lines.filter((l) => l.kind === 'transition')).toHaveLength(f.history);
      } else expect(audit.status).toBe(403);
    }
    await verify(m, `staff read: ${before ? 'refused' : 'read'}`);
  }
  toString = () => `staffRead(#${this.i}, ${this.who})`;
}

/** What an enterprise answers for one of its people. */
type ReturnAnswer = 'excellent' | 'qualified' | 'unqualified' | 'left';
/** Annual-return years not started yet in this runtime (one execution per programme and year). */
const YEARS = ['2026', '2025', '2024', '2023', '2022', '2021'];
/** The states the annual return covers (Liaoning's pool, Anhui's registered directors). */
const IN_RETURN: readonly string[] = ['in_pool', 'registered'];

/**
 * The annual return (激励考核, by the enterprise): province staff open a year (anyone else gets
 * a 403 that changes nothing); every enterprise answers from the link in its mail; the unit's
 * reviewer acknowledges the summary; 不合格 (Liaoning's scale) and left the post are one
 * removal each, the others stay without a new event.
 */
class AnnualReturn implements Cmd {
  readonly by: string;
  readonly answers: ReturnAnswer[];
  constructor(by: string, answers: ReturnAnswer[]) {
    this.by = by;
    this.answers = answers;
  }
  check = (m: Readonly<Model>) => YEARS.length > 0 && m.filings.some((f) => IN_RETURN.includes(f.status));
  async run(m: Model) {
    const year = YEARS[YEARS.length - 1] ?? '';
    const start = () =>
      api.call('POST', `/staff/programs/${m.program.id}/returns/${year}`, {
        headers: { authorization: `Bearer ${tokensFor[this.by] ?? ''}` },
      });
    if (this.by !== 'province') {
      const before = await snapshot();
      expect((await start()).status).toBe(403);
      await expectUnchanged(before);
      await verify(m, 'annual return: refused');
      return;
    }
    YEARS.pop();
    const started = await start();
    expect(started.status, started.text).toBe(202);
    expect(started.body.status).toBe('started');
    const members = m.filings.filter((f) => IN_RETURN.includes(f.status));
    const scale = m.program.assessment.grades as readonly string[];
    const answerOf = (id: string): ReturnAnswer => {
      const k = members.findIndex((f) => f.filingId === id);
      const a = k < 0 ? 'qualified' : (this.answers[k % this.answers.length] ?? 'qualified');
      return a === 'left' || scale.includes(a) ? a : 'qualified';
    };
    // Every enterprise of the run's members gets its mail; each answers for the people its page lists.
    const answered = new Set<string>();
    await eventually(`the ${year} returns answered`, async () => {
      await api.settled();
      const mails = (await api.outbox()).filter(
        (x) => x.kind === 'return_request' && x.subject.includes(`${year} 年度报告`),
      );
      for (const mail of mails) {
        const link = mail.links[0] ?? '';
        if (answered.has(link)) continue;
        const page = await api.call('GET', new URL(link).pathname);
        const ids = [
          ...new Set([...page.text.matchAll(/name="inpost_(F[0-9A-Z]{13})"/g)].map((x) => x[1] ?? '')),
        ];
        const body: Record<string, string> = {};
        for (const id of ids) {
          const a = answerOf(id);
          body[`inpost_${id}`] = a === 'left' ? 'no' : 'yes';
          if (a !== 'left' && scale.length > 0) body[`result_${id}`] = a;
        }
        if (page.status === 200) {
          const sent = await api.decide(link, body);
          expect(sent.status, sent.text.slice(0, 300)).toBe(200);
        }
        answered.add(link);
        for (const id of ids) answered.add(id);
      }
      return members.every((f) => answered.has(f.filingId)) ? true : undefined;
    });
    // Every enterprise answered: the collection closes at once and the reviewer acknowledges.
    const summary = await eventually(`the ${year} summary`, async () => {
      const mail = (await api.outbox()).find(
        (x) =>
          x.kind === 'return_summary' &&
          x.to.includes(m.reviewer) &&
          x.subject.includes(`${year} 年度报告汇总`),
      );
      return mail?.links[0];
    });
    await api.settled();
    const acknowledged = await api.decide(summary, { unit: m.unit, acknowledge: 'yes' });
    expect(acknowledged.status, acknowledged.text.slice(0, 300)).toBe(200);
    for (const f of members) {
      const a = answerOf(f.filingId);
      if (a === 'left' || a === 'unqualified') transition(m, f, 'removed');
    }
    await eventually('the removals applied', async () => {
      for (const f of members) {
        const view = (await api.status(f.filingId, f.receiptToken)).body;
        if ((view.history as unknown[]).length !== f.history) return undefined;
      }
      return true;
    });
    await verify(m, 'annual return: acknowledged');
  }
  toString = () => `annualReturn(started by ${this.by}, ${this.answers.join('/')})`;
}

type DepartureKind = 'left_post' | 'consent_withdrawn';

/**
 * The enterprise (or someone with another receipt) reports that a member left the post, or the
 * person withdraws consent: a member leaves the pool, a filing under review is withdrawn; the
 * city is told. A repeat of the same report answers 200 and changes nothing.
 */
class Depart implements Cmd {
  readonly i: number;
  readonly kind: DepartureKind;
  readonly receipt: ReceiptChoice;
  constructor(i: number, kind: DepartureKind, receipt: ReceiptChoice) {
    this.i = i;
    this.kind = kind;
    this.receipt = receipt;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0;
  async run(m: Model) {
    const member = (g: ModelFiling) => MEMBER_STATES.includes(g.status);
    const fits = (g: ModelFiling) =>
      member(g) || (this.kind === 'consent_withdrawn' && OPEN_STATES.includes(g.status));
    const f = pickFiling(m, this.i, fits);
    const right = this.receipt === 'right';
    const repeat = right && f.departedAs === this.kind;
    const accepted = right && fits(f);
    const before = accepted ? undefined : await snapshot();
    const body =
      this.kind === 'left_post'
        ? { kind: this.kind, leftOn: '2026-11-30', reason: 'resigned' }
        : { kind: this.kind };
    const res = await api.call('POST', `/filings/${f.filingId}/departure`, {
      body,
      headers: { authorization: `Receipt ${receiptOf(m, f, this.receipt)}` },
    });
    if (!right) expect(res.status).toBe(404);
    else if (repeat || accepted) expect(res.status, res.text.slice(0, 200)).toBe(200);
    else expect(res.status, res.text.slice(0, 200)).toBe(409);
    if (before) await expectUnchanged(before);
    else {
      transition(m, f, member(f) ? 'removed' : 'withdrawn');
      f.departedAs = this.kind;
      m.departures += 1;
    }
    await verify(m, `departure ${this.kind}: ${accepted ? 'accepted' : repeat ? 'repeated' : 'refused'}`);
  }
  toString = () => `depart(#${this.i}, ${this.kind}, ${this.receipt} receipt)`;
}

/** Staff remove a member with a reason: the province may, anyone else gets a 403 that changes nothing. */
class ProvinceRemove implements Cmd {
  readonly i: number;
  readonly who: string;
  constructor(i: number, who: string) {
    this.i = i;
    this.who = who;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0;
  async run(m: Model) {
    const f = pickFiling(m, this.i, (g) => MEMBER_STATES.includes(g.status));
    const province = this.who === 'province';
    const repeat = province && f.removedByProvince === true;
    const accepted = province && MEMBER_STATES.includes(f.status);
    const before = accepted ? undefined : await snapshot();
    const res = await api.call('POST', `/staff/filings/${f.filingId}/remove`, {
      body: { reason: '企业已注销（模型测试）' },
      headers: { authorization: `Bearer ${await staffToken(this.who, m.program, m.unit)}` },
    });
    if (!province) expect(res.status).toBe(403);
    else if (repeat || accepted) expect(res.status, res.text.slice(0, 200)).toBe(200);
    else expect(res.status, res.text.slice(0, 200)).toBe(409);
    if (before) await expectUnchanged(before);
    else {
      transition(m, f, 'removed');
      f.removedByProvince = true;
      m.departures += 1;
    }
    await verify(m, `province removal: ${accepted ? 'accepted' : repeat ? 'repeated' : 'refused'}`);
  }
  toString = () => `provinceRemove(#${this.i}, by ${this.who})`;
}

/**
 * A person files again for another role (Liaoning) or from another enterprise (Anhui): accepted
 * beside a member filing of theirs (it waits to supersede it), or as a plain new filing when
 * they have none active; refused while another filing of theirs is open.
 */
class FileAgainElsewhere implements Cmd {
  readonly i: number;
  constructor(i: number) {
    this.i = i;
  }
  check = (m: Readonly<Model>) => m.filings.length > 0 && m.filings.length < MAX_FILINGS;
  async run(m: Model) {
    const variant = againVariant(m.program);
    const personN = pickFiling(
      m,
      this.i,
      (f) => MEMBER_STATES.includes(f.status) && f.variant === undefined,
    ).n;
    const refused = !acceptsFiling(m, personN, variant);
    const before = refused ? await snapshot() : undefined;
    const res = await submitPerson(m, personN, variant);
    if (before) {
      expect(res.status, res.text.slice(0, 200)).toBe(409);
      expect((res.body.errors as { code: string }[])[0]?.code).toBe('duplicate_person');
      await expectUnchanged(before);
    } else {
      expect(res.status, res.text.slice(0, 200)).toBe(201);
      await adopt(m, personN, res, variant);
    }
    await verify(m, `file again (${variant}): ${refused ? 'refused' : 'accepted'}`);
  }
  toString = () => `fileAgainElsewhere(samePersonAs #${this.i})`;
}

/** fast-check picks among the command arbitraries evenly: a weight is that many copies. */
const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) =>
  Array.from({ length: weight }, () => arbitrary);

const submit = fc.constant(new Submit());
const submitAgain = fc.nat().map((i) => new SubmitAgain(i));
const cityDecide = fc
  .record({
    i: fc.nat(),
    decision: fc.constantFrom<CityDecision>(
      'approve',
      'approve',
      'approve',
      'request_changes',
      'request_changes',
      'reject',
    ),
    withReason: fc.constantFrom(true, true, true, false),
    link: fc.constantFrom('emailed' as const, 'emailed' as const, 'emailed' as const, 'altered' as const),
  })
  .map((c) => new CityDecide(c.i, c.decision, c.withReason, c.link));
const amend = fc
  .record({
    i: fc.nat(),
    receipt: fc.constantFrom<ReceiptChoice>('right', 'right', 'right', 'wrong', 'another filing’s'),
    valid: fc.constantFrom(true, true, true, false),
  })
  .map((c) => new Amend(c.i, c.receipt, c.valid));
const withdraw = fc
  .record({ i: fc.nat(), receipt: fc.constantFrom<ReceiptChoice>('right', 'wrong', 'another filing’s') })
  .map((c) => new Withdraw(c.i, c.receipt));
const sendBatchCmd = fc.nat().map((i) => new SendBatch(i));
const provinceDecide = fc
  .record({
    i: fc.nat(),
    include: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    withReasons: fc.constantFrom(true, true, true, false),
  })
  .map((c) => new ProvinceDecide(c.i, c.include, c.withReasons));
const annualReturn = fc
  .record({
    by: fc.constantFrom('province', 'province', 'city of the unit', 'auditor'),
    answers: fc.array(fc.constantFrom<ReturnAnswer>('excellent', 'qualified', 'unqualified', 'left'), {
      minLength: 1,
      maxLength: 3,
    }),
  })
  .map((c) => new AnnualReturn(c.by, c.answers));
const staffRead = fc
  .record({ i: fc.nat(), who: fc.constantFrom(...Object.keys(STAFF)) })
  .map((c) => new StaffRead(c.i, c.who));
const depart = fc
  .record({
    i: fc.nat(),
    kind: fc.constantFrom<DepartureKind>('left_post', 'consent_withdrawn'),
    receipt: fc.constantFrom<ReceiptChoice>('right', 'right', 'right', 'wrong', 'another filing’s'),
  })
  .map((c) => new Depart(c.i, c.kind, c.receipt));
const provinceRemove = fc
  .record({ i: fc.nat(), who: fc.constantFrom('province', 'province', 'city of the unit', 'auditor') })
  .map((c) => new ProvinceRemove(c.i, c.who));
const fileAgainElsewhere = fc.nat().map((i) => new FileAgainElsewhere(i));

// Weights: the steps that move a filing on (a city decision, a batch, the province's decision,
// the annual return) come more often than the rest, so that runs reach the pool and beyond.
const commands = [
  ...weighted(1, submit),
  ...weighted(1, submitAgain),
  ...weighted(3, cityDecide),
  ...weighted(1, amend),
  ...weighted(1, withdraw),
  ...weighted(1, sendBatchCmd),
  ...weighted(2, provinceDecide),
  ...weighted(2, annualReturn),
  ...weighted(1, staffRead),
  ...weighted(1, depart),
  ...weighted(1, provinceRemove),
  ...weighted(1, fileAgainElsewhere),
];

/**
 * After a run nothing of it may wait in its unit (a later run there would meet it in a batch):
 * what waits for the province is sent and declined, everything else still open is withdrawn.
 */
async function closeRun(model: Model) {
  await api.settled();
  const waiting = model.filings.find((f) => f.status === 'province_review' && f.batchLink === undefined);
  if (waiting) await sendBatch(waiting.cityLink);
  await api.settled();
  const links = new Set<string>();
  for (const mail of (await api.outbox()).filter((m) => m.kind === 'province_batch' && !claimed.has(m.id))) {
    claimed.add(mail.id);
    for (const link of mail.links) links.add(link);
  }
  for (const f of model.filings)
    if (f.batchLink && !model.decidedBatches.has(f.batchLink)) links.add(f.batchLink);
  for (const link of links) {
    const page = await api.reviewPage(link);
    const ids = [...new Set([...page.text.matchAll(/name="decision_(F[0-9A-Z]{13})"/g)].map((m) => m[1]))];
    if (page.status !== 200 || ids.length === 0) continue;
    await api.decide(
      link,
      Object.fromEntries(
        ids.flatMap((id) => [
          [`decision_${id}`, 'decline'],
          [`reason_${id}`, '测试结束'],
        ]),
      ),
    );
  }
  await api.settled();
  for (const f of model.filings) {
    const now = String((await api.status(f.filingId, f.receiptToken)).body.status);
    if (OPEN_STATES.includes(now as FilingState)) await api.withdraw(f.filingId, f.receiptToken);
  }
  await api.settled();
}

describe('the filing lifecycle against a model', () => {
  it('every accepted step moves the model, every refused one changes nothing', async () => {
    console.log(
      `lifecycle model: seed ${SEED}${PATH ? ` path ${PATH}` : ''} — replay with LIFECYCLE_SEED=${SEED} (and LIFECYCLE_PATH from a failure)`,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROGRAMS.map((p) => p.id)),
        fc.integer({ min: 1, max: 2 }),
        fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max' }),
        async (programId, initial, cmds) => {
          await api.settled();
          const program = getProgram(programId);
          const units = UNITS.get(program.id) ?? [];
          const unit = units[runs++ % units.length] ?? '';
          const reviewer = findUnit(program, unit)?.reviewer.contacts[0]?.email ?? '';
          const outbox = await api.outbox();
          const model: Model = {
            program,
            unit,
            reviewer,
            filings: [],
            mails: new Map(),
            reviewRequests: 0,
            batches: 0,
            departures: 0,
            decidedBatches: new Set(),
            baseline: {
              reviewRequests: outbox.filter((m) => m.kind === 'review_request' && m.to.includes(reviewer))
                .length,
              batches: outbox.filter((m) => isUnitBatch(m, program, unit)).length,
              departures: outbox.filter((m) => m.kind === 'pool_departure' && m.to.includes(reviewer)).length,
            },
          };
          await startersFor(program, unit);
          try {
            // Each run starts with a few people filed (each a checked step), then the commands.
            for (let k = 0; k < initial; k++) await new Submit().run(model);
            await fc.asyncModelRun(() => ({ model, real: api }), cmds);
          } finally {
            // A failed cleanup must not hide the failure that matters (it only spares later runs).
            await closeRun(model).catch((error: unknown) =>
              console.warn('cleanup after a run failed', error),
            );
          }
        },
      ),
      {
        seed: SEED,
        numRuns: RUNS,
        ...(PATH ? { path: PATH } : {}),
        // Shrinking replays whole runs against the runtime: it stops after this, with what it has.
        interruptAfterTimeLimit: 200_000,
        endOnFailure: process.env.LIFECYCLE_NO_SHRINK === '1',
      },
    );
    const steps = [...tally.values()].reduce((a, b) => a + b, 0);
    console.log(
      `lifecycle model: ${RUNS} runs, ${steps} steps checked: ${[...tally.entries()]
        .sort()
        .map(([step, count]) => `${step} ×${count}`)
        .join(', ')}`,
    );
    expect(steps).toBeGreaterThan(RUNS);
    const accepted = [...tally.entries()].filter(([k]) => /(accepted|sent|acknowledged|read)$/.test(k));
    recordMetrics({
      'model.steps': {
        value: steps,
        unit: 'steps',
        goal: RUNS,
        better: 'higher',
        note: `the last lifecycle model run (seed ${SEED}): ${RUNS} runs of up to ${MAX_COMMANDS} commands, each step checked against the model (status, history, mails; a refused step changes neither table nor outbox); ${accepted.reduce((a, [, c]) => a + c, 0)} steps accepted, the rest refused as the model said`,
      },
    });
  }, 600_000);
});
