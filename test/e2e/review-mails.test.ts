// What the review workflow tells people, through the real local runtime with its workflow
// engine: the applicant is told when the filing is received (with the status link) and when
// the city approves it; the reminders count the days left against the city's own deadline;
// an escalation of an overdue city review is an event of the filing's history, which staff
// and the applicant (with the receipt) both see, labelled in Chinese and English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver, type OutboxItem } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;
let provinceToken: string;
const LIAONING = 'liaoning-cso';

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
  provinceToken = await issueStaffToken(staffKeyFile(runtime.localDir), {
    scopes: [{ role: 'province', programId: LIAONING }],
    subject: 'staff-province-mails',
  });
});

afterAll(async () => {
  await runtime?.stop();
});

interface Filed {
  filingId: string;
  receiptToken: string;
  email: string;
}

async function submit(n: number, unit = '210100'): Promise<Filed> {
  const filing = validFiling({ n, unit });
  const res = await api.submit(LIAONING, filing);
  expect(res.status).toBe(201);
  const body = res.body as unknown as { filingId: string; receiptToken: string };
  return { ...body, email: filing.person.email };
}

/** A mail of `kind` to the applicant of `f`, about that filing (its status link names it). */
const applicantMail = (f: Filed, kind: string) =>
  api.waitForMail(
    kind,
    (m) => m.to.includes(f.email) && m.links.some((l) => l.includes(`f=${f.filingId}&`)),
    20_000,
  );

/** The newest review link of `kind` whose page is about this filing (GET changes nothing). */
async function linkFor(filingId: string, kind = 'review_request'): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const mail of (await api.outbox()).filter((m) => m.kind === kind)) {
      for (const link of mail.links) {
        const page = await api.reviewPage(link);
        if (page.status === 200 && page.text.includes(filingId)) return link;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} link for ${filingId}`);
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const statusLinkOf = (f: Filed) => `/status.html#f=${f.filingId}&r=${f.receiptToken}`;

function expectApplicantMail(mail: OutboxItem, f: Filed) {
  expect(mail.to).toEqual([f.email]);
  expect(mail.links).toHaveLength(1);
  expect(mail.links[0]?.endsWith(statusLinkOf(f))).toBe(true);
  // The subject names the person only masked, as the other applicant mails do.
  expect(mail.subject).toContain('张*');
  expect(mail.subject).not.toContain('张伟');
}

describe('the applicant’s mails', () => {
  it('received on submission, and city approved when the city approves: each once, with the status link', async () => {
    const f = await submit(86_001);
    const received = await applicantMail(f, 'applicant_received');
    expectApplicantMail(received, f);
    expect(received.subject).toContain('备案已受理');

    const link = await linkFor(f.filingId);
    await api.settled();
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(200);
    await eventually(
      async () => (await api.status(f.filingId, f.receiptToken)).body.status === 'province_review',
      'province_review',
    );
    const approved = await applicantMail(f, 'applicant_city_approved');
    expectApplicantMail(approved, f);
    expect(approved.subject).toContain('市局审核通过');
    await api.settled();
    const mine = (await api.outbox()).filter((m) => m.to.includes(f.email));
    expect(mine.map((m) => m.kind).sort()).toEqual(['applicant_city_approved', 'applicant_received']);
  });

  it('the city’s rejection is mailed to the applicant too (no received mail twice)', async () => {
    const f = await submit(86_002);
    await applicantMail(f, 'applicant_received');
    const link = await linkFor(f.filingId);
    await api.settled();
    expect((await api.decide(link, { decision: 'reject', reason: '培训证书无法核实' })).status).toBe(200);
    const rejected = await applicantMail(f, 'applicant_rejected');
    expectApplicantMail(rejected, f);
    await api.settled();
    const mine = (await api.outbox()).filter((m) => m.to.includes(f.email));
    expect(mine.map((m) => m.kind).sort()).toEqual(['applicant_received', 'applicant_rejected']);
  });
});

describe('an overdue city review', () => {
  it('reminds with the days left to the city’s deadline, then escalates: an event staff and the applicant see', async () => {
    const f = await submit(86_003, '210400');
    await linkFor(f.filingId);
    await api.settled();
    const historyOf = async () =>
      (await api.status(f.filingId, f.receiptToken)).body.history as {
        action: string;
        by: string;
        from: string;
        to: string;
        actionLabel?: { zh: string; en: string };
      }[];
    expect((await historyOf()).map((h) => h.action)).toEqual(['submit', 'start_city_review']);

    // Day 3: the first reminder. The city has 14 days, so 11 are left (not the link's 32).
    expect((await api.tick('3d')).status).toBe(200);
    await api.settled();
    const reminder = await api.waitForMail('review_reminder', (m) => m.subject.includes('抚顺'));
    expect(reminder.subject).toContain('还剩11天');
    // Days 7 and 14: the second reminder, then the escalation to the province.
    for (const by of ['4d', '7d']) {
      expect((await api.tick(by)).status).toBe(200);
      await api.settled();
    }
    await linkFor(f.filingId, 'review_escalation');

    const history = await historyOf();
    expect(history.map((h) => h.action)).toEqual(['submit', 'start_city_review', 'escalate']);
    expect(history.at(-1)).toMatchObject({
      action: 'escalate',
      by: 'system',
      from: 'city_review',
      to: 'city_review',
      actionLabel: { zh: '市局逾期未审核，转省局处理', en: 'City review overdue: handed to the province' },
    });
    expect((await api.status(f.filingId, f.receiptToken)).body.status).toBe('city_review');

    const staff = await api.call<{ history: { action: string; by: string; actionLabel: unknown }[] }>(
      'GET',
      `/staff/filings/${f.filingId}`,
      { headers: { authorization: `Bearer ${provinceToken}` } },
    );
    expect(staff.status).toBe(200);
    expect(staff.body.history.at(-1)).toMatchObject({
      action: 'escalate',
      by: 'system',
      actionLabel: { zh: '市局逾期未审核，转省局处理', en: 'City review overdue: handed to the province' },
    });
    // One escalation, however the engine settles.
    await api.settled();
    expect((await historyOf()).filter((h) => h.action === 'escalate')).toHaveLength(1);
  });
});
