// Stage configuration: one JSON file per stage under infra/stages/, checked here before any
// construct is built, so a deployment with a wrong setting stops at synth with the setting's
// path instead of half-deploying.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';

/** Regions without SES: mail goes through SMTP there. */
export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;

const https = z.string().check(
  z.refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'https:' && url.pathname === '/' && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, 'an https origin, e.g. https://beian.example.cn'),
);

const httpsUrl = z.string().check(
  z.refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'an https URL'),
);

const hostname = z
  .string()
  .check(
    z.regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'a host name, e.g. beian.example.cn',
    ),
  );

const arn = z.string().check(z.regex(/^arn:aws(-cn)?:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/, 'an ARN'));

/**
 * The stage's own host names. CloudFront and API Gateway in the China regions serve only on an
 * ICP-recorded custom domain with an uploaded certificate; elsewhere these are optional.
 */
const Domains = z.object({
  /** The filing site (CloudFront), e.g. beian.example.cn. */
  site: hostname,
  /** The API (API Gateway, regional), e.g. api.beian.example.cn: review links in mail point here. */
  api: hostname,
  /**
   * CloudFront's certificate for `site`: in China an IAM server certificate (CloudFront there
   * takes no ACM certificate), elsewhere an ACM certificate in us-east-1.
   */
  siteCertificate: z.union([
    z.object({ iamCertificateId: z.string().check(z.regex(/^[A-Z0-9]{16,32}$/)) }),
    z.object({ acmCertificateArn: arn }),
  ]),
  /** API Gateway's certificate for `api`: an ACM certificate in the stage's region (imported in China). */
  apiCertificateArn: arn,
});

const Mail = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('ses'),
    /** Sender shown on every message, e.g. `辽宁省首席标准官备案 <noreply@example.cn>`. */
    from: z.string().check(z.minLength(3)),
    /** The SES identity the sender belongs to: a domain (DKIM records to publish) or an address. */
    identity: z.string().check(z.minLength(3)),
  }),
  z.object({
    transport: z.literal('smtp'),
    from: z.string().check(z.minLength(3)),
    /**
     * Name of the Secrets Manager secret holding `{ host, port, username, password, secure }`.
     * The stack creates it empty-valued; an operator puts the provider's credentials in it.
     */
    secretName: z.string().check(z.regex(/^[\w/+=.@-]{1,512}$/)),
  }),
]);

const StaffSignIn = z.discriminatedUnion('provider', [
  /** A Cognito user pool made by the stack, with groups per unit and programme. */
  z.object({ provider: z.literal('cognito') }),
  /**
   * An OpenID Connect provider the bureau runs (China regions have no Cognito user pools): the
   * API's JWT authorizer trusts its issuer; its tokens carry the same group names.
   */
  z.object({
    provider: z.literal('oidc'),
    issuer: httpsUrl,
    audience: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  }),
]);

/** The longest bucket name of infra/names.ts for a stage: the account is always 12 digits. */
export const longestBucketName = (stage: { name: string; region: string }): number =>
  `sso-${stage.name}-attachments-${'0'.repeat(12)}-${stage.region}`.length;

export const StageSchema = z
  .object({
    name: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,19}$/)),
    region: z.string().check(z.regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)),
    /** The AWS account; omitted: the account of the CLI's credentials at deploy time. */
    account: z.optional(z.string().check(z.regex(/^\d{12}$/))),
    /** The site's and the API's custom domains and certificates (required in the China regions). */
    domains: z.optional(Domains),
    /** Origins besides the stack's own CloudFront site that may call the API from a browser. */
    allowedOrigins: z.array(https),
    mail: Mail,
    staffSignIn: z._default(StaffSignIn, { provider: 'cognito' as const }),
    /** Where alarms and workflow-failure alerts are sent. */
    alertEmail: z.email(),
    /**
     * Where reviewers' addresses come from. `program-config`: the programme configurations in
     * shared/domain/programs (reviewed changes, deployed with the code).
     */
    reviewerContacts: z.literal('program-config'),
    /** Days CloudWatch keeps function, API and workflow logs (the Cybersecurity Law asks ≥ 180). */
    logRetentionDays: z._default(z.number().check(z.int(), z.gte(180)), 365),
    /** Default API throttling; the public write routes get a tenth of it. */
    throttle: z._default(
      z.object({ rateLimit: z.number().check(z.gt(0)), burstLimit: z.number().check(z.int(), z.gt(0)) }),
      { rateLimit: 50, burstLimit: 100 },
    ),
  })
  .check(
    z.refine(
      (stage) =>
        !(CHINA_REGIONS as readonly string[]).includes(stage.region) || stage.mail.transport === 'smtp',
      {
        message: 'China regions have no SES: mail.transport must be smtp',
        path: ['mail', 'transport'],
      },
    ),
    z.refine(
      (stage) =>
        !(CHINA_REGIONS as readonly string[]).includes(stage.region) || stage.staffSignIn.provider === 'oidc',
      {
        message: 'China regions have no Cognito user pools: staffSignIn.provider must be oidc',
        path: ['staffSignIn', 'provider'],
      },
    ),
    z.refine((stage) => longestBucketName(stage) <= 63, {
      message:
        'bucket names (sso-<name>-attachments-<account>-<region>) would exceed 63 characters: choose a shorter stage name',
      path: ['name'],
    }),
    z.refine((stage) => !(CHINA_REGIONS as readonly string[]).includes(stage.region) || stage.domains, {
      message:
        'China regions serve CloudFront and API Gateway only on ICP-recorded custom domains: set domains (site, api and their certificates)',
      path: ['domains'],
    }),
  );

export type Stage = z.infer<typeof StageSchema>;

/** Checks a stage's settings; the error lists every wrong setting by its path. */
export function parseStage(input: unknown, source = 'stage'): Stage {
  const result = StageSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source} is not a valid stage:\n${lines.join('\n')}`);
  }
  return result.data;
}

const stagesDir = fileURLToPath(new URL('./stages/', import.meta.url));

/** Reads infra/stages/<name>.json. */
export function loadStage(name: string, dir = stagesDir): Stage {
  if (!/^[a-z][a-z0-9-]{1,19}$/.test(name)) throw new Error(`not a stage name: ${name}`);
  const file = `${dir}${name}.json`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no stage ${name}: create ${file} (see infra/stages/dev.json)`);
  }
  const stage = parseStage(JSON.parse(text), file);
  if (stage.name !== name) throw new Error(`${file} names stage ${stage.name}, not ${name}`);
  return stage;
}

/** Whether a region is in the aws-cn partition. */
export const isChinaRegion = (region: string): boolean =>
  (CHINA_REGIONS as readonly string[]).includes(region);
