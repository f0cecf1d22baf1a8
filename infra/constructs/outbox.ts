// The outbox's delivery in the cloud (docs/outbox.md): the filing table's stream (new images,
// enabled in the stateful stack, its ARN published as an SSM parameter) feeds two functions,
// each through its own event-source mapping: the delivery function gets only the INSERTs of
// outbox items (one filter per kind), the mailer function only those of queued mail. A record that fails is reported on its own (reportBatchItemFailures), the
// batch is halved around it (bisectBatchOnError), retried a bounded number of times, and then
// sent to an on-failure queue (encrypted, TLS only) whose visible messages raise an alarm.
// It is a nested stack of the stateless stack: the stateless stack is at CloudFormation's
// 500-resource limit, and the outbox's resources are deployed and replaced with it.
import { Duration, NestedStack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITableV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { MAIL_FILTER } from '#shared/data/mail-item.ts';
import { OUTBOX_FILTERS } from '#shared/data/outbox-item.ts';
import { MAILER_FUNCTION, OUTBOX_FUNCTION } from '#shared/use-cases/outbox/function.ts';
import { FUNCTION_NEEDS } from '../functions.ts';
import { acknowledge } from '../nag.ts';
import { type AppResources, appFunction } from './app-function.ts';
import type { HouseFunction } from './house-function.ts';

/** Attempts of a failing record after the first, before its batch goes to the on-failure queue. */
export const OUTBOX_RETRY_ATTEMPTS = 8;

/** The SSM parameter holding the table's stream ARN (written by the stateful stack). */
export const outboxStreamParameter = (stage: { name: string }) =>
  `/standards-officer/${stage.name}/data/table-stream-arn`;

/** In the stateful stack: publishes the table's stream ARN for the stateless stack's delivery. */
export function publishOutboxStream(scope: Construct, stage: { name: string }, table: ITableV2): void {
  if (!table.tableStreamArn) throw new Error('the filing table has no stream for the outbox');
  new StringParameter(scope, 'OutboxStreamArn', {
    parameterName: outboxStreamParameter(stage),
    stringValue: table.tableStreamArn,
    description:
      'The filing table’s stream, from which the outbox is delivered (read by the stateless stack at deploy time)',
  });
}

/** Attempts of a failing mail record: a relay may refuse for hours; the record's age bounds it. */
export const MAIL_RETRY_ATTEMPTS = 10_000;

/**
 * One consumer of the stream: its function (an entry of the function table), the mapping with
 * its filters, and the on-failure queue with the alarms on the queue and on the function's errors.
 */
class StreamConsumer extends Construct {
  readonly fn: HouseFunction;
  readonly failures: Queue;
  private readonly what: string;

  constructor(
    scope: Construct,
    id: string,
    props: {
      fn: { id: string; handler: string; description: string };
      filters: readonly Record<string, unknown>[];
      retryAttempts: number;
      /** What a failed record means, for the alarms. */
      what: string;
      table: ITableV2;
      resources: AppResources;
    },
  ) {
    super(scope, id);
    const needs = FUNCTION_NEEDS[props.fn.id];
    if (!needs) throw new Error(`infra/functions.ts names no needs for ${props.fn.id}`);
    this.what = props.what;
    this.fn = appFunction(
      this,
      props.fn.id,
      { handler: props.fn.handler, needs, description: props.fn.description },
      props.resources,
    );
    this.failures = new Queue(this, 'DeliveryFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.failures,
      'AwsSolutions-SQS3',
      'This queue is the on-failure destination of a stream mapping; nothing reads it but the operator after its alarm.',
    );
    acknowledge(
      this.failures,
      'Serverless-SQSRedrivePolicy',
      'This queue is itself the on-failure destination (it holds the failed batches’ stream positions); a redrive from it would loop.',
    );
    acknowledge(
      this.fn.fn,
      'Serverless-LambdaDLQ',
      'Invoked only by its stream mapping, never asynchronously: failed batches go to the mapping’s on-failure queue, which is alarmed.',
    );
    this.fn.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(0),
        // A record passing any of the filters is delivered (at most 5 per mapping).
        filters: props.filters.map((pattern) => FilterCriteria.filter(pattern)),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts,
        // A consequence not delivered in a day is the operator's: the queue and its alarm say so.
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.failures),
      }),
    );
  }

  alarmTo(topic: ITopic, fnId: string): Alarm {
    const alarm = new Alarm(this, 'DeliveryFailuresAlarm', {
      metric: this.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `Outbox: a stream batch failed every delivery attempt (${this.what}); see docs/outbox.md`,
    });
    alarm.addAlarmAction(new SnsAction(topic));
    // A failing delivery is retried before it reaches the queue: its errors are alarmed at once.
    const errors = new Alarm(this, 'DeliveryErrorsAlarm', {
      metric: this.fn.fn.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `Function ${fnId} failed (an outbox delivery is being retried)`,
    });
    errors.addAlarmAction(new SnsAction(topic));
    return alarm;
  }
}

export class Outbox extends Construct {
  /** The delivery function (workflow starts, amendment answers). */
  readonly fn: HouseFunction;
  /** Batches whose records failed every attempt: the operator redelivers them (docs/outbox.md). */
  readonly failures: Queue;
  /** The mailer function: sends every queued message. */
  readonly mailer: HouseFunction;
  readonly mailFailures: Queue;
  private readonly delivery: StreamConsumer;
  private readonly mail: StreamConsumer;

  constructor(scope: Construct, id: string, props: { stage: { name: string }; resources: AppResources }) {
    super(scope, id);
    const { resources } = props;
    const table = TableV2.fromTableAttributes(this, 'StreamTable', {
      tableName: resources.table.tableName,
      tableStreamArn: StringParameter.valueForStringParameter(this, outboxStreamParameter(props.stage)),
      encryptionKey: resources.tableKey,
    });
    // Each consumer reads the stream on its own: a relay that refuses holds back mail only.
    this.delivery = new StreamConsumer(this, 'Delivery', {
      fn: OUTBOX_FUNCTION,
      filters: Object.values(OUTBOX_FILTERS),
      retryAttempts: OUTBOX_RETRY_ATTEMPTS,
      what: 'a review not started or an amendment not answered',
      table,
      resources,
    });
    this.mail = new StreamConsumer(this, 'Mail', {
      fn: MAILER_FUNCTION,
      filters: [MAIL_FILTER],
      retryAttempts: MAIL_RETRY_ATTEMPTS,
      what: 'mail not sent',
      table,
      resources,
    });
    this.fn = this.delivery.fn;
    this.failures = this.delivery.failures;
    this.mailer = this.mail.fn;
    this.mailFailures = this.mail.failures;
  }

  /** The alarms on the on-failure queues: any message there is a consequence that did not happen. */
  alarmTo(topic: ITopic): Alarm[] {
    return [this.delivery.alarmTo(topic, OUTBOX_FUNCTION.id), this.mail.alarmTo(topic, MAILER_FUNCTION.id)];
  }
}

/** The outbox in a nested stack of the stateless stack (see the note at the top). */
export class OutboxStack extends NestedStack {
  readonly outbox: Outbox;

  constructor(scope: Construct, id: string, props: { stage: { name: string }; resources: AppResources }) {
    super(scope, id, {
      description: 'The outbox: delivery of state-change consequences from the table stream',
    });
    this.outbox = new Outbox(this, 'Outbox', props);
  }
}
