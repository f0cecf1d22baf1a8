// Wiring of the annual return, once per process: the table, the Step Functions client
// (AWS_ENDPOINT_URL_SFN locally), the mailer for the workflow steps (the return pages and the
// staff routes send no mail, so their functions bundle no mailer), and the adapters of the
// return's ports (shared/adapters/sfn-return-starter.ts, shared/adapters/mail/return-notifier.ts).
import { SFNClient } from '@aws-sdk/client-sfn';
import { mailReturnNotifier } from '../adapters/mail/return-notifier.ts';
import { sfnReturnStarter } from '../adapters/sfn-return-starter.ts';
import { sfnTaskCallbacks } from '../adapters/sfn-workflow.ts';
import { PUBLIC_API_URL_ENV, RETURN_BATCH_SIZE_ENV, requireEnv } from '../config/env.ts';
import { createReturnStore } from '../data/return-store.ts';
import { ConfigurationError } from '../domain/errors.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { ReturnPageDeps } from '../use-cases/returns/pages.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from '../use-cases/returns/plan.ts';
import type { ReturnStartDeps } from '../use-cases/returns/start.ts';
import { type ReturnDeps, returnSteps } from '../use-cases/returns/steps.ts';
import { filingTableAccess } from './filing-table-access.ts';
import { tableAccess } from './table-access.ts';

/** Enterprises mailed, or removals applied, per workflow task (default 100, at most 500). */
export function batchSizeFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[RETURN_BATCH_SIZE_ENV];
  if (raw === undefined || raw === '') return DEFAULT_BATCH_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE) {
    throw new ConfigurationError(`${RETURN_BATCH_SIZE_ENV} must be an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  return n;
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
