// Builds one of the app's functions from its entry in infra/functions.ts: a HouseFunction
// with the environment and grants its needs name, and nothing more.
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  ALERT_EMAIL_ENV,
  ALLOWED_ORIGINS_ENV,
  PUBLIC_API_URL_ENV,
  PUBLIC_SITE_URL_ENV,
} from '#shared/config/env.ts';
import { ROUTES } from '#shared/http/routes.ts';
import { STATE_MACHINES } from '#workflows/functions.ts';
import type { FunctionNeeds, StateMachineId } from '../functions.ts';
import { HouseFunction } from './house-function.ts';
import type { Mail } from './mail.ts';

/** What the app's functions may be wired to. */
export interface AppResources {
  table: ITableV2;
  tableKey: IKey;
  hmacKey: IKey;
  fieldKey: IKey;
  attachments: IBucket;
  reports: IBucket;
  mail: Mail;
  /** Each state machine's ARN (built from its name, so functions and machines do not depend on each other). */
  stateMachineArns: Record<StateMachineId, string>;
  apiUrl: string;
  siteUrl: string;
  allowedOrigins: string[];
  alertEmail: string;
  logRetention: RetentionDays;
}

export function appFunction(
  scope: Construct,
  id: string,
  entry: { handler: string; needs: FunctionNeeds; description: string },
  r: AppResources,
): HouseFunction {
  const { needs } = entry;
  const fn = new HouseFunction(scope, id, {
    entry: entry.handler,
    description: entry.description,
    logRetention: r.logRetention,
    ...(needs.memorySize ? { memorySize: needs.memorySize } : {}),
    ...(needs.packageFiles ? { packageFiles: needs.packageFiles } : {}),
    ...(needs.timeoutSeconds ? { timeout: Duration.seconds(needs.timeoutSeconds) } : {}),
  });
  // Only the HTTP handlers answer CORS; workflow, scheduled and stream functions read no origins.
  if (ROUTES.some((route) => route.id === id)) fn.setEnv(ALLOWED_ORIGINS_ENV, r.allowedOrigins.join(','));
  if (needs.table) fn.useTable(r.table, r.tableKey, needs.table);
  if (needs.scansTable) fn.scansTable(r.table);
  if (needs.hmac) fn.useHmacKey(r.hmacKey);
  if (needs.encrypt) fn.useFieldKeyToEncrypt(r.fieldKey);
  if (needs.decrypt) fn.useFieldKeyToDecrypt(r.fieldKey);
  if (needs.attachments) fn.useBucket(r.attachments, needs.attachments);
  if (needs.reports) fn.writesReports(r.reports);
  for (const id of needs.starts ?? []) {
    const machine = STATE_MACHINES.find((m) => m.id === id);
    if (!machine) throw new Error(`no state machine ${id}`);
    fn.startsWorkflow(r.stateMachineArns[id], machine.arnEnv);
  }
  for (const id of needs.answers ?? []) fn.answersWorkflowTasks(r.stateMachineArns[id]);
  if (needs.apiUrl) fn.setEnv(PUBLIC_API_URL_ENV, r.apiUrl);
  if (needs.mail && needs.table !== 'readWrite')
    throw new Error(`${id} queues mail but does not write the table`);
  if (needs.sendsMail) r.mail.configure(fn);
  if (needs.siteUrl) fn.setEnv(PUBLIC_SITE_URL_ENV, r.siteUrl);
  if (needs.alerts) fn.setEnv(ALERT_EMAIL_ENV, r.alertEmail);
  return fn;
}
