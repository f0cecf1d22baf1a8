// The stateful stack: what must hold for the data to survive and stay private.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_BUCKET } from '#shared/data/attachment-bucket.ts';
import { TABLE } from '#shared/data/table.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { scopeOfGroup } from '#shared/domain/staff.ts';
import { type Built, build, resourcesOf } from './support.ts';

let dev: Built;
let liaoning: Built;
beforeAll(() => {
  dev = build('dev');
  liaoning = build('liaoning');
});

describe('the filing table', () => {
  it('has point-in-time recovery, deletion protection, a retain policy and a customer-managed key', () => {
    // TableV2 is not checked by cdk-nag's PITR rule, so it is asserted here.
    const tables = resourcesOf(dev.statefulTemplate, 'AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(1);
    const [table] = Object.values(tables);
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
    const props = table?.Properties as Record<string, unknown>;
    expect(props.Replicas).toEqual([
      expect.objectContaining({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { KMSMasterKeyId: expect.anything() },
      }),
    ]);
    expect(props.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('is the shared table definition: keys, index and TTL attribute', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: Object.values(TABLE.indexes).map((index) =>
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection },
        }),
      ),
    });
  });
});

describe('keys', () => {
  it('rotates the symmetric keys, keeps every key, and makes the person key an HMAC key', () => {
    const keys = Object.values(resourcesOf(dev.statefulTemplate, 'AWS::KMS::Key'));
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) {
      expect(key.DeletionPolicy).toBe('Retain');
      const props = key.Properties as { KeySpec?: string; EnableKeyRotation?: boolean };
      if (props.KeySpec === 'HMAC_256') continue;
      expect(props.EnableKeyRotation).toBe(true);
    }
    dev.statefulTemplate.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'HMAC_256',
      KeyUsage: 'GENERATE_VERIFY_MAC',
    });
  });
});

describe('buckets', () => {
  it('block public access, refuse plain HTTP and encrypt every object', () => {
    const buckets = resourcesOf(dev.statefulTemplate, 'AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(4); // logs, site, attachments, reports
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties?.BucketEncryption).toBeDefined();
    }
    const policies = Object.values(resourcesOf(dev.statefulTemplate, 'AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('keeps attachments under the KMS key, lets the site origin POST only, and expires unclaimed uploads after a day', () => {
    const [attachments] = Object.values(resourcesOf(dev.statefulTemplate, 'AWS::S3::Bucket')).filter((b) =>
      JSON.stringify(b.Properties?.BucketName).includes('attachments'),
    );
    const props = attachments?.Properties as Record<string, unknown>;
    expect(JSON.stringify(props.BucketEncryption)).toContain('aws:kms');
    const cors = (
      props.CorsConfiguration as { CorsRules: { AllowedMethods: string[]; AllowedOrigins: unknown[] }[] }
    ).CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0]?.AllowedMethods).toEqual(['POST']);
    expect(JSON.stringify(cors[0]?.AllowedOrigins)).toContain('DomainName'); // the site's CloudFront address
    expect(props.LifecycleConfiguration).toEqual({
      Rules: [
        expect.objectContaining({
          Prefix: ATTACHMENT_BUCKET.uploadPrefix,
          ExpirationInDays: ATTACHMENT_BUCKET.uploadExpiryDays,
          Status: 'Enabled',
        }),
      ],
    });
    expect(attachments?.DeletionPolicy).toBe('Retain');
  });

  it('adds the stage’s other origins to the upload CORS rule', () => {
    const [attachments] = Object.values(resourcesOf(liaoning.statefulTemplate, 'AWS::S3::Bucket')).filter(
      (b) => JSON.stringify(b.Properties?.BucketName).includes('attachments'),
    );
    expect(JSON.stringify(attachments?.Properties?.CorsConfiguration)).toContain('https://beian.example.cn');
  });
});

describe('staff sign-in', () => {
  it('makes a user pool with MFA required, no self sign-up, and a group per unit, per programme and for auditors', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const groups = Object.values(resourcesOf(dev.statefulTemplate, 'AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties?.GroupName,
    );
    expect(groups).toContain('province-liaoning-cso');
    expect(groups).toContain('city-liaoning-cso-210100');
    expect(groups).toContain('city-liaoning-cso-21-SF'); // 沈抚示范区
    expect(groups).toContain('province-anhui-std-director');
    expect(groups).toContain('city-anhui-std-director-340826'); // 宿松县, a county unit
    expect(groups).toContain('auditor-liaoning-cso');
    // Every registered programme gets its groups, a programme added by configuration too.
    expect([...groups].sort()).toEqual(
      PROGRAMS.flatMap((p) => [
        `province-${p.id}`,
        `auditor-${p.id}`,
        ...p.reportingUnits.map((u) => `city-${p.id}-${u.code}`),
      ]).sort(),
    );
    // Every group names a scope the staff use cases understand.
    for (const g of groups) expect(scopeOfGroup(String(g)), String(g)).toBeDefined();
  });

  it('makes no user pool in the China regions, which have none (the bureau’s OIDC provider signs staff in)', () => {
    liaoning.statefulTemplate.resourceCountIs('AWS::Cognito::UserPool', 0);
  });
});

describe('mail', () => {
  it('uses an SES identity with a configuration set where SES exists', () => {
    dev.statefulTemplate.resourceCountIs('AWS::SES::EmailIdentity', 1);
    dev.statefulTemplate.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    dev.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('keeps SMTP credentials in Secrets Manager in the China regions, retained', () => {
    liaoning.statefulTemplate.resourceCountIs('AWS::SES::EmailIdentity', 0);
    liaoning.statefulTemplate.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ Name: 'standards-officer/liaoning/smtp' }),
    });
  });
});
