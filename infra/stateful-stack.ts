// What must outlive any deployment of the code: the table and its keys, the buckets, the
// site's address, staff accounts and the mail identity or credentials. Everything here is
// retained when the stack is deleted.
import { Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ApiDomain } from './constructs/api-domain.ts';
import { DataStore } from './constructs/data-store.ts';
import { Mail } from './constructs/mail.ts';
import { publishOutboxStream } from './constructs/outbox.ts';
import { SiteHosting } from './constructs/site-hosting.ts';
import { StaffDirectory, staffParameters } from './constructs/staff-directory.ts';
import { AccessLogs, Storage } from './constructs/storage.ts';
import { bucketName, tableName, type WiringParameter, wiringParameters } from './names.ts';
import { isChinaRegion, type Stage } from './stage.ts';

/** `名称 <noreply@example.org>` → its address and display name. */
export function sender(from: string): { fromEmail: string; fromName: string } {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  if (match) return { fromName: match[1] ?? '', fromEmail: match[2] ?? '' };
  return { fromEmail: from.trim(), fromName: '' };
}

export interface StatefulStackProps extends StackProps {
  stage: Stage;
}

export class StatefulStack extends Stack {
  readonly data: DataStore;
  readonly storage: Storage;
  readonly site: SiteHosting;
  /** The staff user pool (stages whose staff sign in with Cognito). */
  readonly staff?: StaffDirectory;
  readonly mail: Mail;
  /** The API's custom domain (stages with `domains`). */
  readonly apiDomain?: ApiDomain;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.data = new DataStore(this, 'Data', { tableName: tableName(stage) });
    publishOutboxStream(this, stage, this.data.table);
    const logs = new AccessLogs(this, 'AccessLogs', {
      retentionDays: stage.logRetentionDays,
      bucketName: bucketName(this, stage, 'logs'),
    });
    this.site = new SiteHosting(this, 'Site', {
      accessLogs: logs.bucket,
      bucketName: bucketName(this, stage, 'site'),
      // CloudFront in the China regions has no origin access control; it has access identities.
      originAccess: isChinaRegion(stage.region) ? 'identity' : 'control',
      legacyCacheSettings: isChinaRegion(stage.region),
      ...(stage.domains
        ? { domain: { name: stage.domains.site, siteCertificate: stage.domains.siteCertificate } }
        : {}),
    });
    // Browsers upload attachments from the site (and the stage's other origins).
    this.storage = new Storage(this, 'Storage', {
      uploadOrigins: [this.site.origin, ...stage.allowedOrigins],
      accessLogs: logs.bucket,
      names: {
        attachments: bucketName(this, stage, 'attachments'),
        reports: bucketName(this, stage, 'reports'),
      },
    });
    const configurationSet = `standards-officer-${stage.name}`;
    this.mail = new Mail(this, 'Mail', stage.mail, { configurationSet });
    if (stage.staffSignIn.provider === 'cognito') {
      const mail = stage.mail;
      this.staff = new StaffDirectory(this, 'StaffDirectory', {
        parameters: staffParameters(stage),
        siteOrigin: this.site.origin,
        ...(mail.transport === 'ses'
          ? {
              ses: {
                ...sender(mail.from),
                configurationSet,
                ...(mail.identity.includes('@') ? {} : { verifiedDomain: mail.identity }),
              },
            }
          : {}),
      });
      // Cognito sends through the identity and configuration set: they exist first.
      if (this.mail.identity) this.staff.userPool.node.addDependency(this.mail.identity);
      if (this.mail.configurationSet) this.staff.userPool.node.addDependency(this.mail.configurationSet);
    }
    // What the stateless stack cannot compute, as SSM parameters it reads at deploy time
    // (infra/names.ts): no CloudFormation export pins these resources.
    const parameters = wiringParameters(stage);
    const values: Record<WiringParameter, { value: string; description: string }> = {
      tableKeyArn: { value: this.data.tableKey.keyArn, description: 'The filing table’s KMS key' },
      fieldKeyArn: { value: this.data.fieldKey.keyArn, description: 'The ID-number field-encryption key' },
      hmacKeyArn: {
        value: this.data.hmacKey.keyArn,
        description: 'The person-key and receipt-token HMAC key',
      },
      objectKeyArn: {
        value: this.storage.key.keyArn,
        description: 'The attachment and report buckets’ KMS key',
      },
      distributionId: {
        value: this.site.distribution.distributionId,
        description: 'The site’s distribution',
      },
      distributionDomainName: {
        value: this.site.distribution.distributionDomainName,
        description: 'The site distribution’s own domain (the site’s origin on stages without domains)',
      },
    };
    for (const [key, { value, description }] of Object.entries(values)) {
      new StringParameter(this, `Wiring-${key}`, {
        parameterName: parameters[key as WiringParameter],
        stringValue: value,
        description: `${description} (read by the stateless stack at deploy time)`,
      });
    }
    if (stage.domains) {
      this.apiDomain = new ApiDomain(this, 'ApiDomain', {
        name: stage.domains.api,
        certificateArn: stage.domains.apiCertificateArn,
      });
    }
  }
}
