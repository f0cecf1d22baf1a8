// The mailer function: the one function that sends mail. The table's stream invokes it with
// the INSERTs of queued messages (the event-source filter lets only those through; locally the
// runtime's stream reader applies the same filter); it sends each through the stage's relay
// (SES v2, SMTP, or the local outbox) once. A failed record is reported (reportBatchItemFailures)
// and the stream retries from it.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createMailer } from '#shared/adapters/mail/mailer.ts';
import { requireEnv, TABLE_NAME_ENV } from '#shared/config/env.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { createMailStore } from '#shared/data/mail-store.ts';
import { logger } from '#shared/observability/logger.ts';
import { type SendMailDeps, sendMailRecords } from '#shared/use-cases/outbox/send-mail.ts';

type Image = Parameters<typeof unmarshall>[0];

let deps: SendMailDeps | undefined;

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  deps ??= {
    queue: createMailStore({ doc: createDocumentClient(), tableName: requireEnv(TABLE_NAME_ENV) }),
    relay: createMailer(),
  };
  const records = event.Records.map((r) => {
    // Only the id and kind are read from the image: the message itself is read when claimed.
    const image = r.dynamodb?.NewImage ? unmarshall(r.dynamodb.NewImage as Image) : {};
    return {
      sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
      id: typeof image.id === 'string' ? image.id : undefined,
      kind: typeof image.kind === 'string' ? image.kind : undefined,
    };
  });
  const report = await sendMailRecords(deps, records);
  for (const s of report.sent) logger.info('mail delivered', { id: s.id, kind: s.kind, outcome: s.outcome });
  if (!report.failed) return { batchItemFailures: [] };
  const { id, kind, error, sequenceNumber } = report.failed;
  // Ids and kinds only, and the error's name and message: never a recipient or the content.
  logger.error('mail delivery failed', { id, kind, error: { name: error.name, message: error.message } });
  return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
}
