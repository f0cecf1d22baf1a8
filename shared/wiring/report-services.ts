// Wiring of the report delivery, once per process: the counters (the table), the report
// bucket and the queued mail.
import { S3Client } from '@aws-sdk/client-s3';
import { queuedMailer } from '../adapters/mail/queued-mailer.ts';
import { s3ReportStore } from '../adapters/s3-report-store.ts';
import { REPORTS_BUCKET_ENV, requireEnv } from '../config/env.ts';
import { createCounterReader } from '../data/counter-reader.ts';
import { createPlanStore } from '../data/plan-store.ts';
import { createTrainingStore } from '../data/training-store.ts';
import type { ReportDeliveryDeps } from '../use-cases/report-delivery.ts';
import { tableAccess } from './table-access.ts';

let deps: ReportDeliveryDeps | undefined;

export function reportServices(): ReportDeliveryDeps {
  if (!deps) {
    const table = tableAccess();
    deps = {
      counters: createCounterReader(table),
      plans: createPlanStore(table),
      training: createTrainingStore(table.doc, table.tableName),
      store: s3ReportStore(new S3Client({}), requireEnv(REPORTS_BUCKET_ENV)),
      mailer: queuedMailer(),
      now: () => new Date(),
    };
  }
  return deps;
}
