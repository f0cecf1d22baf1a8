// Alarms to one SNS topic (encrypted, TLS only) that mails the stage's alert address: API
// 5xx, function errors, throttling in the account, workflow failures, timeouts and aborts, dead-letter
// queue depth and scheduler failures.
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export interface AlarmsProps {
  alertEmail: string;
  api: HttpApi;
  functions: Map<string, NodejsFunction>;
  stateMachines: Map<string, StateMachine>;
  deadLetterQueues: Map<string, IQueue>;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const key = new Key(this, 'TopicKey', { description: 'Alarm topic', enableKeyRotation: true });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Standards-officer alarms',
      masterKey: key,
      enforceSSL: true,
    });
    const subscription = new Subscription(this, 'AlertEmail', {
      topic: this.topic,
      protocol: SubscriptionProtocol.EMAIL,
      endpoint: props.alertEmail,
    });
    acknowledge(
      subscription,
      'Serverless-SNSRedrivePolicy',
      'An email subscription: SNS retries delivery itself, and every alarm stays visible in CloudWatch whatever the mail did.',
    );
    // CloudWatch publishes to the encrypted topic: its alarms in this account only.
    const stack = Stack.of(this);
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    const action = new SnsAction(this.topic);
    const add = (name: string, metric: IMetric, description: string, threshold = 1) => {
      const alarm = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };
    const fiveMinutes = { period: Duration.minutes(5) };
    add('Api5xx', props.api.metricServerError(fiveMinutes), 'The API answered 5xx');
    for (const [id, fn] of props.functions) {
      add(`${id}Errors`, fn.metricErrors(fiveMinutes), `Function ${id} failed`);
    }
    // Throttling is the account's concurrency running out, not one function's fault: one alarm on
    // the account's total (Lambda's Throttles by function name says which), instead of one per
    // function, keeps the stack under CloudFormation's 500 resources.
    add(
      'Throttles',
      new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', ...fiveMinutes }),
      'A Lambda function of this account was throttled (see Throttles by function name)',
    );
    for (const [id, sm] of props.stateMachines) {
      add(`${id}Failed`, sm.metricFailed(fiveMinutes), `Workflow ${id}: an execution failed`);
      add(`${id}TimedOut`, sm.metricTimedOut(fiveMinutes), `Workflow ${id}: an execution timed out`);
      add(`${id}Aborted`, sm.metricAborted(fiveMinutes), `Workflow ${id}: an execution was aborted`);
    }
    for (const [id, queue] of props.deadLetterQueues) {
      add(
        `${id}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible(fiveMinutes),
        `Scheduled job ${id}: an invocation ended in its dead-letter queue`,
      );
    }
    add(
      'SchedulerErrors',
      Schedule.metricAllErrors(fiveMinutes),
      'EventBridge Scheduler could not invoke a target',
    );
    add(
      'SchedulerDeadLetterFailures',
      Schedule.metricAllFailedToBeSentToDLQ(undefined, fiveMinutes),
      'EventBridge Scheduler could not put a failed invocation in its dead-letter queue',
    );
  }
}
