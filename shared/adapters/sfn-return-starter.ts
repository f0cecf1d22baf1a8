// The annual return's ReturnStarter on Step Functions: one execution per programme and year
// (AnnualReturn) and per unit (UnitReturn), under names derived from them, so a repeated start
// finds the execution already there instead of starting a second one.
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  annualExecutionName,
  initialAnnualState,
  initialUnitState,
  unitExecutionName,
} from '#workflows/return-state.ts';
import { ANNUAL_RETURN_ARN_ENV, FILING_WORKFLOW_ARN_ENV, UNIT_RETURN_ARN_ENV } from '../config/env.ts';
import { ConfigurationError } from '../domain/errors.ts';
import type { ReturnStarter } from '../ports/returns.ts';

/**
 * The ARN of one of the return's state machines: its own variable when the stack sets it,
 * otherwise the sibling of the filing workflow's (both the CDK app and the local runtime name
 * machines `<prefix><id>`, infra/names.ts and infra/local/sfn/local-workflows.ts).
 */
export function stateMachineArn(
  id: 'AnnualReturn' | 'UnitReturn',
  env: NodeJS.ProcessEnv = process.env,
): string {
  const own = env[id === 'AnnualReturn' ? ANNUAL_RETURN_ARN_ENV : UNIT_RETURN_ARN_ENV];
  if (own) return own;
  const filing = env[FILING_WORKFLOW_ARN_ENV];
  if (!filing?.endsWith(':FilingWorkflow') && !filing?.endsWith('-FilingWorkflow')) {
    throw new ConfigurationError(`no state machine ARN for ${id}`);
  }
  return `${filing.slice(0, -'FilingWorkflow'.length)}${id}`;
}

export function sfnReturnStarter(sfn: SFNClient, env: NodeJS.ProcessEnv = process.env): ReturnStarter {
  async function start(arn: string, name: string, input: unknown): Promise<boolean> {
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
      return false;
    } catch (error) {
      // The name is derived from programme, year (and unit): started before, it goes on.
      if (error instanceof ExecutionAlreadyExists) return true;
      throw error;
    }
  }
  return {
    async startProgram(programId, year) {
      const name = annualExecutionName(programId, year);
      const alreadyStarted = await start(
        stateMachineArn('AnnualReturn', env),
        name,
        initialAnnualState(programId, year),
      );
      return { execution: name, alreadyStarted };
    },
    async startUnit(programId, year, unit) {
      await start(
        stateMachineArn('UnitReturn', env),
        unitExecutionName(programId, year, unit),
        initialUnitState(programId, year, unit),
      );
    },
  };
}
