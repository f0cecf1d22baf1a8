// Wiring of the annual assessment, once per process: the table, the Step Functions client
// (AWS_ENDPOINT_URL_SFN locally), the mailer for the workflow steps (the grading pages and the
// staff routes send no mail, so their functions bundle no mailer), and the adapters of the
// assessment's ports: starting executions by derived names and sending its messages.
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  annualExecutionName,
  initialAnnualState,
  initialUnitState,
  unitExecutionName,
} from '#workflows/assessment-state.ts';
import {
  ANNUAL_ASSESSMENT_ARN_ENV,
  FILING_WORKFLOW_ARN_ENV,
  UNIT_ASSESSMENT_ARN_ENV,
} from '#workflows/functions.ts';
import { ENV, requireEnv } from '../config/env.ts';
import { createAssessmentStore } from '../data/assessment-store.ts';
import { createDocumentClient } from '../data/client.ts';
import { createFilingRepository } from '../data/filing-repository.ts';
import { keyedHasherFromEnv } from '../data/keyed-hash.ts';
import { ConfigurationError } from '../domain/errors.ts';
import { getProgram } from '../domain/programs/index.ts';
import { logger } from '../observability/logger.ts';
import type { Mailer } from '../ports/mailer.ts';
import {
  type AssessmentEmail,
  assessmentEscalation,
  assessmentFailure,
  assessmentReminder,
  assessmentRequest,
  assessmentSummary,
} from '../use-cases/assessment/emails.ts';
import type { GradingDeps } from '../use-cases/assessment/grading.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../use-cases/assessment/plan.ts';
import type { AssessmentNotifier, AssessmentStarter } from '../use-cases/assessment/ports.ts';
import type { AssessmentStartDeps } from '../use-cases/assessment/start.ts';
import { type AssessmentDeps, assessmentSteps } from '../use-cases/assessment/steps.ts';
import { ALERT_EMAIL_ENV, ALERT_URL_ENV } from './mail/notifier.ts';
import { PUBLIC_API_URL_ENV } from './review-services.ts';
import { sfnTaskCallbacks } from './sfn-workflow.ts';

/** Members per page of a unit's batch (default 100, at most 200). */
export const ASSESSMENT_PAGE_SIZE_ENV = 'ASSESSMENT_PAGE_SIZE';

export function pageSizeFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[ASSESSMENT_PAGE_SIZE_ENV];
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new ConfigurationError(`${ASSESSMENT_PAGE_SIZE_ENV} must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return n;
}

/**
 * The ARN of one of the assessment's state machines: its own variable when the stack sets it,
 * otherwise the sibling of the filing workflow's (both the CDK app and the local runtime name
 * machines `<prefix><id>`, infra/names.ts and infra/local/sfn/local-workflows.ts).
 */
export function stateMachineArn(
  id: 'AnnualAssessment' | 'UnitAssessment',
  env: NodeJS.ProcessEnv = process.env,
): string {
  const own = env[id === 'AnnualAssessment' ? ANNUAL_ASSESSMENT_ARN_ENV : UNIT_ASSESSMENT_ARN_ENV];
  if (own) return own;
  const filing = env[FILING_WORKFLOW_ARN_ENV];
  if (!filing?.endsWith(':FilingWorkflow') && !filing?.endsWith('-FilingWorkflow')) {
    throw new ConfigurationError(`no state machine ARN for ${id}`);
  }
  return `${filing.slice(0, -'FilingWorkflow'.length)}${id}`;
}

export function sfnAssessmentStarter(
  sfn: SFNClient,
  env: NodeJS.ProcessEnv = process.env,
): AssessmentStarter {
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
        stateMachineArn('AnnualAssessment', env),
        name,
        initialAnnualState(programId, year),
      );
      return { execution: name, alreadyStarted };
    },
    async startUnit(programId, year, unit) {
      await start(
        stateMachineArn('UnitAssessment', env),
        unitExecutionName(programId, year, unit),
        initialUnitState(programId, year, unit),
      );
    },
  };
}

export function mailAssessmentNotifier(
  mailer: Mailer,
  env: NodeJS.ProcessEnv = process.env,
): AssessmentNotifier {
  const send = (to: string, content: AssessmentEmail) =>
    mailer.send({
      to: [to],
      subject: content.subject,
      text: content.text,
      html: content.html,
      kind: content.kind,
      links: content.links,
    });
  return {
    async grading(notice) {
      const build = { notify: assessmentRequest, remind: assessmentReminder, escalate: assessmentEscalation }[
        notice.kind
      ];
      for (const [i, recipient] of notice.recipients.entries()) {
        const content = build(notice.program, {
          year: notice.year,
          unit: notice.unit,
          members: notice.members,
          pages: notice.pages,
          deadline: notice.deadline,
          url: notice.links[i] ?? '',
        });
        await send(recipient.email, content);
      }
    },
    async summary(notice) {
      const content = assessmentSummary(notice.program, notice.year, notice.summary);
      for (const recipient of notice.recipients) await send(recipient.email, content);
    },
    async failure(notice) {
      logger.error('alert: annual assessment failure', notice);
      const alertTo = env[ALERT_EMAIL_ENV];
      if (!alertTo) return;
      await send(
        alertTo,
        assessmentFailure(getProgram(notice.programId), {
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

function base() {
  const doc = createDocumentClient();
  const tableName = requireEnv(ENV.tableName);
  return { doc, tableName, store: createAssessmentStore(doc, tableName) };
}

let steps: ReturnType<typeof assessmentSteps> | undefined;

/**
 * The workflow steps (AssessmentStep, AssessmentWait): table, filings, mail, Step Functions.
 * The handler passes the mailer's factory, so the pages and staff functions, which share this
 * module but never send mail, bundle no mailer.
 */
export function assessmentWorkflowServices(createMailer: () => Mailer) {
  if (!steps) {
    const { doc, tableName, store } = base();
    const sfn = new SFNClient({});
    const deps: AssessmentDeps = {
      repo: createFilingRepository({ doc, tableName, hasher: keyedHasherFromEnv() }),
      store,
      starter: sfnAssessmentStarter(sfn),
      notifier: mailAssessmentNotifier(createMailer()),
      tasks: sfnTaskCallbacks(sfn),
      apiBaseUrl: requireEnv(PUBLIC_API_URL_ENV).replace(/\/$/, ''),
      pageSize: pageSizeFrom(),
    };
    steps = assessmentSteps(deps);
  }
  return steps;
}

let grading: GradingDeps | undefined;

/** The grading page and its POST: the table and the task callbacks, no mailer. */
export function assessmentGradingServices(): GradingDeps {
  grading ??= { store: base().store, tasks: sfnTaskCallbacks(new SFNClient({})) };
  return grading;
}

let staff: AssessmentStartDeps | undefined;

/** Starting the year (staff route, schedule) and reading its results. */
export function assessmentStartServices(): AssessmentStartDeps {
  staff ??= { store: base().store, starter: sfnAssessmentStarter(new SFNClient({})), now: () => new Date() };
  return staff;
}
