// The stateless stack: routes, authorizers, functions and their grants, workflows, schedules,
// alarms, logs and the site, as the template says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeholders } from '#infra/constructs/filing-workflow.ts';
import { allFunctions, FUNCTION_NEEDS } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';
import {
  ATTACHMENTS_BUCKET_ENV,
  FIELD_KEY_ARN_ENV,
  MAIL_TRANSPORT_ENV,
  TABLE_NAME_ENV,
} from '#shared/config/env.ts';
import { matchPath, ROUTES, type Route } from '#shared/http/routes.ts';
import { MAILER_FUNCTION, OUTBOX_FUNCTION } from '#shared/use-cases/outbox/function.ts';
import { SCHEDULES, STATE_MACHINES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';
import { type Built, build, resourcesOf, statements } from './support.ts';

let dev: Built;
let liaoning: Built;
beforeAll(() => {
  dev = build('dev');
  liaoning = build('liaoning');
});

const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** Each function's logical id → its environment, by the construct path's function id. */
function functionsById(built: Built): Map<string, { logicalId: string; props: Record<string, unknown> }> {
  const out = new Map<string, { logicalId: string; props: Record<string, unknown> }>();
  const fns = resourcesOf(built.statelessTemplate, 'AWS::Lambda::Function');
  for (const [logicalId, fn] of Object.entries(fns)) {
    const path = String((fn.Metadata as Record<string, unknown> | undefined)?.['aws:cdk:path'] ?? '');
    const id = /\/([A-Za-z]+)\/Function\/Resource$/.exec(path)?.[1];
    if (id) out.set(id, { logicalId, props: fn.Properties ?? {} });
  }
  return out;
}

/** A function's environment variables. */
function envOf(built: Built, functionId: string): Record<string, unknown> {
  const fn = functionsById(built).get(functionId);
  if (!fn) throw new Error(`no function ${functionId} in the template`);
  return (fn.props.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The actions a function's role may take, with their resources (flattened to JSON text). */
function grantsOf(built: Built, functionId: string): { actions: Set<string>; text: string } {
  const fn = functionsById(built).get(functionId);
  if (!fn) throw new Error(`no function ${functionId} in the template`);
  const role = JSON.stringify((fn.props.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
  const mine = statements(built.statelessTemplate).filter((s) =>
    s.roles.some((r) => JSON.stringify(r) === role),
  );
  return { actions: new Set(mine.flatMap((s) => s.Action)), text: JSON.stringify(mine) };
}

describe('the HTTP API', () => {
  it('has exactly the routes of the shared route table, the ones the local server serves', () => {
    const keys = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties?.RouteKey as string,
    );
    expect(new Set(keys)).toEqual(new Set(ROUTES.map(routeKey)));
    expect(keys).toHaveLength(ROUTES.length);
    // Every deployed route key resolves, through the local server's matcher, to the same route.
    for (const key of keys) {
      const [method, path = ''] = key.split(' ');
      const concrete = path.replace(/\{[^}]+\}/g, 'X1');
      const served = ROUTES.filter((r) => r.method === method && matchPath(r.path, concrete));
      expect(served.map(routeKey)).toEqual([key]);
    }
  });

  it('puts the JWT authorizer on every staff route of the route table and on no other', () => {
    const byKey = new Map(
      Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Route')).map((r) => [
        r.Properties?.RouteKey,
        r.Properties ?? {},
      ]),
    );
    expect(ROUTES.filter((r) => r.access === 'staff').length).toBeGreaterThanOrEqual(6);
    for (const route of ROUTES) {
      const props = byKey.get(routeKey(route));
      if (route.access === 'staff') expect(props, route.id).toMatchObject({ AuthorizationType: 'JWT' });
      else expect(props?.AuthorizationType ?? 'NONE', route.id).toBe('NONE');
    }
  });

  it('puts the JWT authorizer on a route because it is a staff route, whatever its handler', () => {
    const staffRoute: Route = {
      id: 'listPrograms', // reuses a handler: only the route's access matters here
      method: 'GET',
      path: '/staff/filings',
      handler: 'functions/programs/list.ts',
      access: 'staff',
      summary: { zh: '测试', en: 'test' },
      success: 200,
      tag: 'filings',
    };
    const routes = [...ROUTES.filter((r) => r.id !== 'listPrograms'), staffRoute];
    const built = build('dev', { routes });
    const byKey = new Map(
      Object.values(resourcesOf(built.statelessTemplate, 'AWS::ApiGatewayV2::Route')).map((r) => [
        r.Properties?.RouteKey,
        r.Properties ?? {},
      ]),
    );
    expect(byKey.get('GET /staff/filings')).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: expect.anything(),
    });
    for (const route of routes.filter((r) => r.access !== 'staff')) {
      const props = byKey.get(routeKey(route));
      expect(props?.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(props?.AuthorizerId).toBeUndefined();
    }
    built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
  });

  it('trusts the bureau’s OIDC issuer in the China regions', () => {
    const staffRoute: Route = {
      id: 'listPrograms',
      method: 'GET',
      path: '/staff/filings',
      handler: 'functions/programs/list.ts',
      access: 'staff',
      summary: { zh: '测试', en: 'test' },
      success: 200,
      tag: 'filings',
    };
    const built = build('liaoning', {
      routes: [...ROUTES.filter((r) => r.id !== 'listPrograms'), staffRoute],
    });
    built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: ['standards-officer'], Issuer: 'https://sso.example.cn/' },
    });
  });

  it('throttles by default and public write routes tighter, logs access without query strings, allows only the configured origins', () => {
    const [stage] = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Stage'));
    const props = stage?.Properties as Record<string, unknown>;
    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    const publicWrites = ROUTES.filter((r) => r.access === 'public' && r.method !== 'GET').map(routeKey);
    expect(publicWrites).toContain('POST /programs/{programId}/filings');
    expect(Object.keys(props.RouteSettings as object).sort()).toEqual(publicWrites.sort());
    for (const setting of Object.values(
      props.RouteSettings as Record<string, { ThrottlingRateLimit: number }>,
    )) {
      expect(setting.ThrottlingRateLimit).toBe(5);
    }
    const access = props.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(access.DestinationArn).toBeDefined();
    expect(access.Format).toContain('$context.routeKey');
    expect(access.Format).not.toMatch(/querystring|\$context\.path/i);
    const [api] = Object.values(resourcesOf(liaoning.statelessTemplate, 'AWS::ApiGatewayV2::Api'));
    const cors = api?.Properties?.CorsConfiguration as { AllowOrigins: unknown[]; AllowMethods: string[] };
    expect(JSON.stringify(cors.AllowOrigins)).toContain('https://beian.example.cn');
    expect(cors.AllowOrigins).toHaveLength(1); // the site's own domain, the stage's only origin
    expect(cors.AllowMethods.sort()).toEqual(['GET', 'POST', 'PUT']);
  });
});

describe('functions', () => {
  it('infra/functions.ts names the needs of exactly the deployed functions', () => {
    const ids = [
      ...ROUTES.map((r) => r.id),
      ...WORKFLOW_FUNCTIONS.map((f) => f.id),
      ...SCHEDULES.map((s) => s.id),
    ];
    // The outbox's functions are deployed in its nested stack (test/infra/outbox.test.ts).
    const outbox = [OUTBOX_FUNCTION.id, MAILER_FUNCTION.id];
    expect(Object.keys(FUNCTION_NEEDS).sort()).toEqual([...ids, ...outbox].sort());
    expect(allFunctions()).toHaveLength(ids.length + outbox.length);
    expect([...functionsById(dev).keys()].sort()).toEqual([...ids].sort());
  });

  it('run on nodejs24.x, arm64, traced, logging JSON to their own log group', () => {
    for (const [id, fn] of functionsById(dev)) {
      expect(fn.props, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
        Handler: 'index.handler',
      });
    }
  });

  it('keep every log group for the stage’s retention', () => {
    const groups = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::Logs::LogGroup'));
    // one per function, the API's access log, one per state machine
    expect(groups.length).toBe(functionsById(dev).size + 1 + STATE_MACHINES.length);
    for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(180);
    for (const group of Object.values(resourcesOf(liaoning.statelessTemplate, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties?.RetentionInDays).toBe(365);
    }
  });

  it('get only what their needs name (least privilege)', () => {
    // Public facts: no data, no keys, no buckets.
    for (const id of ['listPrograms', 'getProgram', 'openapi', 'docs']) {
      const { actions } = grantsOf(dev, id);
      expect(
        [...actions].filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')),
        id,
      ).toEqual([]);
    }
    // Status: reads, never writes; no field-encryption key.
    const status = grantsOf(dev, 'getFiling');
    expect(status.actions.has('dynamodb:GetItem')).toBe(true);
    expect(status.actions.has('dynamodb:PutItem')).toBe(false);
    expect(status.actions.has('kms:GenerateDataKey')).toBe(false);
    expect(status.actions.has('kms:GenerateMac')).toBe(true);
    // Presign: PutObject under uploads/ only.
    const presign = grantsOf(dev, 'presignUpload');
    expect([...presign.actions].filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(presign.text).toContain('/uploads/*');
    expect(presign.text).not.toContain('/filings/*');
    expect(presign.actions.has('dynamodb:PutItem')).toBe(false);
    // Submit: writes and encrypts; never decrypts ID numbers, starts workflows (the outbox does) or answers tasks.
    const submit = grantsOf(dev, 'submitFiling');
    for (const a of ['dynamodb:PutItem', 'kms:GenerateDataKey', 'kms:GenerateMac']) {
      expect(submit.actions.has(a), a).toBe(true);
    }
    expect(submit.actions.has('states:StartExecution')).toBe(false);
    expect(submit.actions.has('states:SendTaskSuccess')).toBe(false);
    // Review page: GET never mutates.
    const page = grantsOf(dev, 'reviewPage');
    const ours = [...page.actions].filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'));
    expect(ours.filter((a) => /Put|Update|Delete|Write|SendTask|StartExecution/.test(a))).toEqual([]);
    expect(ours).toContain('s3:GetObject'); // presigned view links
    // Nothing but X-Ray and log delivery on "*"; no action wildcards at all in our roles.
    // (CDK's own BucketDeployment provider, run only while deploying, is acknowledged apart.)
    for (const s of statements(dev.statelessTemplate).filter(
      (x) => !x.policy.startsWith('CustomCDKBucketDeployment'),
    )) {
      if (s.Resource.includes('*')) {
        expect(
          s.Action.every((a) => a.startsWith('xray:') || a.startsWith('logs:')),
          JSON.stringify(s),
        ).toBe(true);
      }
    }
    for (const [id] of functionsById(dev)) {
      for (const a of grantsOf(dev, id).actions) expect(a, id).not.toContain('*');
    }
  });

  it('grant starting and answering each state machine only to the functions whose needs name it', () => {
    const arnText = (id: string) => `stateMachine:standards-officer-dev-${id}`;
    const starts = grantsOf(dev, 'staffStartReturns');
    expect(starts.text).toContain(arnText('AnnualReturn'));
    expect(starts.text).not.toContain(arnText('FilingWorkflow'));
    expect(envOf(dev, 'staffStartReturns')).toHaveProperty('ANNUAL_RETURN_ARN');
    const submit = grantsOf(dev, 'returnSubmit');
    expect(submit.actions.has('states:SendTaskSuccess')).toBe(true);
    expect(submit.text).toContain(arnText('UnitReturn'));
    expect(submit.text).not.toContain(arnText('AnnualReturn'));
    expect(submit.actions.has('states:StartExecution')).toBe(false);
    const step = grantsOf(dev, 'ReturnStep');
    expect(step.text).toContain(arnText('UnitReturn'));
    expect(envOf(dev, 'ReturnStep')).toHaveProperty('UNIT_RETURN_ARN');
    expect(grantsOf(dev, 'getFiling').actions.has('states:StartExecution')).toBe(false);
  });

  it('set each environment variable together with its grant', () => {
    const env = (id: string) => envOf(dev, id);
    expect(env('submitFiling')).toHaveProperty(TABLE_NAME_ENV);
    expect(env('submitFiling')).toHaveProperty(FIELD_KEY_ARN_ENV);
    expect(env('submitFiling')).toHaveProperty(ATTACHMENTS_BUCKET_ENV);
    expect(env('submitFiling')).not.toHaveProperty('FILING_WORKFLOW_ARN');
    expect(env('getFiling')).not.toHaveProperty(FIELD_KEY_ARN_ENV);
    expect(env('listPrograms')).not.toHaveProperty(TABLE_NAME_ENV);
    // Mail is queued in the table: only the mailer function (the outbox's nested stack) holds the
    // relay's settings and rights.
    for (const built of [dev, liaoning]) {
      expect(envOf(built, 'WorkflowStep')).not.toHaveProperty(MAIL_TRANSPORT_ENV);
      expect(envOf(built, 'WorkflowStep')).toHaveProperty('PUBLIC_SITE_URL');
      const text = JSON.stringify(statements(built.statelessTemplate));
      expect(text).not.toContain('ses:SendEmail');
      expect(text).not.toContain('secretsmanager:GetSecretValue');
    }
  });
});

describe('workflows', () => {
  it('provide every substitution placeholder of every ASL file', () => {
    const machines = resourcesOf(dev.statelessTemplate, 'AWS::StepFunctions::StateMachine');
    expect(Object.keys(machines)).toHaveLength(STATE_MACHINES.length);
    for (const machine of STATE_MACHINES) {
      const asl = readFileSync(join(ROOT, machine.file), 'utf8');
      const used = placeholders(asl);
      expect(used.length, machine.file).toBeGreaterThan(0);
      const [sm] = Object.values(machines).filter((m) =>
        JSON.stringify(m.Properties?.StateMachineName).includes(machine.id),
      );
      const provided = Object.keys((sm?.Properties?.DefinitionSubstitutions as object) ?? {}).sort();
      expect(provided, machine.file).toEqual(used);
    }
  });

  it('log without execution data, trace, and may invoke only their own functions', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    const [sm] = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::StepFunctions::StateMachine'));
    const smRole = (sm?.Properties?.RoleArn as { 'Fn::GetAtt': string[] } | undefined)?.['Fn::GetAtt'][0];
    const invokes = statements(dev.statelessTemplate).filter(
      (s) => s.roles.includes(smRole ?? '') && s.Action.includes('lambda:InvokeFunction'),
    );
    expect(invokes.length).toBeGreaterThan(0);
    const workflowFns = WORKFLOW_FUNCTIONS.map((f) => functionsById(dev).get(f.id)?.logicalId);
    for (const s of invokes) {
      const text = JSON.stringify(s.Resource);
      expect(
        workflowFns.some((id) => id && text.includes(id)),
        text,
      ).toBe(true);
    }
  });
});

describe('schedules', () => {
  it('run each job in Asia/Shanghai with a retry policy and a dead-letter queue', () => {
    const schedules = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(SCHEDULES.length);
    for (const job of SCHEDULES) {
      dev.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: job.expression,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        Target: Match.objectLike({
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      });
    }
    dev.statelessTemplate.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });
});

describe('alarms', () => {
  it('alarm on 5xx, function errors and throttles, workflow failures, timeouts, dead letters and scheduler failures, all to the topic', () => {
    const alarms = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::CloudWatch::Alarm'));
    const metrics = alarms.map((a) => `${a.Properties?.Namespace}:${a.Properties?.MetricName}`);
    const fnCount = functionsById(dev).size;
    const count = (m: string) => metrics.filter((x) => x === m).length;
    expect(count('AWS/ApiGateway:5xx')).toBe(1);
    expect(count('AWS/Lambda:Errors')).toBe(fnCount);
    // Throttling once for the account (its total has no function dimension).
    expect(count('AWS/Lambda:Throttles')).toBe(1);
    const throttles = alarms.find((a) => a.Properties?.MetricName === 'Throttles');
    expect(throttles?.Properties?.Dimensions).toBeUndefined();
    expect(count('AWS/States:ExecutionsFailed')).toBe(STATE_MACHINES.length);
    expect(count('AWS/States:ExecutionsTimedOut')).toBe(STATE_MACHINES.length);
    expect(count('AWS/SQS:ApproximateNumberOfMessagesVisible')).toBe(SCHEDULES.length);
    expect(metrics.filter((m) => m.startsWith('AWS/Scheduler:')).length).toBeGreaterThanOrEqual(2);
    const [topic] = Object.keys(resourcesOf(dev.statelessTemplate, 'AWS::SNS::Topic'));
    for (const alarm of alarms) expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topic }]);
    dev.statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: dev.stage.alertEmail,
    });
  });
});

describe('the site', () => {
  it('is served over HTTPS only through CloudFront with origin access control and security headers', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: Match.anyValue(),
        }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
    dev.statefulTemplate.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ Override: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    // China regions: an origin access identity (no origin access control there).
    liaoning.statefulTemplate.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
    liaoning.statefulTemplate.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
  });

  it('is uploaded to the site bucket with a config.json that points the pages at the API, and the cache invalidated', () => {
    const [deployment] = Object.values(resourcesOf(dev.statelessTemplate, 'Custom::CDKBucketDeployment'));
    const props = deployment?.Properties as Record<string, unknown>;
    expect(props.SourceObjectKeys).toHaveLength(2); // the pages, and config.json
    const [api] = Object.keys(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Api'));
    expect(JSON.stringify(props.SourceMarkers)).toContain(
      JSON.stringify({ 'Fn::GetAtt': [api, 'ApiEndpoint'] }),
    );
    expect(JSON.stringify(props.DestinationBucketName)).toContain('sso-dev-site-');
    expect(props.DistributionPaths).toEqual(['/*']);
  });
});
