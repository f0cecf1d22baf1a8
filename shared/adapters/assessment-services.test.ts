// The assessment's adapters: which state machine a start goes to, execution names that make a
// repeated start harmless, the page size setting, and one message per recipient with its own link.
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../domain/errors.ts';
import { getProgram } from '../domain/programs/index.ts';
import type { MailMessage } from '../ports/mailer.ts';
import {
  mailAssessmentNotifier,
  pageSizeFrom,
  sfnAssessmentStarter,
  stateMachineArn,
} from './assessment-services.ts';

const CLOUD =
  'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:standards-officer-liaoning-FilingWorkflow';
const LOCAL = 'arn:aws:states:us-east-1:000000000000:stateMachine:FilingWorkflow';

describe('stateMachineArn', () => {
  it('is the sibling of the filing workflow, in the cloud and locally', () => {
    expect(stateMachineArn('AnnualAssessment', { FILING_WORKFLOW_ARN: CLOUD })).toBe(
      'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:standards-officer-liaoning-AnnualAssessment',
    );
    expect(stateMachineArn('UnitAssessment', { FILING_WORKFLOW_ARN: LOCAL })).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:UnitAssessment',
    );
  });

  it('prefers its own variable, and refuses to guess from anything else', () => {
    expect(
      stateMachineArn('UnitAssessment', { UNIT_ASSESSMENT_ARN: 'arn:x', FILING_WORKFLOW_ARN: LOCAL }),
    ).toBe('arn:x');
    expect(() => stateMachineArn('AnnualAssessment', {})).toThrow(ConfigurationError);
    expect(() => stateMachineArn('AnnualAssessment', { FILING_WORKFLOW_ARN: 'arn:other' })).toThrow(
      ConfigurationError,
    );
  });
});

describe('pageSizeFrom', () => {
  it('defaults to 100 and takes 1 to 200', () => {
    expect(pageSizeFrom({})).toBe(100);
    expect(pageSizeFrom({ ASSESSMENT_PAGE_SIZE: '2' })).toBe(2);
    expect(pageSizeFrom({ ASSESSMENT_PAGE_SIZE: '200' })).toBe(200);
    for (const bad of ['0', '201', '1.5', 'x']) {
      expect(() => pageSizeFrom({ ASSESSMENT_PAGE_SIZE: bad })).toThrow(ConfigurationError);
    }
  });
});

describe('sfnAssessmentStarter', () => {
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
    const starter = sfnAssessmentStarter(client, { FILING_WORKFLOW_ARN: LOCAL });
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
      ['AnnualAssessment', 'liaoning-cso-2026', { programId: 'liaoning-cso', year: '2026' }],
      ['AnnualAssessment', 'liaoning-cso-2026', { programId: 'liaoning-cso', year: '2026' }],
      ['UnitAssessment', 'liaoning-cso-2026-21-SF', expect.objectContaining({ unit: '21-SF', pages: 0 })],
      ['UnitAssessment', 'liaoning-cso-2026-21-SF', expect.objectContaining({ unit: '21-SF', pages: 0 })],
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
      sfnAssessmentStarter(client, { FILING_WORKFLOW_ARN: LOCAL }).startUnit(
        'liaoning-cso',
        '2026',
        '210100',
      ),
    ).rejects.toThrow('denied');
  });
});

describe('mailAssessmentNotifier', () => {
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

  it('sends each reviewer their own link, as request, reminder or escalation', async () => {
    const { sent, mailer: m } = mailer();
    const notifier = mailAssessmentNotifier(m, {});
    const base = {
      program,
      year: '2026',
      unit: '210100',
      deadline: '2026-11-22T00:00:00Z',
      members: 3,
      pages: 1,
    };
    const recipients = [
      { name: 'a', email: 'a@example.cn' },
      { name: 'b', email: 'b@example.cn' },
    ];
    await notifier.grading({
      ...base,
      kind: 'notify',
      recipients,
      links: ['https://x/assessment/1', 'https://x/assessment/2'],
    });
    await notifier.grading({
      ...base,
      kind: 'remind',
      recipients: recipients.slice(0, 1),
      links: ['https://x/assessment/3'],
    });
    await notifier.grading({
      ...base,
      kind: 'escalate',
      recipients: recipients.slice(1),
      links: ['https://x/assessment/4'],
    });
    expect(sent.map((s) => [s.to, s.kind, s.links])).toEqual([
      [['a@example.cn'], 'assessment_request', ['https://x/assessment/1']],
      [['b@example.cn'], 'assessment_request', ['https://x/assessment/2']],
      [['a@example.cn'], 'assessment_reminder', ['https://x/assessment/3']],
      [['b@example.cn'], 'assessment_escalation', ['https://x/assessment/4']],
    ]);
  });

  it('alerts the operators’ address when there is one, and only logs otherwise', async () => {
    const quiet = mailer();
    await mailAssessmentNotifier(quiet.mailer, {}).failure({
      programId: 'liaoning-cso',
      year: '2026',
      error: 'Boom',
    });
    expect(quiet.sent).toEqual([]);
    const loud = mailer();
    await mailAssessmentNotifier(loud.mailer, { ALERT_EMAIL: 'ops@example.cn' }).failure({
      programId: 'liaoning-cso',
      year: '2026',
      unit: '210100',
      error: 'Boom',
    });
    expect(loud.sent.map((s) => [s.to, s.kind])).toEqual([[['ops@example.cn'], 'assessment_failure']]);
  });

  it('sends the summary to every province reviewer', async () => {
    const { sent, mailer: m } = mailer();
    const summary = {
      units: [],
      totals: {
        members: 0,
        graded: { excellent: 0, qualified: 0, basically_qualified: 0, unqualified: 0 },
        removed: 0,
        skipped: 0,
      },
      outstanding: [],
      unfinished: [],
    };
    await mailAssessmentNotifier(m, {}).summary({
      program,
      year: '2026',
      summary,
      recipients: program.provinceReviewers,
    });
    expect(sent.map((s) => s.to[0])).toEqual(program.provinceReviewers.map((r) => r.email));
  });
});
