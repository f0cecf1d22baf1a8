// The outbox in the templates: the table's stream, its ARN published for the stateless stack,
// the delivery function's and the mailer function's event-source mappings (their filters,
// failures reported per item, batches bisected, retries bounded, an on-failure queue each) and
// the alarms on those queues.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MAIL_RETRY_ATTEMPTS,
  OUTBOX_RETRY_ATTEMPTS,
  outboxStreamParameter,
} from '#infra/constructs/outbox.ts';
import { MAIL_FILTER } from '#shared/data/mail-item.ts';
import { OUTBOX_FILTERS } from '#shared/data/outbox-item.ts';
import { OUTBOX_KINDS } from '#shared/ports/outbox.ts';
import { type Built, build, resourcesOf, statements } from './support.ts';

let dev: Built;
/** The outbox's nested stack (the stateless stack is at the resource limit). */
let nested: Template;

type Resource = ReturnType<typeof resourcesOf>[string];
/** The mapping whose filters are these patterns (the delivery's or the mailer's). */
function mappingFiltering(type: string): Resource {
  const found = Object.values(resourcesOf(nested, 'AWS::Lambda::EventSourceMapping')).find((m) =>
    JSON.stringify(m.Properties?.FilterCriteria).includes(`\\"${type}\\"`),
  );
  if (!found) throw new Error(`no mapping filtering ${type}`);
  return found;
}
const destinationOf = (mapping: Resource) =>
  String(
    (
      mapping.Properties?.DestinationConfig as
        | { OnFailure: { Destination: { 'Fn::GetAtt': string[] } } }
        | undefined
    )?.OnFailure.Destination['Fn::GetAtt'][0],
  );

beforeAll(() => {
  dev = build('dev');
  nested = Template.fromStack(dev.stateless.outbox);
});

describe('the outbox', () => {
  it('streams the filing table’s new images and publishes the stream’s ARN', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
    dev.statefulTemplate.hasResourceProperties('AWS::SSM::Parameter', {
      Name: outboxStreamParameter(dev.stage),
      Value: { 'Fn::GetAtt': [Match.anyValue(), 'StreamArn'] },
    });
  });

  it('maps the stream to the delivery function with one filter per kind, per-item failures, bisection, bounded retries and an on-failure queue', () => {
    const mappings = Object.values(resourcesOf(nested, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    const props = mappingFiltering('Outbox').Properties ?? {};
    expect(props).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: OUTBOX_RETRY_ATTEMPTS,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
    });
    expect(OUTBOX_RETRY_ATTEMPTS).toBeGreaterThan(0);
    expect(OUTBOX_RETRY_ATTEMPTS).toBeLessThan(100);
    const patterns = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toHaveLength(OUTBOX_KINDS.length);
    for (const kind of OUTBOX_KINDS) {
      expect(patterns).toContainEqual(OUTBOX_FILTERS[kind]);
      expect(patterns).toContainEqual({
        eventName: ['INSERT'],
        dynamodb: { NewImage: { type: { S: ['Outbox'] }, kind: { S: [kind] } } },
      });
    }
    // The stream's ARN comes from the stateful stack's SSM parameter (passed to the nested stack), not an export.
    expect(JSON.stringify(props.EventSourceArn)).toContain('Ref');
    expect(JSON.stringify(nested.toJSON().Parameters)).toContain(outboxStreamParameter(dev.stage));
    const destination = (
      props.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': string[] } } }
    ).OnFailure.Destination['Fn::GetAtt'][0];
    const queue = resourcesOf(nested, 'AWS::SQS::Queue')[String(destination)];
    expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('maps the stream to the mailer function with the mail filter only, its own retries (a relay may refuse for hours) and its own on-failure queue', () => {
    const mail = mappingFiltering('Mail');
    const props = mail.Properties ?? {};
    expect(props).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: MAIL_RETRY_ATTEMPTS,
      MaximumRecordAgeInSeconds: 86_400,
    });
    const patterns = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toEqual([MAIL_FILTER]);
    expect(destinationOf(mail)).not.toBe(destinationOf(mappingFiltering('Outbox')));
  });

  it.each(['Outbox', 'Mail'])('alarms to the topic on any message in the %s on-failure queue', (type) => {
    const queueId = destinationOf(mappingFiltering(type));
    nested.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('lets the delivery function read the stream, start and answer the filing workflow, and nothing else', () => {
    const text = JSON.stringify(statements(nested));
    for (const action of ['dynamodb:GetRecords', 'dynamodb:GetShardIterator']) expect(text).toContain(action);
    const deliver = statements(nested);
    const actions = new Set(deliver.flatMap((s) => s.Action));
    for (const a of ['states:StartExecution', 'states:SendTaskSuccess', 'dynamodb:GetRecords']) {
      expect(actions.has(a), a).toBe(true);
    }
  });
});

describe('the outbox functions', () => {
  const envOf = (fn: Resource) =>
    (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

  it('give the relay’s settings and rights to the mailer only: SES in dev, the SMTP secret where SES is not offered', () => {
    const liaoning = Template.fromStack(build('liaoning').stateless.outbox);
    const mailerEnv = (template: Template) =>
      Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
        .map(envOf)
        .find((env) => 'MAIL_TRANSPORT' in env);
    expect(mailerEnv(nested)).toMatchObject({ MAIL_TRANSPORT: 'ses' });
    expect(mailerEnv(liaoning)).toMatchObject({ MAIL_TRANSPORT: 'smtp', SMTP_SECRET_ARN: expect.anything() });
    const actions = (template: Template) => new Set(statements(template).flatMap((s) => s.Action));
    expect(actions(nested).has('ses:SendEmail')).toBe(true);
    expect(actions(liaoning).has('secretsmanager:GetSecretValue')).toBe(true);
    expect(actions(liaoning).has('ses:SendEmail')).toBe(false);
  });

  it('are deployed functions, in the nested stack: the delivery with the workflow’s ARN, the mailer with the relay’s settings', () => {
    const fns = Object.values(resourcesOf(nested, 'AWS::Lambda::Function'));
    expect(fns).toHaveLength(2);
    const deliver = fns.find((f) => 'FILING_WORKFLOW_ARN' in envOf(f));
    const mailer = fns.find((f) => 'MAIL_TRANSPORT' in envOf(f));
    if (!deliver || !mailer) throw new Error('no delivery or mailer function');
    expect(envOf(deliver)).toHaveProperty('TABLE_NAME');
    expect(envOf(deliver)).not.toHaveProperty('MAIL_TRANSPORT');
    expect(envOf(mailer)).toHaveProperty('TABLE_NAME');
    expect(envOf(mailer)).toHaveProperty('MAIL_FROM');
    expect(envOf(mailer)).not.toHaveProperty('FILING_WORKFLOW_ARN');
    for (const fn of fns)
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    expect(Object.values(resourcesOf(nested, 'AWS::Logs::LogGroup'))).toHaveLength(2);
  });
});
