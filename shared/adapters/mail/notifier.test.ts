// The notifier against a fake mailer: who gets which message with which link, and that no
// message carries a clear ID number or mobile number.
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../../test/support/fixtures.ts';
import { ALERT_CONSOLE_URL_ENV, ALERT_EMAIL_ENV } from '../../config/env.ts';
import { toStoredFiling } from '../../data/filing-body-item.ts';
import { parseFiling } from '../../domain/filing.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { FilingRecord } from '../../ports/filings.ts';
import type { Mailer, MailMessage } from '../../ports/mailer.ts';
import type { ApplicantNotice } from '../../ports/notifier.ts';
import { mailNotifier } from './notifier.ts';

const program = getProgram('liaoning-cso');
const API = 'https://api.example.cn';
const STATUS = 'https://site.example.cn/status.html#f=F0000000000601&r=receipt-token';

function fakeMailer() {
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    async send(message) {
      sent.push(message);
      return { messageId: `m-${sent.length}` };
    },
  };
  return { mailer, sent };
}

let n = 600_000;
function record(options: { warnings?: boolean } = {}) {
  const k = n++;
  const filing = parseFiling(validFiling({ n: k }));
  const filingId = `F${String(k).padStart(13, '0')}`;
  const rec: FilingRecord = {
    filingId,
    programId: program.id,
    createdAt: '2025-06-01T02:00:00.000Z',
    filing: toStoredFiling(filing),
    warnings: options.warnings
      ? [
          {
            path: 'person.education',
            code: 'specialist-qualification',
            message: { zh: '标准化专员一般应具备大专以上学历', en: 'x' },
          },
        ]
      : [],
    state: 'city_review',
    version: 2,
    lastEvent: {
      filingId,
      version: 2,
      action: 'start_city_review',
      actor: { role: 'system' },
      from: 'submitted',
      to: 'city_review',
      at: '2025-06-01T02:00:00.000Z',
      programId: program.id,
      unit: '210100',
      role: 'cso',
    },
  };
  return { record: rec, idNumber: filing.person.idNumber, mobile: filing.person.mobile };
}

/** Subject, text and HTML of a message, for "contains / does not contain" checks. */
const whole = (m: MailMessage) => `${m.subject}\n${m.text}\n${m.html}`;

function expectNoClearPersonalData(messages: MailMessage[], clear: string[]) {
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    for (const value of clear) expect(whole(m), `${m.kind} leaks ${value}`).not.toContain(value);
  }
}

const deadline = () => new Date(Date.now() + 10 * 86_400_000).toISOString();

describe('review notices', () => {
  it('one message per recipient, each with its own link only', async () => {
    const { mailer, sent } = fakeMailer();
    const { record: rec } = record();
    const recipients = [
      { name: '甲', email: 'a@liaoning-cso.example.cn' },
      { name: '乙', email: 'b@liaoning-cso.example.cn' },
    ];
    const links = [`${API}/review/${'A'.repeat(43)}`, `${API}/review/${'B'.repeat(43)}`];
    await mailNotifier(mailer, {}).review({
      program,
      record: rec,
      kind: 'notify',
      recipients,
      links,
      deadline: deadline(),
    });
    expect(sent).toHaveLength(2);
    for (const [i, m] of sent.entries()) {
      expect(m.to).toEqual([recipients[i]?.email]);
      expect(m.kind).toBe('review_request');
      expect(m.links).toEqual([links[i]]);
      expect(m.text).toContain(links[i]);
      expect(m.text).not.toContain(links[1 - i]);
      expect(m.html).not.toContain(links[1 - i]);
      expect(m.text).toContain(rec.filingId);
      expect(m.subject).toContain('请审核备案');
    }
  });

  it('a reminder says how many days are left; an escalation goes out as such', async () => {
    const { mailer, sent } = fakeMailer();
    const { record: rec } = record();
    const base = {
      program,
      record: rec,
      recipients: [{ name: '甲', email: 'a@liaoning-cso.example.cn' }],
      links: [`${API}/review/${'C'.repeat(43)}`],
    };
    const notifier = mailNotifier(mailer, {});
    await notifier.review({ ...base, kind: 'remind', deadline: deadline() });
    await notifier.review({ ...base, kind: 'escalate', deadline: deadline() });
    expect(sent.map((m) => m.kind)).toEqual(['review_reminder', 'review_escalation']);
    expect(sent[0]?.subject).toContain('还剩10天');
    expect(sent[1]?.subject).toContain('市局逾期未审核');
    for (const m of sent) expect(m.links).toEqual(base.links);
  });

  it('a reminder counts the days left from the workflow’s clock to the city’s deadline, not to the link’s expiry', async () => {
    const { mailer, sent } = fakeMailer();
    const { record: rec } = record();
    // Day 3 of a 14-day city stage, on the workflow's clock; the link lives 35 days from day 0.
    const start = Date.parse('2026-03-02T01:00:00Z');
    const day = (n: number) => new Date(start + n * 86_400_000).toISOString();
    await mailNotifier(mailer, {}).review({
      program,
      record: rec,
      kind: 'remind',
      recipients: [{ name: '甲', email: 'a@liaoning-cso.example.cn' }],
      links: [`${API}/review/${'D'.repeat(43)}`],
      deadline: day(14),
      linkExpiresAt: day(35),
      at: day(3),
    });
    expect(sent[0]?.subject).toContain('还剩11天');
    expect(sent[0]?.text).toContain('审核截止时间为2026-03-16 09:00（北京时间）（还剩11天）');
    expect(sent[0]?.text).toContain('审核链接有效期至2026-04-06 09:00（北京时间）');
    expect(sent[0]?.text).not.toContain('还剩32天');
  });

  it('the warnings the reviewer must check are in the message', async () => {
    const { mailer, sent } = fakeMailer();
    const { record: rec } = record({ warnings: true });
    await mailNotifier(mailer, {}).review({
      program,
      record: rec,
      kind: 'notify',
      recipients: [{ name: '甲', email: 'a@liaoning-cso.example.cn' }],
      links: [`${API}/review/${'D'.repeat(43)}`],
      deadline: deadline(),
    });
    expect(sent[0]?.text).toContain('标准化专员一般应具备大专以上学历');
  });
});

describe('applicant notices', () => {
  const outcomes: [ApplicantNotice['outcome'], string][] = [
    ['changes_requested', 'applicant_changes_requested'],
    ['rejected', 'applicant_rejected'],
    ['included', 'applicant_included'],
    ['registered', 'applicant_registered'],
    ['declined', 'applicant_declined'],
    ['expired', 'applicant_expired'],
  ];

  it.each(outcomes)('%s goes to the applicant as %s, with the status link', async (outcome, kind) => {
    const { mailer, sent } = fakeMailer();
    const { record: rec } = record();
    const reason = outcome === 'included' || outcome === 'registered' ? undefined : '请补充聘任文件编号';
    await mailNotifier(mailer, {}).applicant({
      program,
      record: rec,
      outcome,
      ...(reason ? { reason } : {}),
      statusLink: STATUS,
    });
    expect(sent).toHaveLength(1);
    const m = sent[0];
    expect(m?.to).toEqual([rec.filing.person.email]);
    expect(m?.kind).toBe(kind);
    expect(m?.links).toEqual([STATUS]);
    expect(m?.text).toContain(rec.filingId);
    if (reason) expect(m?.text).toContain(reason);
  });

  it('an expiry without a reason still goes out', async () => {
    const { mailer, sent } = fakeMailer();
    const { record: rec } = record();
    await mailNotifier(mailer, {}).applicant({
      program,
      record: rec,
      outcome: 'expired',
      statusLink: STATUS,
    });
    expect(sent.map((m) => m.kind)).toEqual(['applicant_expired']);
    expect(sent[0]?.text).not.toContain('【说明】');
  });
});

describe('province batches', () => {
  it('one message per province reviewer with its own batch link, listing every filing', async () => {
    const { mailer, sent } = fakeMailer();
    const a = record();
    const b = record({ warnings: true });
    const recipients = [
      { name: '省局甲', email: 'p1@liaoning-cso.example.cn' },
      { name: '省局乙', email: 'p2@liaoning-cso.example.cn' },
    ];
    const links = [`${API}/review/${'E'.repeat(43)}`, `${API}/review/${'F'.repeat(43)}`];
    await mailNotifier(mailer, {}).batch({
      program,
      unit: '210100',
      batchId: 'B0000000000001',
      records: [a.record, b.record],
      recipients,
      links,
    });
    expect(sent).toHaveLength(2);
    for (const [i, m] of sent.entries()) {
      expect(m.to).toEqual([recipients[i]?.email]);
      expect(m.kind).toBe('province_batch');
      expect(m.links).toEqual([links[i]]);
      expect(m.subject).toContain('沈阳市报送人员汇总（2人，批次B0000000000001）');
      expect(m.text).toContain(a.record.filing.enterprise.name);
      expect(m.text).toContain(b.record.filing.enterprise.name);
      // The warnings the city accepted go in the 备注 column.
      expect(m.text).toContain('备注：标准化专员一般应具备大专以上学历');
    }
  });
});

describe('failure alerts', () => {
  const notice = {
    filingId: 'F0000000000999',
    programId: 'liaoning-cso',
    state: 'city_review',
    error: 'Boom',
  };

  it('without ALERT_EMAIL nothing is mailed', async () => {
    const { mailer, sent } = fakeMailer();
    await mailNotifier(mailer, {}).failure(notice);
    expect(sent).toEqual([]);
  });

  it('with ALERT_EMAIL one alert goes there, pointing at the console', async () => {
    const { mailer, sent } = fakeMailer();
    await mailNotifier(mailer, { [ALERT_EMAIL_ENV]: 'ops@example.cn' }).failure(notice);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: ['ops@example.cn'], kind: 'failure_alert' });
    expect(sent[0]?.links).toEqual(['https://console.amazonaws.cn/states/home']);
    expect(sent[0]?.text).toContain('F0000000000999');
    expect(sent[0]?.text).toContain('Boom');
  });

  it('ALERT_CONSOLE_URL replaces the console link', async () => {
    const { mailer, sent } = fakeMailer();
    const env = {
      [ALERT_EMAIL_ENV]: 'ops@example.cn',
      [ALERT_CONSOLE_URL_ENV]: 'http://localhost:3000/_local/executions',
    };
    await mailNotifier(mailer, env).failure(notice);
    expect(sent[0]?.links).toEqual(['http://localhost:3000/_local/executions']);
  });
});

describe('personal data', () => {
  it('no message carries the clear ID number or mobile, even in a reviewer’s reason', async () => {
    const { mailer, sent } = fakeMailer();
    const { record: rec, idNumber, mobile } = record({ warnings: true });
    expect(JSON.stringify(rec)).not.toContain(idNumber);
    const notifier = mailNotifier(mailer, { [ALERT_EMAIL_ENV]: 'ops@example.cn' });
    const reviewer = { name: '甲', email: 'a@liaoning-cso.example.cn' };
    const link = `${API}/review/${'G'.repeat(43)}`;
    for (const kind of ['notify', 'remind', 'escalate'] as const) {
      await notifier.review({
        program,
        record: rec,
        kind,
        recipients: [reviewer],
        links: [link],
        deadline: deadline(),
      });
    }
    const reason = `证件号${idNumber}与手机${mobile}不符`;
    const outcomes = [
      'received',
      'city_approved',
      'changes_requested',
      'rejected',
      'included',
      'declined',
      'expired',
    ] as const;
    for (const outcome of outcomes) {
      await notifier.applicant({ program, record: rec, outcome, reason, statusLink: STATUS });
    }
    await notifier.batch({
      program,
      unit: '210100',
      batchId: 'B0000000000002',
      records: [rec],
      recipients: [reviewer],
      links: [link],
    });
    await notifier.failure({
      filingId: rec.filingId,
      programId: program.id,
      state: 'city_review',
      error: 'E',
    });
    expect(sent).toHaveLength(3 + 7 + 1 + 1);
    expectNoClearPersonalData(sent, [idNumber, mobile]);
    // What they show instead: the masked forms.
    expect(sent[0]?.text).toContain(rec.filing.person.idNumberMasked);
    expect(sent[0]?.text).toContain(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
  });
});
