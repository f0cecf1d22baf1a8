// A second, independent check beside cdk-nag: AWS Control Tower's proactive controls, run by
// cfn-guard (@cdklabs/cdk-validator-cfnguard ships the binary; nothing is fetched). Each control
// this design does not meet is acknowledged on every resource it is about, with the reason.
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { CfnResource, type Stage, Validations } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IConstruct } from 'constructs';

/** The plugin's name in validation reports and acknowledgment ids. */
const GUARD_PLUGIN = 'cdk-validator-cfnguard';

/** A bucket property as CloudFormation will see it. */
const bucketProperty = (r: CfnResource, name: string): string =>
  JSON.stringify(r.stack.resolve((r as unknown as Record<string, unknown>)[name]) ?? null);

interface GuardAcknowledgment {
  /** The Control Tower rule as cfn-guard names it. */
  rule: string;
  /** The resource types it is about; `where` narrows it further. */
  types: string[];
  where?: (resource: CfnResource) => boolean;
  reason: string;
}

const noAuthorizer = (r: CfnResource) =>
  r instanceof CfnRoute && (r.authorizationType === undefined || r.authorizationType === 'NONE');

export const GUARD_ACKNOWLEDGMENTS: readonly GuardAcknowledgment[] = [
  {
    rule: 'cloudfront_origin_failover_enabled_check',
    types: ['AWS::CloudFront::Distribution'],
    reason:
      'The site is one private bucket in the stage’s region; a second origin would copy the same pages with no other failure domain to fail over to.',
  },
  {
    rule: 'cloudfront_custom_ssl_certificate_check',
    types: ['AWS::CloudFront::Distribution'],
    reason:
      'A stage without domains is served on CloudFront’s default certificate; a stage with domains (every China stage) sets its own certificate.',
  },
  {
    rule: 'cloudfront_sni_enabled_check',
    types: ['AWS::CloudFront::Distribution'],
    reason:
      'SNI applies to a custom certificate; a stage without domains uses CloudFront’s default one, and a stage with domains sets sni-only.',
  },
  {
    rule: 'cloudfront_security_policy_check',
    types: ['AWS::CloudFront::Distribution'],
    reason:
      'The TLS policy can be chosen only with a custom certificate; a stage with domains sets TLSv1.2_2021.',
  },
  {
    rule: 'cloudfront_origin_access_control_enabled_check',
    types: ['AWS::CloudFront::Distribution'],
    reason:
      'CloudFront in the China regions has origin access identities, not origin access control; the bucket stays private either way.',
  },
  {
    rule: 'kms_create_grant_aws_service_check',
    types: ['AWS::KMS::Key'],
    reason:
      'The key policy delegates to IAM in this account; no role is granted kms:CreateGrant, and the services using the key (DynamoDB, S3, SNS) work without grants of ours.',
  },
  {
    rule: 's3_bucket_default_encryption_kms_check',
    types: ['AWS::S3::Bucket'],
    where: (r) => !bucketProperty(r, 'bucketEncryption').includes('aws:kms'),
    reason:
      'The access-log bucket must use SSE-S3 (log delivery cannot write to SSE-KMS buckets) and the site bucket holds public pages; attachments and reports use the KMS key.',
  },
  {
    rule: 's3_bucket_versioning_enabled_check',
    types: ['AWS::S3::Bucket'],
    reason:
      'Documents are erased on withdrawal and by the retention job (personal information law); versions would keep them. Pages are rebuilt from the repository on deploy.',
  },
  {
    rule: 's3_bucket_logging_enabled_check',
    types: ['AWS::S3::Bucket'],
    where: (r) => bucketProperty(r, 'loggingConfiguration') === 'null',
    reason: 'This is the access-log bucket itself; logging it into itself would loop.',
  },
  {
    rule: 's3_event_notifications_enabled_check',
    types: ['AWS::S3::Bucket'],
    reason:
      'Nothing reacts to object events: uploads are claimed by the submitting API call, reports are written and mailed by the job that makes them.',
  },
  {
    rule: 's3_bucket_acl_prohibited_check',
    types: ['AWS::S3::Bucket'],
    where: (r) => !bucketProperty(r, 'ownershipControls').includes('BucketOwnerEnforced'),
    reason:
      'CloudFront standard logging writes with the awslogsdelivery ACL, which the access-log bucket must allow; every other bucket enforces bucket-owner ownership.',
  },
  {
    rule: 's3_lifecycle_policy_check',
    types: ['AWS::S3::Bucket'],
    reason:
      'Objects here are removed by the application (retention job, deploys replacing pages) on the programme’s rules, not by age alone.',
  },
  {
    rule: 's3_bucket_object_lock_enabled_check',
    types: ['AWS::S3::Bucket'],
    reason:
      'Documents must be erasable on withdrawal and at the end of retention; object lock would forbid it.',
  },
  {
    rule: 'api_gw_v2_authorization_type_configured_check',
    types: ['AWS::ApiGatewayV2::Route'],
    where: noAuthorizer,
    reason:
      'A public route of the filing site or a link route: enterprises file without accounts, link tokens are checked in the use case; abuse is met by throttling.',
  },
  {
    rule: 'cloudwatch_log_group_retention_period_check',
    types: ['AWS::Logs::LogGroup'],
    reason:
      'Retention is the stage’s logRetentionDays, at least 180 days (the Cybersecurity Law’s six months), chosen per stage.',
  },
  {
    rule: 'cloudwatch_log_group_encrypted_check',
    types: ['AWS::Logs::LogGroup'],
    reason:
      'Logs hold ids and outcomes, never filing bodies or personal data (execution data is off); CloudWatch encrypts them at rest with its own keys.',
  },
  {
    rule: 'lambda_function_public_access_prohibited_check',
    types: ['AWS::Lambda::Permission'],
    reason: 'Invoke permission for API Gateway, limited by SourceArn to this API’s routes.',
  },
  {
    rule: 'lambda_inside_vpc_check',
    types: ['AWS::Lambda::Function'],
    reason:
      'The functions reach only AWS APIs and the mail relay; a VPC would add NAT or endpoints without reducing what they can reach by IAM.',
  },
  {
    rule: 'sqs_dlq_check',
    types: ['AWS::SQS::Queue'],
    reason:
      'These queues are themselves dead-letter queues (of a schedule and its job); a dead-letter queue of theirs would only move the same messages.',
  },
];

/** cfn-guard with the Control Tower rules, and its acknowledgments on the resources in `stage`. */
export function addGuard(stage: Stage): void {
  Validations.of(stage).addPlugins(new CfnGuardValidator({}));
  for (const node of stage.node.findAll()) acknowledgeGuard(node);
}

function acknowledgeGuard(node: IConstruct): void {
  if (!CfnResource.isCfnResource(node)) return;
  for (const ack of GUARD_ACKNOWLEDGMENTS) {
    if (!ack.types.includes(node.cfnResourceType)) continue;
    if (ack.where && !ack.where(node)) continue;
    Validations.of(node).acknowledge({ id: `${GUARD_PLUGIN}::${ack.rule}`, reason: ack.reason });
  }
}
