// The private buckets: filing attachments (personal data), target-progress reports, and the
// access-log bucket both write their server access logs to. Every bucket: public access
// blocked, TLS only, encrypted (attachments and reports under a customer-managed key),
// retained when the stack goes.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CorsRule,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATTACHMENT_BUCKET } from '#shared/data/attachment-bucket.ts';
import { acknowledge } from '../nag.ts';

/** The bucket every other bucket and the CloudFront distribution write access logs to. */
export class AccessLogs extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: { retentionDays: number; bucketName: string }) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays) }],
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'This is the access-log bucket itself; logging it into itself would loop.',
    );
  }
}

export interface StorageProps {
  /** Origins allowed to POST uploads from a browser (the site's, and the stage's extra ones). */
  uploadOrigins: string[];
  accessLogs: IBucket;
  names: { attachments: string; reports: string };
}

export class Storage extends Construct {
  readonly attachments: Bucket;
  readonly reports: Bucket;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    this.key = new Key(this, 'ObjectKey', {
      description: 'Attachments and reports at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const cors: CorsRule[] = [
      {
        allowedOrigins: props.uploadOrigins,
        allowedMethods: ATTACHMENT_BUCKET.corsMethods.map((m) => HttpMethods[m]),
        allowedHeaders: ['*'],
        maxAge: 600,
      },
    ];
    this.attachments = new Bucket(this, 'Attachments', {
      bucketName: props.names.attachments,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'attachments/',
      removalPolicy: RemovalPolicy.RETAIN,
      cors,
      lifecycleRules: [
        {
          id: 'unclaimed-uploads',
          prefix: ATTACHMENT_BUCKET.uploadPrefix,
          expiration: Duration.days(ATTACHMENT_BUCKET.uploadExpiryDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.reports = new Bucket(this, 'Reports', {
      bucketName: props.names.reports,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'reports/',
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    });
  }
}
