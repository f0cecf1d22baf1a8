// The annual return's adapters: which state machine a start goes to, execution names that make
// a repeated start harmless, the batch size setting, and the messages: one per enterprise to its
// recipients, one per reviewer with its own link.
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../domain/errors.ts';
import { getProgram } from '../domain/programs/index.ts';
import type { MailMessage } from '../ports/mailer.ts';
import { unitResults } from '../use-cases/returns/answers.ts';
import { batchSizeFrom, mailReturnNotifier, sfnReturnStarter, stateMachineArn } from './return-services.ts';

const CLOUD =
  'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:standards-officer-liaoning-FilingWorkflow';
const LOCAL = 'arn:aws:states:us-east-1:000000000000:stateMachine:FilingWorkflow';

describe('stateMachineArn', () => {
  it('is the sibling of the filing workflow, in the cloud and locally', () => {
    expect(stateMachineArn('AnnualReturn', { FILING_WORKFLOW_ARN: CLOUD })).toBe(
      'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:standards-officer-liaoning-AnnualReturn',
    );
    expect(stateMachineArn('UnitReturn', { FILING_WORKFLOW_ARN: LOCAL })).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:UnitReturn',
    );
  });

  it('prefers its own variable, and refuses to guess from anything else', () => {
    expect(stateMachineArn('UnitReturn', { UNIT_RETURN_ARN: 'arn:x', FILING_WORKFLOW_ARN: LOCAL })).toBe(
      'arn:x',
    );
    expect(() => stateMachineArn('AnnualReturn', {})).toThrow(ConfigurationError);
    expect(() => stateMachineArn('AnnualReturn', { FILING_WORKFLOW_ARN: 'arn:other' })).toThrow(
      ConfigurationError,
    );
  });
});

describe('batchSizeFrom', () => {
  it('defaults to 100 and takes 1 to 500', () => {
    expect(batchSizeFrom({})).toBe(100);
    expect(batchSizeFrom({ RETURN_BATCH_SIZE: '2' })).toBe(2);
    expect(batchSizeFrom({ RETURN_BATCH_SIZE: '500' })).toBe(500);
    for (const bad of ['0', '501', '1.5', 'x']) {
      expect(() => batchSizeFrom({ RETURN_BATCH_SIZE: bad })).toThrow(ConfigurationError);
    }
  });
});

describe('sfnReturnStarter', () => {
  function fakeSfn(exists: Set<string>) {
    const sent: StartExecutionCommand[] = [];
    const client = {
      send: async (command: StartExecutionCommand) => {
        sent.push(command);
        const name = command.input.name ?? '';
        if (exists.has(name)) throw new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });
        exists.add(name);
        return {};
      },
    } as unknown as SFNClient;
    return { client, sent };
  }

  it('starts the year and each unit under derived names; a repeat is reported, not an error', async () => {
    const { client, sent } = fakeSfn(new Set());
    const starter = sfnReturnStarter(client, { FILING_WORKFLOW_ARN: LOCAL });
    expect(await starter.startProgram('liaoning-cso', '2026')).toEqual({
      execution: 'liaoning-cso-2026',
      alreadyStarted: false,
    });
    expect(await starter.startProgram('liaoning-cso', '2026')).toEqual({
      execution: 'liaoning-cso-2026',
      alreadyStarted: true,
    });
    await starter.startUnit('liaoning-cso', '2026', '21-SF');
    await starter.startUnit('liaoning-cso', '2026', '21-SF');
    expect(
      sent.map((c) => [
        c.input.stateMachineArn?.split(':').pop(),
        c.input.name,
        JSON.parse(c.input.input ?? ''),
      ]),
    ).toEqual([
      ['AnnualReturn', 'liaoning-cso-2026', { programId: 'liaoning-cso', year: '2026' }],
      ['AnnualReturn', 'liaoning-cso-2026', { programId: 'liaoning-cso', year: '2026' }],
      ['UnitReturn', 'liaoning-cso-2026-21-SF', expect.objectContaining({ unit: '21-SF', enterprises: 0 })],
      ['UnitReturn', 'liaoning-cso-2026-21-SF', expect.objectContaining({ unit: '21-SF', enterprises: 0 })],
    ]);
    expect(sent[0]).toBeInstanceOf(StartExecutionCommand);
  });

  it('lets other errors through', async () => {
    const client = {
      send: async () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
    } as unknown as SFNClient;
    await expect(
      sfnReturnStarter(client, { FILING_WORKFLOW_ARN: LOCAL }).startUnit('liaoning-cso', '2026', '210100'),
    ).rejects.toThrow('denied');
  });
});

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
