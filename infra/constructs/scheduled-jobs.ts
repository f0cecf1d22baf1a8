// The scheduled jobs of workflows/functions.ts in EventBridge Scheduler: the same expressions
// `npm start` runs, in Asia/Shanghai, each invoking its function with a retry policy and a
// dead-letter queue (encrypted, TLS only) whose depth is alarmed.
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SCHEDULES } from '#workflows/functions.ts';
import { FUNCTION_NEEDS } from '../functions.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { type AppResources, appFunction } from './app-function.ts';
import type { HouseFunction } from './house-function.ts';

export class ScheduledJobs extends Construct {
  readonly jobs: { id: string; fn: HouseFunction; schedule: Schedule; deadLetters: Queue }[] = [];

  constructor(scope: Construct, id: string, resources: AppResources) {
    super(scope, id);
    for (const job of SCHEDULES) {
      const needs = FUNCTION_NEEDS[job.id];
      if (!needs) throw new Error(`infra/functions.ts names no needs for scheduled job ${job.id}`);
      const fn = appFunction(
        this,
        job.id,
        { handler: job.handler, needs, description: job.description },
        resources,
      );
      const deadLetters = new Queue(this, `${job.id}DeadLetters`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(
        deadLetters,
        'AwsSolutions-SQS3',
        'This queue is the dead-letter queue of the schedule; nothing reads it but the operator after its depth alarm.',
      );
      const schedule = new Schedule(this, `${job.id}Schedule`, {
        description: job.description,
        schedule: ScheduleExpression.expression(job.expression, TimeZone.of(job.timezone)),
        target: new LambdaInvoke(fn.fn, {
          deadLetterQueue: deadLetters,
          retryAttempts: 3,
          maxEventAge: Duration.hours(2),
        }),
      });
      this.jobs.push({ id: job.id, fn, schedule, deadLetters });
      acknowledge(
        fn.fn,
        'Serverless-LambdaDLQ',
        'Invoked by EventBridge Scheduler, whose retry policy and dead-letter queue (alarmed) hold failed invocations.',
      );
      acknowledge(
        deadLetters,
        'Serverless-SQSRedrivePolicy',
        'This queue is itself the dead-letter queue of the schedule; a redrive from it would loop.',
      );
      // The scheduler's role for this target: invoking the function (and its versions).
      for (const child of Stack.of(this).node.children) {
        if (!child.node.id.startsWith('SchedulerRoleForTarget')) continue;
        acknowledgeWildcardResource(
          child,
          `${fn.fn.functionArn}:*`,
          'EventBridge Scheduler may invoke this one function, any version or alias (the grant aws-cdk-lib makes).',
        );
      }
    }
  }
}
