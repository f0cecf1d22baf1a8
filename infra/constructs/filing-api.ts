// The HTTP API: every route of the shared route table (the same table the local server
// serves), each to its own function; default throttling with a tighter limit on the public
// write routes; CORS for the configured origins; JSON access logs without query strings
// (receipt tokens may travel there); a JWT authorizer (the staff user pool) on staff routes.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnApiMapping,
  type CfnRoute,
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '#shared/http/routes.ts';
import { FUNCTION_NEEDS } from '../functions.ts';
import { acknowledge } from '../nag.ts';
import type { Stage } from '../stage.ts';
import { type AppResources, appFunction } from './app-function.ts';
import type { HouseFunction } from './house-function.ts';

export interface FilingApiProps {
  routes: readonly Route[];
  allowedOrigins: string[];
  /** The JWT authorizer of the staff routes. */
  staffAuthorizer: IHttpRouteAuthorizer;
  throttle: Stage['throttle'];
  logRetention: RetentionDays;
  /** The API's custom domain (made by the stateful stack), mapped onto this API by name. */
  domainName?: string;
}

/** Routes anyone may call that write: a tenth of the default rate each. */
const isPublicWrite = (route: Route) => route.access === 'public' && route.method !== 'GET';

export class FilingApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions = new Map<string, HouseFunction>();
  private readonly props: FilingApiProps;

  constructor(scope: Construct, id: string, props: FilingApiProps) {
    super(scope, id);
    this.props = props;
    this.api = new HttpApi(this, 'Api', {
      description: 'Standards-officer filing API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT],
        allowHeaders: ['content-type', 'authorization', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.api.addStage('PublicStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      props.routes.filter(isPublicWrite).map((route) => [
        `${route.method} ${route.path}`,
        {
          // Raw CloudFormation (the L1 passes this map through as written).
          ThrottlingRateLimit: Math.max(1, Math.floor(props.throttle.rateLimit / 10)),
          ThrottlingBurstLimit: Math.max(1, Math.floor(props.throttle.burstLimit / 10)),
        },
      ]),
    );
    if (props.domainName) {
      const mapping = new CfnApiMapping(this, 'DomainMapping', {
        apiId: this.api.apiId,
        domainName: props.domainName,
        stage: '$default',
      });
      mapping.addResourceDependency(cfnStage);
    }
  }

  /** The API's base URL (no trailing slash): its custom domain where the stage has one. */
  get url(): string {
    return this.props.domainName ? `https://${this.props.domainName}` : this.api.apiEndpoint;
  }

  /** One function and one route per entry of the route table. */
  addRoutes(resources: AppResources): void {
    const authorizer = this.props.staffAuthorizer;
    for (const route of this.props.routes) {
      const needs = FUNCTION_NEEDS[route.id];
      if (!needs) throw new Error(`infra/functions.ts names no needs for route ${route.id}`);
      const fn = appFunction(
        this,
        route.id,
        { handler: route.handler, needs, description: `${route.method} ${route.path}: ${route.summary.en}` },
        resources,
      );
      this.functions.set(route.id, fn);
      acknowledge(
        fn.fn,
        'Serverless-LambdaDLQ',
        'Invoked synchronously by API Gateway: the caller gets the error; there is no event to keep.',
      );
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn.fn),
        ...(route.access === 'staff' ? { authorizer } : {}),
      });
      if (isPublicWrite(route)) {
        // The stage's RouteSettings name this route: API Gateway refuses the stage ("Unable to
        // find Route by key") unless the route exists first.
        const stage = this.stage.node.defaultChild as CfnStage;
        for (const r of routes) stage.addResourceDependency(r.node.defaultChild as CfnRoute);
      }
      if (route.access !== 'staff') {
        for (const r of routes) {
          acknowledge(
            r,
            'AwsSolutions-APIG4',
            route.access === 'public'
              ? 'A public route of the filing site: enterprises file without accounts; abuse is met by throttling and validation.'
              : 'Authorized by the handler: a receipt token or a review-link token (hashed, expiring, single-use) is checked in the use case.',
          );
        }
      }
    }
  }
}
