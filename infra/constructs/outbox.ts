// The outbox's delivery in the cloud (docs/outbox.md): the filing table's stream (new images,
// enabled in the stateful stack, its ARN published as an SSM parameter) feeds the delivery
// function through an event-source mapping that lets through only the INSERTs of outbox items,
// one filter per kind. A record that fails is reported on its own (reportBatchItemFailures), the
// batch is halved around it (bisectBatchOnError), retried a bounded number of times, and then
// sent to an on-failure queue (encrypted, TLS only) whose visible messages raise an alarm.
// It is a nested stack of the stateless stack: the stateless stack is at CloudFormation's
// 500-resource limit, and the outbox's ten resources are deployed and replaced with it.
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
import { OUTBOX_FILTERS } from '#shared/data/outbox-item.ts';
import { OUTBOX_FUNCTION } from '#shared/use-cases/outbox/function.ts';
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

export class Outbox extends Construct {
  readonly fn: HouseFunction;
  /** Batches whose records failed every attempt: the operator redelivers them (docs/outbox.md). */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: { stage: { name: string }; resources: AppResources }) {
    super(scope, id);
    const { resources } = props;
    const needs = FUNCTION_NEEDS[OUTBOX_FUNCTION.id];
    if (!needs) throw new Error(`infra/functions.ts names no needs for ${OUTBOX_FUNCTION.id}`);
    this.fn = appFunction(
      this,
      OUTBOX_FUNCTION.id,
      { handler: OUTBOX_FUNCTION.handler, needs, description: OUTBOX_FUNCTION.description },
      resources,
    );
    this.failures = new Queue(this, 'DeliveryFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.failures,
      'AwsSolutions-SQS3',
      'This queue is the on-failure destination of the outbox’s stream mapping; nothing reads it but the operator after its alarm.',
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
    const table = TableV2.fromTableAttributes(this, 'StreamTable', {
      tableName: resources.table.tableName,
      tableStreamArn: StringParameter.valueForStringParameter(this, outboxStreamParameter(props.stage)),
      encryptionKey: resources.tableKey,
    });
    this.fn.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(0),
        // One kind per filter: a record passing any of them is delivered (at most 5 per mapping).
        filters: Object.values(OUTBOX_FILTERS).map((pattern) => FilterCriteria.filter(pattern)),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: OUTBOX_RETRY_ATTEMPTS,
        // A consequence not delivered in a day is the operator's: the queue and its alarm say so.
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.failures),
      }),
    );
  }

  /** The alarm on the on-failure queue: any message there is a consequence that did not happen. */
  alarmTo(topic: ITopic): Alarm {
    const alarm = new Alarm(this, 'DeliveryFailuresAlarm', {
      metric: this.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Outbox: a stream batch failed every delivery attempt (a review not started or an amendment not answered); see docs/outbox.md',
    });
    alarm.addAlarmAction(new SnsAction(topic));
    // A failing delivery is retried before it reaches the queue: its errors are alarmed at once.
    const errors = new Alarm(this, 'DeliveryErrorsAlarm', {
      metric: this.fn.fn.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `Function ${OUTBOX_FUNCTION.id} failed (an outbox delivery is being retried)`,
    });
    errors.addAlarmAction(new SnsAction(topic));
    return alarm;
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
