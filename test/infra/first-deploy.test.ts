// What a first deploy needs on both shipped stages (dev in a global region, liaoning in
// cn-north-1): resource ordering CloudFormation cannot infer, what the China partition and
// its services refuse, and run-time settings a template review would otherwise have to catch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffGroups, staffParameters } from '#infra/constructs/staff-directory.ts';
import { FUNCTION_NEEDS } from '#infra/functions.ts';
import { wiringParameters } from '#infra/names.ts';
import { ROOT } from '#infra/paths.ts';
import { loadStage, longestBucketName, parseStage } from '#infra/stage.ts';
import { sender } from '#infra/stateful-stack.ts';
import { PUBLIC_API_URL_ENV, PUBLIC_SITE_URL_ENV } from '#shared/config/env.ts';
import { ROUTES } from '#shared/http/routes.ts';
import { JOB_CADENCE } from '#shared/use-cases/scheduled-runs.ts';
import { SCHEDULES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';
import { type Built, build, resourcesOf, statements } from './support.ts';

let dev: Built;
let liaoning: Built;
beforeAll(() => {
  dev = build('dev');
  liaoning = build('liaoning');
});

const both = () =>
  [
    ['dev', dev],
    ['liaoning', liaoning],
  ] as const;

describe('the API stage', () => {
  it('is created after every route its RouteSettings name', () => {
    for (const [name, built] of both()) {
      const template = built.statelessTemplate;
      const stages = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
      expect(stages, name).toHaveLength(1);
      const stage = stages[0] as (typeof stages)[number];
      const settings = Object.keys((stage.Properties?.RouteSettings ?? {}) as Record<string, unknown>);
      expect(settings.length, name).toBeGreaterThan(0);
      const routeIds = new Map(
        Object.entries(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map(([id, r]) => [
          r.Properties?.RouteKey as string,
          id,
        ]),
      );
      const dependsOn = [stage.DependsOn ?? []].flat();
      for (const key of settings) {
        const routeId = routeIds.get(key);
        expect(routeId, `${name}: a route for ${key}`).toBeDefined();
        expect(dependsOn, `${name}: ${key}`).toContain(routeId);
      }
    }
  });
});

/** The site distribution's configuration. */
function distributionConfig(template: Template): Record<string, unknown> {
  const dists = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'));
  expect(dists).toHaveLength(1);
  return dists[0]?.Properties?.DistributionConfig as Record<string, unknown>;
}

/** The site distribution's default cache behaviour. */
const defaultBehavior = (template: Template) =>
  distributionConfig(template).DefaultCacheBehavior as Record<string, unknown>;

describe('the site’s distribution', () => {
  it('uses cache and response headers policies with a Content-Security-Policy in a global region', () => {
    const behavior = defaultBehavior(dev.statefulTemplate);
    expect(behavior?.CachePolicyId).toBeDefined();
    expect(behavior?.ResponseHeadersPolicyId).toBeDefined();
    expect(behavior?.ForwardedValues).toBeUndefined();
    const [policy] = Object.values(
      resourcesOf(dev.statefulTemplate, 'AWS::CloudFront::ResponseHeadersPolicy'),
    );
    const csp = JSON.stringify(policy?.Properties);
    expect(csp).toContain('ContentSecurityPolicy');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
  });

  it('uses the legacy ForwardedValues and TTLs in China, which refuses both policies', () => {
    const template = liaoning.statefulTemplate;
    const behavior = defaultBehavior(template);
    expect(behavior).not.toHaveProperty('CachePolicyId');
    expect(behavior).not.toHaveProperty('ResponseHeadersPolicyId');
    expect(behavior?.ForwardedValues).toEqual({ QueryString: false, Cookies: { Forward: 'none' } });
    expect(behavior).toMatchObject({ MinTTL: 0, DefaultTTL: 86_400, MaxTTL: 31_536_000 });
    template.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 0);
    template.resourceCountIs('AWS::CloudFront::CachePolicy', 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/CachePolicyId|ResponseHeadersPolicyId/);
  });

  it('leaves the pages their own Content-Security-Policy and referrer policy (all China has)', () => {
    for (const page of ['index.html', 'receipt.html', 'status.html']) {
      const html = readFileSync(join(ROOT, 'site', page), 'utf8');
      expect(html, page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
      expect(html, page).toContain('<meta name="referrer" content="no-referrer">');
    }
  });
});

describe('the partition', () => {
  it('is never written as a literal `arn:aws:` in a China template', () => {
    for (const template of [liaoning.statefulTemplate, liaoning.statelessTemplate]) {
      const text = JSON.stringify(template.toJSON());
      expect(text.match(/arn:aws:[^"]{0,60}/g) ?? []).toEqual([]);
    }
  });

  it('is substituted into every state machine’s task ARNs, as the stack’s partition', () => {
    for (const [name, built] of both()) {
      const machines = Object.values(
        resourcesOf(built.statelessTemplate, 'AWS::StepFunctions::StateMachine'),
      );
      expect(machines.length, name).toBeGreaterThan(0);
      for (const machine of machines) {
        const props = machine.Properties as {
          DefinitionString: unknown;
          DefinitionSubstitutions: Record<string, unknown>;
        };
        expect(JSON.stringify(props.DefinitionString), name).toContain(
          `arn:\${Partition}:states:::lambda:invoke`,
        );
        expect(props.DefinitionSubstitutions.Partition, name).toEqual({ Ref: 'AWS::Partition' });
      }
    }
  });
});

describe('scheduled jobs', () => {
  it('are not retried by Lambda, and a failed run goes to the job’s own dead-letter queue', () => {
    for (const [name, built] of both()) {
      const template = built.statelessTemplate;
      const schedules = Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule'));
      expect(schedules.length, name).toBe(SCHEDULES.length);
      const configs = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig'));
      for (const schedule of schedules) {
        const target = schedule.Properties?.Target as {
          Arn: { 'Fn::GetAtt': [string, string] };
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [string, string] } };
        };
        const fnId = target.Arn['Fn::GetAtt'][0];
        const queueId = target.DeadLetterConfig.Arn['Fn::GetAtt'][0];
        const config = configs.find(
          (c) => (c.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref === fnId,
        );
        expect(config?.Properties, `${name}: ${fnId}`).toMatchObject({
          MaximumRetryAttempts: 0,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
        });
      }
    }
  });

  it('tell each run its job and scheduled time, from which the function claims the period once', () => {
    for (const [name, built] of both()) {
      const inputs = Object.values(resourcesOf(built.statelessTemplate, 'AWS::Scheduler::Schedule')).map(
        (s) => JSON.parse(String((s.Properties?.Target as { Input?: string } | undefined)?.Input)) as unknown,
      );
      expect(inputs, name).toEqual(
        expect.arrayContaining(
          SCHEDULES.map((job) => ({ job: job.id, scheduledTime: '<aws.scheduler.scheduled-time>' })),
        ),
      );
      expect(inputs.length, name).toBe(SCHEDULES.length);
      // Every job has a period the functions know (shared/use-cases/scheduled-runs.ts).
      for (const job of SCHEDULES) expect(JOB_CADENCE, job.id).toHaveProperty(job.id);
    }
  });

  it('acknowledge cdk-nag’s missing Lambda DLQ with the reason that holds: no Lambda retry, failures to the job’s queue', () => {
    const reasons = (built: Built) =>
      built.stateless.jobs.jobs.map((job) =>
        job.fn.fn.node.metadata
          .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
          .map((m) => (m.data as Record<string, string>)['Annotation::Serverless-LambdaDLQ'])
          .find((reason) => reason !== undefined),
      );
    for (const [name, built] of both()) {
      expect(reasons(built).length, name).toBe(SCHEDULES.length);
      for (const reason of reasons(built)) {
        expect(reason, name).toContain('not retried');
        expect(reason, name).toContain('on-failure destination');
      }
    }
  });
});

describe('route functions', () => {
  it('end within the HTTP API’s 30 s: every route’s needs and its function in the template say ≤ 29 s', () => {
    const routeIds = new Set(ROUTES.map((r) => r.id));
    for (const route of ROUTES) {
      const needs = FUNCTION_NEEDS[route.id];
      expect(needs, route.id).toBeDefined();
      expect(needs?.timeoutSeconds ?? 10, route.id).toBeLessThanOrEqual(29);
    }
    for (const [name, built] of both()) {
      let seen = 0;
      for (const fn of Object.values(resourcesOf(built.statelessTemplate, 'AWS::Lambda::Function'))) {
        const path = String((fn.Metadata as Record<string, unknown> | undefined)?.['aws:cdk:path'] ?? '');
        const id = /\/Api\/([A-Za-z]+)\/Function\/Resource$/.exec(path)?.[1];
        if (!id || !routeIds.has(id)) continue;
        seen++;
        expect(fn.Properties?.Timeout, `${name}: ${id}`).toBeLessThanOrEqual(29);
      }
      expect(seen, name).toBe(ROUTES.length);
    }
  });
});

describe('staff groups', () => {
  it('are named in the template by programme id and unit code, not by position', () => {
    const groups = Object.values(resourcesOf(dev.statefulTemplate, 'AWS::Cognito::UserPoolGroup'));
    expect(groups.length).toBe(staffGroups().length);
    for (const group of groups) {
      const name = String(group.Properties?.GroupName);
      const path = String((group.Metadata as Record<string, unknown>)['aws:cdk:path']);
      expect(path).toMatch(new RegExp(`/StaffDirectory/Group-${name}$`));
    }
    // China stages sign staff in with the bureau's OIDC provider: no groups to keep.
    liaoning.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
  });
});

describe('custom domains', () => {
  it('are required in the China regions by the stage schema', () => {
    const { domains: _none, ...withoutDomains } = loadStage('liaoning');
    expect(() => parseStage(withoutDomains, 'test stage')).toThrow(/domains: China regions serve CloudFront/);
    expect(() => parseStage({ ...loadStage('liaoning'), domains: { site: 'https://x.cn/' } })).toThrow(
      /domains\.site/,
    );
  });

  it('serve the China site on its ICP domain with the IAM certificate, TLS 1.2', () => {
    const config = distributionConfig(liaoning.statefulTemplate);
    expect(config.Aliases).toEqual(['beian.example.cn']);
    expect(config.ViewerCertificate).toEqual({
      IamCertificateId: 'ASCAEXAMPLECERTIFICATE1',
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    expect(distributionConfig(dev.statefulTemplate).Aliases).toBeUndefined();
  });

  it('keep the API domain in the stateful stack, mapped by name from the stateless one', () => {
    liaoning.statefulTemplate.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.beian.example.cn',
      DomainNameConfigurations: [
        {
          CertificateArn:
            'arn:aws-cn:acm:cn-north-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
        },
      ],
    });
    liaoning.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    const [mapping] = Object.values(resourcesOf(liaoning.statelessTemplate, 'AWS::ApiGatewayV2::ApiMapping'));
    expect(mapping?.Properties).toMatchObject({ DomainName: 'api.beian.example.cn', Stage: '$default' });
    const [stageId] = Object.keys(resourcesOf(liaoning.statelessTemplate, 'AWS::ApiGatewayV2::Stage'));
    expect([mapping?.DependsOn].flat()).toContain(stageId);
    // Without domains (dev), the API's own endpoint and the CloudFront domain.
    dev.statefulTemplate.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    dev.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
  });

  it('are the origin and the links everywhere in China: CORS, PUBLIC_SITE_URL, PUBLIC_API_URL, config.json, outputs', () => {
    const template = liaoning.statelessTemplate;
    const [api] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Api'));
    expect(
      (api?.Properties?.CorsConfiguration as { AllowOrigins: unknown } | undefined)?.AllowOrigins,
    ).toEqual(['https://beian.example.cn']);
    let mailing = 0;
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      const env =
        (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      if (PUBLIC_SITE_URL_ENV in env) {
        mailing++;
        expect(env[PUBLIC_SITE_URL_ENV]).toBe('https://beian.example.cn');
      }
      if (PUBLIC_API_URL_ENV in env) expect(env[PUBLIC_API_URL_ENV]).toBe('https://api.beian.example.cn');
    }
    expect(mailing).toBeGreaterThan(0);
    // Nothing (config.json, the outputs, mail links) points at the API's or CloudFront's default domain.
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toContain('ApiEndpoint');
    expect(text).not.toContain('DomainName"]}');
    expect(liaoning.stateless.resolve(liaoning.stateless.api.url)).toBe('https://api.beian.example.cn');
    template.hasOutput('ApiUrl', { Value: 'https://api.beian.example.cn' });
    template.hasOutput('SiteUrl', { Value: 'https://beian.example.cn' });
  });
});

type AslState = {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Parameters?: { FunctionName?: string };
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Branches?: { States: Record<string, AslState> }[];
  ItemProcessor?: { States: Record<string, AslState> };
};

/** Every Task state of every state machine in a template, with the machine's name. */
function tasks(built: Built): { machine: string; name: string; state: AslState }[] {
  const out: { machine: string; name: string; state: AslState }[] = [];
  const walk = (machine: string, states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') out.push({ machine, name, state });
      for (const branch of state.Branches ?? []) walk(machine, branch.States);
      if (state.ItemProcessor) walk(machine, state.ItemProcessor.States);
    }
  };
  for (const sm of Object.values(resourcesOf(built.statelessTemplate, 'AWS::StepFunctions::StateMachine'))) {
    const props = sm.Properties as { StateMachineName: string; DefinitionString: string };
    walk(
      props.StateMachineName,
      (JSON.parse(props.DefinitionString) as { States: Record<string, AslState> }).States,
    );
  }
  return out;
}

describe('workflow tasks', () => {
  it('retry throttling (ServiceUnavailable) and task failures at every wait, as the filing workflow does', () => {
    for (const [name, built] of both()) {
      const waits = tasks(built).filter((t) =>
        t.state.Resource?.endsWith(':states:::lambda:invoke.waitForTaskToken'),
      );
      expect(waits.length, name).toBeGreaterThanOrEqual(6);
      for (const { machine, name: state, state: task } of waits) {
        const retriers = task.Retry ?? [];
        const on = (error: string) => retriers.find((r) => r.ErrorEquals.includes(error));
        expect(on('ServiceUnavailable'), `${name} ${machine}.${state}`).toMatchObject({ MaxAttempts: 6 });
        expect(on('States.TaskFailed'), `${name} ${machine}.${state}`).toMatchObject({ MaxAttempts: 3 });
        // A wait that timed out is not started again.
        expect(on('States.Timeout'), `${name} ${machine}.${state}`).toMatchObject({ MaxAttempts: 0 });
      }
    }
  });
});

describe('what the stateless stack takes from the stateful one', () => {
  it('is no export at all: the stateless templates import nothing, the stateful ones export nothing', () => {
    for (const [name, built] of both()) {
      const text = JSON.stringify(built.statelessTemplate.toJSON());
      expect(text, name).not.toContain('Fn::ImportValue');
      const outputs = Object.entries(built.statefulTemplate.findOutputs('*'));
      expect(outputs.length, name).toBeGreaterThan(0);
      // The outputs left are for people (DKIM records, the staff pool, the API's DNS target).
      for (const [id, output] of outputs) expect(output, `${name}: ${id}`).not.toHaveProperty('Export');
    }
  });

  it('finds the table by its computed name, and the keys and the distribution through SSM', () => {
    for (const [name, built] of both()) {
      const table = `standards-officer-${built.stage.name}`;
      built.statefulTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: table });
      const envs = Object.values(resourcesOf(built.statelessTemplate, 'AWS::Lambda::Function')).map(
        (fn) =>
          (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
          {},
      );
      const tableNames = new Set(envs.filter((e) => 'TABLE_NAME' in e).map((e) => e.TABLE_NAME));
      expect([...tableNames], name).toEqual([table]);
      const read = Object.values(
        (
          built.statelessTemplate.toJSON() as {
            Parameters?: Record<string, { Type: string; Default?: string }>;
          }
        ).Parameters ?? {},
      )
        .filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>')
        .map((p) => p.Default);
      const wiring = Object.values(wiringParameters(built.stage));
      // Without its own domain (dev), the site's origin is the distribution's domain, read from SSM too.
      const needed = built.stage.domains
        ? wiring.filter((p) => p !== wiringParameters(built.stage).distributionDomainName)
        : wiring;
      expect(read, name).toEqual(expect.arrayContaining(needed));
      for (const parameter of wiring) {
        built.statefulTemplate.hasResourceProperties('AWS::SSM::Parameter', {
          Name: parameter,
          Type: 'String',
        });
      }
      for (const parameter of wiring)
        expect(parameter, name).toMatch(`/standards-officer/${built.stage.name}/`);
    }
    // Without its own domain (dev), the site's origin is the distribution's domain from SSM.
    const parameters = (
      dev.statelessTemplate.toJSON() as { Parameters: Record<string, { Default?: string }> }
    ).Parameters;
    const domainParameter = Object.keys(parameters).find(
      (id) => parameters[id]?.Default === wiringParameters(dev.stage).distributionDomainName,
    );
    const [api] = Object.values(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Api'));
    expect(
      (api?.Properties?.CorsConfiguration as { AllowOrigins?: unknown } | undefined)?.AllowOrigins,
    ).toEqual([{ 'Fn::Join': ['', ['https://', { Ref: domainParameter }]] }]);
  });

  // The mailer function, which alone sends mail, lives in the outbox's nested stack.
  const mailerTemplate = (built: Built) => Template.fromStack(built.stateless.outbox).toJSON();

  it('names the SES identity and configuration set by the stage’s settings', () => {
    const { statefulTemplate } = dev;
    statefulTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'standards-officer-dev' });
    const text = JSON.stringify(mailerTemplate(dev));
    expect(text).toContain(':identity/dev.example.org');
    expect(text).toContain(':configuration-set/standards-officer-dev');
  });

  it('reads the SMTP secret by the name the stage sets', () => {
    const text = JSON.stringify(mailerTemplate(liaoning));
    expect(text).toContain(':secret:standards-officer/liaoning/smtp-??????');
  });

  it('reads the staff user pool and client ids from SSM at deploy time, and the stateful stack outputs them', () => {
    const parameters = Object.values(
      (dev.statelessTemplate.toJSON() as { Parameters?: Record<string, { Type: string; Default?: string }> })
        .Parameters ?? {},
    )
      .filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>')
      .map((p) => p.Default);
    const names = staffParameters(dev.stage);
    expect(parameters).toEqual(expect.arrayContaining([names.userPoolId, names.clientId]));
    dev.statefulTemplate.hasResourceProperties('AWS::SSM::Parameter', { Name: names.userPoolId });
    dev.statefulTemplate.hasResourceProperties('AWS::SSM::Parameter', { Name: names.clientId });
    dev.statefulTemplate.hasOutput('StaffUserPoolId', {});
    dev.statefulTemplate.hasOutput('StaffClientId', {});
    // China stages sign staff in with the bureau's OIDC provider: no pool, no parameters for one.
    const liaoningNames = Object.values(resourcesOf(liaoning.statefulTemplate, 'AWS::SSM::Parameter')).map(
      (p) => p.Properties?.Name,
    );
    expect(liaoningNames).not.toContain(staffParameters(liaoning.stage).userPoolId);
    expect(liaoningNames).not.toContain(staffParameters(liaoning.stage).clientId);
  });
});

describe('SES', () => {
  it('outputs the three DKIM records of the domain identity', () => {
    const outputs = dev.statefulTemplate.findOutputs('*') as Record<string, { Value: unknown }>;
    for (const i of [1, 2, 3]) {
      const value = JSON.stringify(outputs[`MailDkimRecord${i}`]?.Value);
      expect(value).toContain(`DkimDNSTokenName${i}`);
      expect(value).toContain(' CNAME ');
      expect(value).toContain(`DkimDNSTokenValue${i}`);
    }
    // SMTP in China: no identity, nothing to publish.
    expect(Object.keys(liaoning.statefulTemplate.findOutputs('*'))).not.toContain('MailDkimRecord1');
  });

  it('sends Cognito’s invitations through the stage’s SES identity and configuration set', () => {
    const [pool] = Object.entries(resourcesOf(dev.statefulTemplate, 'AWS::Cognito::UserPool'));
    expect(pool?.[1].Properties?.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      // The display name as an RFC 2047 encoded word (CDK encodes non-ASCII names).
      From: `=?UTF-8?B?${Buffer.from('标准化人才备案（测试）').toString('base64')}?= <noreply@dev.example.org>`,
      ConfigurationSet: 'standards-officer-dev',
    });
    expect(JSON.stringify(pool?.[1].Properties?.EmailConfiguration)).toContain(':identity/dev.example.org');
    const identity = Object.keys(resourcesOf(dev.statefulTemplate, 'AWS::SES::EmailIdentity'));
    expect([pool?.[1].DependsOn].flat()).toEqual(expect.arrayContaining(identity));
  });

  it('reads sender and display name from the stage’s From', () => {
    expect(sender('辽宁省首席标准官备案 <noreply@example.cn>')).toEqual({
      fromName: '辽宁省首席标准官备案',
      fromEmail: 'noreply@example.cn',
    });
    expect(sender('noreply@example.cn')).toEqual({ fromName: '', fromEmail: 'noreply@example.cn' });
  });
});

describe('hardening', () => {
  it('gives the staff console the authorization code flow back to the console only', () => {
    const [client] = Object.values(resourcesOf(dev.statefulTemplate, 'AWS::Cognito::UserPoolClient'));
    const props = client?.Properties ?? {};
    expect(props.AllowedOAuthFlows).toEqual(['code']);
    expect(props.GenerateSecret).toBe(false);
    const [dist] = Object.keys(resourcesOf(dev.statefulTemplate, 'AWS::CloudFront::Distribution'));
    // The staff console's page, by its file and by its folder.
    const at = (path: string) => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [dist, 'DomainName'] }, path]],
    });
    const consolePages = [at('/staff/index.html'), at('/staff/')];
    expect(props.CallbackURLs).toEqual(consolePages);
    expect(props.LogoutURLs).toEqual(consolePages);
    expect(JSON.stringify(props)).not.toContain('example.com');
    // The managed login the console signs in on: one domain, named by stage and account.
    const domains = Object.values(resourcesOf(dev.statefulTemplate, 'AWS::Cognito::UserPoolDomain'));
    expect(domains).toHaveLength(1);
    expect(JSON.stringify(domains[0]?.Properties?.Domain)).toContain('sso-dev-staff-');
  });

  it('lets CloudWatch use the alarm topic’s key only for this account’s alarms', () => {
    for (const [name, built] of both()) {
      const keys = Object.values(resourcesOf(built.statelessTemplate, 'AWS::KMS::Key'));
      type KeyPolicy = { Statement: { Principal?: { Service?: string }; Condition?: unknown }[] };
      const policies = keys.flatMap(
        (k) => (k.Properties?.KeyPolicy as KeyPolicy | undefined)?.Statement ?? [],
      );
      const cloudwatch = policies.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
      expect(cloudwatch, name).toHaveLength(1);
      expect(cloudwatch[0]?.Condition, name).toEqual({
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                `:cloudwatch:${built.stage.region}:`,
                { Ref: 'AWS::AccountId' },
                ':alarm:*',
              ],
            ],
          },
        },
      });
    }
  });

  it('logs each state machine under /aws/vendedlogs/states/', () => {
    for (const [name, built] of both()) {
      const machines = Object.values(
        resourcesOf(built.statelessTemplate, 'AWS::StepFunctions::StateMachine'),
      );
      const groups = Object.values(resourcesOf(built.statelessTemplate, 'AWS::Logs::LogGroup')).map((g) =>
        String(g.Properties?.LogGroupName ?? ''),
      );
      for (const machine of machines) {
        const sm = String(machine.Properties?.StateMachineName);
        expect(groups, name).toContain(`/aws/vendedlogs/states/${sm}`);
      }
    }
  });

  it('refuses a stage name that would make a bucket name longer than 63 characters', () => {
    expect(longestBucketName(loadStage('liaoning'))).toBeLessThanOrEqual(63);
    const long = { ...loadStage('dev'), name: 'a-very-long-stage-na', region: 'ap-southeast-1' };
    expect(() => parseStage(long, 'test stage')).toThrow(/name: bucket names .* would exceed 63 characters/);
    expect(() => parseStage({ ...long, name: 'a-very-long-stag' }, 'test stage')).not.toThrow();
  });

  it('grants neither kms:Encrypt nor states:SendTaskHeartbeat, which nothing uses', () => {
    for (const [name, built] of both()) {
      const actions = statements(built.statelessTemplate).flatMap((s) => s.Action);
      expect(actions, name).not.toContain('kms:Encrypt');
      expect(actions, name).not.toContain('states:SendTaskHeartbeat');
      expect(actions, name).toContain('kms:GenerateDataKey');
      expect(actions, name).toContain('states:SendTaskSuccess');
    }
  });
});

describe('workflow steps', () => {
  it('give each function call longer than the function’s own timeout (no second run while the first still runs)', () => {
    const timeoutOf = new Map(
      WORKFLOW_FUNCTIONS.map((f) => [`\${${f.substitution}}`, FUNCTION_NEEDS[f.id]?.timeoutSeconds ?? 10]),
    );
    for (const [name, built] of both()) {
      const calls = tasks(built).filter((t) => timeoutOf.has(t.state.Resource ?? ''));
      expect(calls.length, name).toBeGreaterThan(10);
      for (const { machine, name: state, state: task } of calls) {
        const fnTimeout = timeoutOf.get(task.Resource ?? '') ?? 0;
        expect(task.TimeoutSeconds, `${name} ${machine}.${state}`).toBeGreaterThan(fnTimeout);
      }
    }
  });
});
