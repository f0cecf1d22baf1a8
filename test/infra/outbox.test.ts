// The outbox in the templates: the table's stream, its ARN published for the stateless stack,
// the delivery function's event-source mapping (one filter per kind, failures reported per item,
// batches bisected, retries bounded, an on-failure queue) and the alarm on that queue.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_RETRY_ATTEMPTS, outboxStreamParameter } from '#infra/constructs/outbox.ts';
import { OUTBOX_FILTERS } from '#shared/data/outbox-item.ts';
import { OUTBOX_KINDS } from '#shared/ports/outbox.ts';
import { type Built, build, resourcesOf, statements } from './support.ts';

let dev: Built;
/** The outbox's nested stack (the stateless stack is at the resource limit). */
let nested: Template;
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
    expect(mappings).toHaveLength(1);
    const props = mappings[0]?.Properties ?? {};
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

  it('alarms to the topic on any message in the on-failure queue', () => {
    const [mapping] = Object.values(resourcesOf(nested, 'AWS::Lambda::EventSourceMapping'));
    if (!mapping?.Properties) throw new Error('no event-source mapping');
    const queueId = (
      mapping.Properties.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': string[] } } }
    ).OnFailure.Destination['Fn::GetAtt'][0];
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

describe('the outbox function', () => {
  it('is one of the deployed functions, in the nested stack, with the workflow’s ARN and the table', () => {
    const fns = Object.values(resourcesOf(nested, 'AWS::Lambda::Function'));
    expect(fns).toHaveLength(1);
    const [fn] = fns;
    if (!fn?.Properties) throw new Error('no outbox function');
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toHaveProperty('FILING_WORKFLOW_ARN');
    expect(env).toHaveProperty('TABLE_NAME');
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    expect(Object.values(resourcesOf(nested, 'AWS::Logs::LogGroup'))).toHaveLength(1);
  });
});
