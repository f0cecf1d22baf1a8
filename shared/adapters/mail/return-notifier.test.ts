// The annual return's messages: one per enterprise to its recipients, one per reviewer with its
// own link.
import { describe, expect, it } from 'vitest';
import { getProgram } from '../../domain/programs/index.ts';
import type { MailMessage } from '../../ports/mailer.ts';
import { unitResults } from '../../use-cases/returns/answers.ts';
import { mailReturnNotifier } from './return-notifier.ts';

describe('mailReturnNotifier', () => {
  const program = getProgram('liaoning-cso');
  function mailer() {
    const sent: MailMessage[] = [];
    return {
      sent,
      mailer: {
        send: async (m: MailMessage) => {
          sent.push(m);
          return { messageId: String(sent.length) };
        },
      },
    };
  }
  const enterprise = {
    programId: program.id,
    year: '2026',
    unit: '210100',
    seq: 1,
    uscc: '91210100MA0XYW122Q',
    name: '沈阳示例机械制造有限公司',
    recipients: ['contact@example.cn'],
    fallback: false,
    members: [{ filingId: 'F1', name: '张*', role: 'cso', position: '副总经理' }],
  };

  it('sends an enterprise one mail to its recipients, as request or reminder, naming its people masked', async () => {
    const { sent, mailer: m } = mailer();
    const notifier = mailReturnNotifier(m, {});
    const base = { program, year: '2026', enterprise, deadline: '2026-11-22T00:00:00Z' };
    await notifier.enterprise({ ...base, kind: 'notify', link: 'https://x/return/1' });
    await notifier.enterprise({ ...base, kind: 'remind', link: 'https://x/return/2' });
    expect(sent.map((s) => [s.to, s.kind, s.links])).toEqual([
      [['contact@example.cn'], 'return_request', ['https://x/return/1']],
      [['contact@example.cn'], 'return_reminder', ['https://x/return/2']],
    ]);
    expect(sent[0]?.text).toContain('张*');
    expect(sent[0]?.text).toContain('优秀 / 合格 / 不合格');
  });

  it('sends each reviewer their own summary link, the province the escalation', async () => {
    const { sent, mailer: m } = mailer();
    const notifier = mailReturnNotifier(m, {});
    const base = {
      program,
      year: '2026',
      unit: '210100',
      deadline: '2026-12-06T00:00:00Z',
      results: unitResults('210100', []),
    };
    const recipients = [
      { name: 'a', email: 'a@example.cn' },
      { name: 'b', email: 'b@example.cn' },
    ];
    await notifier.summary({
      ...base,
      kind: 'notify',
      recipients,
      links: ['https://x/return/a', 'https://x/return/b'],
    });
    await notifier.summary({
      ...base,
      kind: 'escalate',
      recipients: recipients.slice(1),
      links: ['https://x/return/c'],
    });
    expect(sent.map((s) => [s.to, s.kind, s.links])).toEqual([
      [['a@example.cn'], 'return_summary', ['https://x/return/a']],
      [['b@example.cn'], 'return_summary', ['https://x/return/b']],
      [['b@example.cn'], 'return_escalation', ['https://x/return/c']],
    ]);
  });

  it('alerts the operators’ address when there is one, and only logs otherwise', async () => {
    const quiet = mailer();
    await mailReturnNotifier(quiet.mailer, {}).failure({
      programId: 'liaoning-cso',
      year: '2026',
      error: 'Boom',
    });
    expect(quiet.sent).toEqual([]);
    const loud = mailer();
    await mailReturnNotifier(loud.mailer, { ALERT_EMAIL: 'ops@example.cn' }).failure({
      programId: 'liaoning-cso',
      year: '2026',
      unit: '210100',
      error: 'Boom',
    });
    expect(loud.sent.map((s) => [s.to, s.kind])).toEqual([[['ops@example.cn'], 'return_failure']]);
  });

  it('sends the year’s results to every province reviewer', async () => {
    const { sent, mailer: m } = mailer();
    await mailReturnNotifier(m, {}).results({
      program,
      year: '2026',
      units: [],
      recipients: program.provinceReviewers,
    });
    expect(sent.map((s) => [s.to[0], s.kind])).toEqual(
      program.provinceReviewers.map((r) => [r.email, 'return_results']),
    );
  });
});
