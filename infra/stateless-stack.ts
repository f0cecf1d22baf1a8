// The code and its wiring, replaceable at will: the HTTP API and its functions, the
// workflows, scheduled jobs, the site's pages and the alarms. It only refers to the
// stateful stack's resources: by the names both compute (infra/names.ts) and by the SSM
// parameters the stateful stack writes, resolved at deploy time. It imports no export, so
// any stateful resource can be replaced without "export in use".
import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ROUTES, type Route } from '#shared/http/routes.ts';
import { STATE_MACHINES } from '#workflows/functions.ts';
import { Alarms } from './constructs/alarms.ts';
import type { AppResources } from './constructs/app-function.ts';
import { FilingApi } from './constructs/filing-api.ts';
import { FilingWorkflow } from './constructs/filing-workflow.ts';
import { OutboxStack } from './constructs/outbox.ts';
import { ScheduledJobs } from './constructs/scheduled-jobs.ts';
import { SiteContent } from './constructs/site-content.ts';
import { staffConsoleSignIn, staffParameters } from './constructs/staff-directory.ts';
import type { StateMachineId } from './functions.ts';
import { retentionDays } from './log-retention.ts';
import { bucketName, stateMachineName, tableName, type WiringParameter, wiringParameters } from './names.ts';
import type { Stage } from './stage.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  stage: Stage;
  stateful: StatefulStack;
  /** The built site to upload (see infra/app.ts). */
  siteDir: string;
  /** The route table (the shared one; tests pass others). */
  routes?: readonly Route[];
}

/** Staff routes trust the stage's sign-in: its Cognito user pool, or the bureau's OIDC issuer. */
function staffAuthorizer(scope: Construct, stage: Stage, stateful: StatefulStack): IHttpRouteAuthorizer {
  if (stage.staffSignIn.provider === 'oidc') {
    return new HttpJwtAuthorizer('StaffAuthorizer', stage.staffSignIn.issuer, {
      jwtAudience: stage.staffSignIn.audience,
    });
  }
  if (!stateful.staff) throw new Error('a Cognito stage without its staff directory');
  // The pool and client by their ids in SSM (resolved at deploy time), not by export.
  const names = staffParameters(stage);
  const userPool = UserPool.fromUserPoolId(
    scope,
    'StaffUserPool',
    StringParameter.valueForStringParameter(scope, names.userPoolId),
  );
  const client = UserPoolClient.fromUserPoolClientId(
    scope,
    'StaffClient',
    StringParameter.valueForStringParameter(scope, names.clientId),
  );
  return new HttpUserPoolAuthorizer('StaffAuthorizer', userPool, { userPoolClients: [client] });
}

export class StatelessStack extends Stack {
  readonly api: FilingApi;
  readonly workflow: FilingWorkflow;
  readonly jobs: ScheduledJobs;
  readonly alarms: Alarms;
  /** The outbox's delivery (a nested stack: infra/constructs/outbox.ts). */
  readonly outbox: OutboxStack;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stage, stateful } = props;
    const logRetention = retentionDays(stage.logRetentionDays);
    const parameters = wiringParameters(stage);
    const wired = (name: WiringParameter) => StringParameter.valueForStringParameter(this, parameters[name]);
    // The stage's own site domain where it has one (a plain string), otherwise CloudFront's.
    const siteDomain = stage.domains ? stage.domains.site : wired('distributionDomainName');
    const siteUrl = `https://${siteDomain}`;
    const objectKey = Key.fromKeyArn(this, 'ObjectKey', wired('objectKeyArn'));
    const allowedOrigins = [...new Set([siteUrl, ...stage.allowedOrigins])];

    this.api = new FilingApi(this, 'Api', {
      routes: props.routes ?? ROUTES,
      allowedOrigins,
      staffAuthorizer: staffAuthorizer(this, stage, stateful),
      throttle: stage.throttle,
      logRetention,
      ...(stage.domains ? { domainName: stage.domains.api } : {}),
    });

    // State machines get fixed names, so functions can be granted on their ARNs without
    // depending on the machines (which depend on the workflow functions).
    const names = Object.fromEntries(STATE_MACHINES.map((m) => [m.id, stateMachineName(stage, m.id)]));
    const arnOf = (name: string) =>
      this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const stateMachineArns = Object.fromEntries(
      Object.entries(names).map(([id, name]) => [id, arnOf(name)]),
    ) as Record<StateMachineId, string>;

    const resources: AppResources = {
      table: TableV2.fromTableName(this, 'Table', tableName(stage)),
      tableKey: Key.fromKeyArn(this, 'TableKey', wired('tableKeyArn')),
      hmacKey: Key.fromKeyArn(this, 'PersonHmacKey', wired('hmacKeyArn')),
      fieldKey: Key.fromKeyArn(this, 'FieldKey', wired('fieldKeyArn')),
      // By name (see infra/names.ts), with their key from SSM.
      attachments: Bucket.fromBucketAttributes(this, 'Attachments', {
        bucketName: bucketName(this, stage, 'attachments'),
        encryptionKey: objectKey,
      }),
      reports: Bucket.fromBucketAttributes(this, 'Reports', {
        bucketName: bucketName(this, stage, 'reports'),
        encryptionKey: objectKey,
      }),
      mail: stateful.mail,
      stateMachineArns,
      apiUrl: this.api.url,
      siteUrl,
      allowedOrigins,
      alertEmail: stage.alertEmail,
      logRetention,
    };
    this.workflow = new FilingWorkflow(this, 'Workflow', { resources, names, logRetention });
    this.api.addRoutes(resources);
    this.jobs = new ScheduledJobs(this, 'Jobs', resources);
    this.outbox = new OutboxStack(this, 'Outbox', { stage, resources });
    new SiteContent(this, 'Site', {
      siteDir: props.siteDir,
      bucket: Bucket.fromBucketName(this, 'SitePages', bucketName(this, stage, 'site')),
      // Only its id is used (the invalidation). The domain it serves the site on is given as
      // its domain: reading the other from SSM would leave an unreferenced parameter.
      distribution: Distribution.fromDistributionAttributes(this, 'SiteDistribution', {
        distributionId: wired('distributionId'),
        domainName: siteDomain,
      }),
      apiUrl: this.api.url,
      staffSignIn: staffConsoleSignIn(this, stage, siteUrl),
    });

    const functions = new Map<string, NodejsFunction>();
    for (const [fid, fn] of [...this.api.functions, ...this.workflow.functions]) functions.set(fid, fn.fn);
    const deadLetterQueues = new Map<string, IQueue>();
    for (const job of this.jobs.jobs) {
      functions.set(job.id, job.fn.fn);
      deadLetterQueues.set(job.id, job.deadLetters);
    }
    this.alarms = new Alarms(this, 'Alarms', {
      alertEmail: stage.alertEmail,
      api: this.api.api,
      functions,
      stateMachines: this.workflow.stateMachines,
      deadLetterQueues,
    });
    this.outbox.outbox.alarmTo(this.alarms.topic);

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: 'The HTTP API (review links point here)',
    });
    new CfnOutput(this, 'SiteUrl', { value: siteUrl, description: 'The filing site' });
  }
}
