// Wiring of the annual return, once per process: the table, the Step Functions client
// (AWS_ENDPOINT_URL_SFN locally), the mailer for the workflow steps (the return pages and the
// staff routes send no mail, so their functions bundle no mailer), and the adapters of the
// return's ports: starting executions by derived names and sending its messages.
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ANNUAL_RETURN_ARN_ENV, FILING_WORKFLOW_ARN_ENV, UNIT_RETURN_ARN_ENV } from '#workflows/functions.ts';
import {
  annualExecutionName,
  initialAnnualState,
  initialUnitState,
  unitExecutionName,
} from '#workflows/return-state.ts';
import { ALERT_EMAIL_ENV, ALERT_URL_ENV } from '../adapters/mail/notifier.ts';
import { sfnTaskCallbacks } from '../adapters/sfn-workflow.ts';
import { requireEnv } from '../config/env.ts';
import { createReturnStore } from '../data/return-store.ts';
import { ConfigurationError } from '../domain/errors.ts';
import { getProgram } from '../domain/programs/index.ts';
import { logger } from '../observability/logger.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { ReturnNotifier, ReturnStarter } from '../ports/returns.ts';
import type { ReturnPageDeps } from '../use-cases/returns/pages.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from '../use-cases/returns/plan.ts';
import type { ReturnStartDeps } from '../use-cases/returns/start.ts';
import { type ReturnDeps, returnSteps } from '../use-cases/returns/steps.ts';
import {
  type ReturnEmail,
  returnEscalation,
  returnFailure,
  returnReminder,
  returnRequest,
  returnResults,
  returnSummary,
} from '../views/return-mails.ts';
import { filingTableAccess } from './filing-table-access.ts';
import { PUBLIC_API_URL_ENV } from './review-services.ts';
import { tableAccess } from './table-access.ts';

/** Enterprises mailed, or removals applied, per workflow task (default 100, at most 500). */
export const RETURN_BATCH_SIZE_ENV = 'RETURN_BATCH_SIZE';

export function batchSizeFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[RETURN_BATCH_SIZE_ENV];
  if (raw === undefined || raw === '') return DEFAULT_BATCH_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE) {
    throw new ConfigurationError(`${RETURN_BATCH_SIZE_ENV} must be an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  return n;
}

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

export function mailReturnNotifier(mailer: Mailer, env: NodeJS.ProcessEnv = process.env): ReturnNotifier {
  const send = (to: string[], content: ReturnEmail) =>
    mailer.send({
      to,
      subject: content.subject,
      text: content.text,
      html: content.html,
      kind: content.kind,
      links: content.links,
    });
  return {
    async enterprise(notice) {
      const build = notice.kind === 'notify' ? returnRequest : returnReminder;
      await send(
        notice.enterprise.recipients,
        build(notice.program, {
          year: notice.year,
          enterprise: notice.enterprise,
          deadline: notice.deadline,
          url: notice.link,
        }),
      );
    },
    async summary(notice) {
      const build = notice.kind === 'escalate' ? returnEscalation : returnSummary;
      for (const [i, recipient] of notice.recipients.entries()) {
        await send(
          [recipient.email],
          build(notice.program, {
            year: notice.year,
            unit: notice.unit,
            results: notice.results,
            deadline: notice.deadline,
            url: notice.links[i] ?? '',
          }),
        );
      }
    },
    async results(notice) {
      const content = returnResults(notice.program, notice.year, notice.units);
      for (const recipient of notice.recipients) await send([recipient.email], content);
    },
    async failure(notice) {
      logger.error('alert: annual return failure', notice);
      const alertTo = env[ALERT_EMAIL_ENV];
      if (!alertTo) return;
      await send(
        [alertTo],
        returnFailure(getProgram(notice.programId), {
          year: notice.year,
          ...(notice.unit ? { unit: notice.unit } : {}),
          error: notice.error,
          at: new Date().toISOString(),
          url: env[ALERT_URL_ENV] ?? 'https://console.amazonaws.cn/states/home',
        }),
      );
    },
  };
}

function returnStore() {
  const { doc, tableName } = tableAccess();
  return createReturnStore(doc, tableName);
}

let steps: ReturnType<typeof returnSteps> | undefined;

/**
 * The workflow steps (ReturnStep, ReturnWait): table, filings, mail, Step Functions. The
 * handler passes the mailer's factory, so the pages and staff functions, which share this
 * module but never send mail, bundle no mailer.
 */
export function returnWorkflowServices(createMailer: () => Mailer) {
  if (!steps) {
    const sfn = new SFNClient({});
    const deps: ReturnDeps = {
      repo: filingTableAccess().repo,
      store: returnStore(),
      starter: sfnReturnStarter(sfn),
      notifier: mailReturnNotifier(createMailer()),
      tasks: sfnTaskCallbacks(sfn),
      apiBaseUrl: requireEnv(PUBLIC_API_URL_ENV).replace(/\/$/, ''),
      batchSize: batchSizeFrom(),
    };
    steps = returnSteps(deps);
  }
  return steps;
}

let pages: ReturnPageDeps | undefined;

/** The return pages and their POST: the table and the task callbacks, no mailer. */
export function returnPageServices(): ReturnPageDeps {
  pages ??= { store: returnStore(), tasks: sfnTaskCallbacks(new SFNClient({})) };
  return pages;
}

let staff: ReturnStartDeps | undefined;

/** Starting the year (staff route, schedule) and reading where it stands. */
export function returnStartServices(): ReturnStartDeps {
  staff ??= { store: returnStore(), starter: sfnReturnStarter(new SFNClient({})), now: () => new Date() };
  return staff;
}
