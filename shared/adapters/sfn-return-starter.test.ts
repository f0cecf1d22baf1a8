// The annual return's starts: which state machine a start goes to and execution names that make
// a repeated start harmless.
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../domain/errors.ts';
import { sfnReturnStarter, stateMachineArn } from './sfn-return-starter.ts';

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
