// The scheduled jobs of workflows/functions.ts in EventBridge Scheduler: the same expressions
// `npm start` runs, in Asia/Shanghai, each invoking its function with a retry policy and a
// dead-letter queue (encrypted, TLS only) whose depth is alarmed. Scheduler invokes Lambda
// asynchronously, so its retries and dead-letter queue cover only the hand-over; a run that
// fails is not retried by Lambda and goes to the same queue. Each invocation carries its job
// and scheduled time: the function claims that job's period (shared/use-cases/scheduled-runs.ts),
// so a redelivery or a run by hand for the same period does nothing twice.
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
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
        'This queue is the dead-letter queue of the schedule and the on-failure destination of the job; nothing reads it but the operator after its depth alarm.',
      );
      fn.fn.configureAsyncInvoke({ retryAttempts: 0, onFailure: new SqsDestination(deadLetters) });
      const schedule = new Schedule(this, `${job.id}Schedule`, {
        description: job.description,
        schedule: ScheduleExpression.expression(job.expression, TimeZone.of(job.timezone)),
        target: new LambdaInvoke(fn.fn, {
          input: ScheduleTargetInput.fromObject({
            job: job.id,
            scheduledTime: ContextAttribute.scheduledTime,
          }),
          deadLetterQueue: deadLetters,
          retryAttempts: 3,
          maxEventAge: Duration.hours(2),
        }),
      });
      this.jobs.push({ id: job.id, fn, schedule, deadLetters });
      acknowledge(
        fn.fn,
        'Serverless-LambdaDLQ',
        'Invoked asynchronously by EventBridge Scheduler: a failed run is not retried and goes to the job’s dead-letter queue (the on-failure destination, alarmed), as do hand-over failures.',
      );
      acknowledge(
        deadLetters,
        'Serverless-SQSRedrivePolicy',
        'This queue is itself the dead-letter queue of the schedule and of the job’s failed runs; a redrive from it would loop.',
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
