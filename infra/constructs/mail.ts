// How the stage sends mail: SES v2 (a verified identity whose default configuration set
// suppresses bounces and complaints) or, where SES is not offered (China regions), SMTP with
// the provider's credentials in Secrets Manager. Both are state (DNS records point at the
// identity; an operator fills the secret), so this construct sits in the stateful stack;
// `configure` gives a function the transport's settings and exactly the rights it needs,
// naming the identity, configuration set and secret by the stage's settings, not by reference:
// the stateless stack imports none of them, so changing the sender replaces them freely.
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { MAIL_FROM_ENV, MAIL_TRANSPORT_ENV, SMTP_SECRET_ARN_ENV } from '#shared/config/env.ts';
import { acknowledge } from '../nag.ts';
import type { Stage } from '../stage.ts';
import type { HouseFunction } from './house-function.ts';

export class Mail extends Construct {
  readonly transport: Stage['mail']['transport'];
  readonly secret?: Secret;
  readonly identity?: EmailIdentity;
  readonly configurationSet?: ConfigurationSet;
  private readonly mail: Stage['mail'];
  private readonly configurationSetName: string;

  constructor(scope: Construct, id: string, mail: Stage['mail'], names: { configurationSet: string }) {
    super(scope, id);
    this.transport = mail.transport;
    this.mail = mail;
    this.configurationSetName = names.configurationSet;
    if (mail.transport === 'ses') {
      this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
        configurationSetName: names.configurationSet,
        suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      });
      this.identity = new EmailIdentity(this, 'Identity', {
        identity: mail.identity.includes('@')
          ? Identity.email(mail.identity)
          : Identity.domain(mail.identity),
        configurationSet: this.configurationSet,
      });
      this.identity.applyRemovalPolicy(RemovalPolicy.RETAIN);
      if (!mail.identity.includes('@')) {
        // SES verifies a domain once these three CNAME records are published at its DNS.
        const records = [
          [this.identity.dkimDnsTokenName1, this.identity.dkimDnsTokenValue1],
          [this.identity.dkimDnsTokenName2, this.identity.dkimDnsTokenValue2],
          [this.identity.dkimDnsTokenName3, this.identity.dkimDnsTokenValue3],
        ] as const;
        for (const [i, [name, value]] of records.entries()) {
          new CfnOutput(this, `DkimRecord${i + 1}`, {
            key: `MailDkimRecord${i + 1}`,
            value: `${name} CNAME ${value}`,
            description: `DKIM record ${i + 1} of 3 for ${mail.identity}: publish it, then SES verifies the domain`,
          });
        }
      }
    } else {
      this.secret = new Secret(this, 'SmtpCredentials', {
        secretName: mail.secretName,
        description:
          'SMTP credentials: { host, port, username, password, secure } (fill in after the first deploy)',
        generateSecretString: {
          secretStringTemplate: JSON.stringify({
            host: 'smtp.example.cn',
            port: 465,
            username: 'change-me',
            secure: true,
          }),
          generateStringKey: 'password',
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledge(
        this.secret,
        'AwsSolutions-SMG4',
        'The SMTP password is issued by the mail provider; it is rotated at the provider and pasted here, which a rotation Lambda cannot do.',
      );
    }
  }

  /** MAIL_TRANSPORT, MAIL_FROM and the transport's setting and grant. */
  configure(fn: HouseFunction): void {
    fn.setEnv(MAIL_TRANSPORT_ENV, this.transport);
    fn.setEnv(MAIL_FROM_ENV, this.mail.from);
    const stack = Stack.of(fn);
    if (this.mail.transport === 'ses') {
      fn.sendsWithSes(
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: this.mail.identity }),
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSetName,
        }),
      );
    } else {
      // By name: its ARN ends in a suffix Secrets Manager picks; GetSecretValue takes the name's ARN.
      fn.readsSecret(
        Secret.fromSecretNameV2(fn, 'SmtpCredentials', this.mail.secretName),
        SMTP_SECRET_ARN_ENV,
      );
    }
  }
}
