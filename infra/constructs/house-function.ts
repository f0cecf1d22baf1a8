// The one way this app makes a Lambda function: NodejsFunction bundled with the shared esbuild
// options (minified ESM for Node 24, AWS SDK bundled, source maps), nodejs24.x on arm64, JSON
// logs in a log group with retention, X-Ray tracing, and helpers that set an environment
// variable together with the least-privilege grant it implies, so neither can be forgotten.
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  ATTACHMENTS_BUCKET_ENV,
  FIELD_KEY_ARN_ENV,
  PERSON_HMAC_KEY_ARN_ENV,
  REPORTS_BUCKET_ENV,
  TABLE_NAME_ENV,
} from '#shared/config/env.ts';
import { TABLE } from '#shared/data/table.ts';
import { copyPackageFilesCommands, ESBUILD_OPTIONS, REQUIRE_SHIM } from '../bundling.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { ROOT } from '../paths.ts';

export interface HouseFunctionProps {
  /** The handler module, relative to the repository root (e.g. `functions/filings/submit.ts`). */
  entry: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  logRetention: RetentionDays;
  /** Files of installed packages copied into the bundle under node_modules/ (read at run time). */
  packageFiles?: readonly string[];
}

export class HouseFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Its own role: writing to its own log group, nothing else until a helper grants it
    // (no AWS managed policy, whose log rights reach every log group).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Role of the ${id} function`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) has no resource-level permissions; it is the only statement on *.',
    );
    this.fn = new NodejsFunction(this, 'Function', {
      role,
      entry: join(ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup: this.logGroup,
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'standards-officer',
      },
      bundling: {
        minify: ESBUILD_OPTIONS.minify ?? true,
        sourceMap: true,
        sourcesContent: false,
        target: String(ESBUILD_OPTIONS.target),
        format: OutputFormat.ESM,
        mainFields: ESBUILD_OPTIONS.mainFields ?? ['module', 'main'],
        banner: REQUIRE_SHIM,
        // The AWS SDK is bundled (pinned with the code, tree-shaken), not taken from the runtime.
        externalModules: [],
        esbuildArgs: { '--legal-comments': 'none' },
        forceDockerBundling: false,
        ...(props.packageFiles?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  copyPackageFilesCommands(inputDir, outputDir, props.packageFiles ?? []),
              },
            }
          : {}),
      },
    });
  }

  /** Sets an environment variable (plain configuration, no grant). */
  setEnv(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }

  /**
   * TABLE_NAME and item reads, or reads and writes, on the table and its named indexes (no
   * index wildcard, no table management), with the table key's use that follows.
   */
  useTable(table: ITableV2, tableKey: IKey, access: 'read' | 'readWrite'): this {
    this.setEnv(TABLE_NAME_ENV, table.tableName);
    const indexes = Object.values(TABLE.indexes).map((i) => `${table.tableArn}/index/${i.name}`);
    const read = [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    ];
    const write = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: access === 'read' ? read : [...read, ...write],
        resources: [table.tableArn],
      }),
    );
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes }));
    tableKey.grant(
      this.fn,
      // DynamoDB and S3 encrypt with data keys: GenerateDataKey and Decrypt, never kms:Encrypt.
      ...(access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey']),
    );
    return this;
  }

  /** dynamodb:Scan on the table itself, not its indexes (the retention sweep). */
  scansTable(table: ITableV2): this {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [table.tableArn] }),
    );
    return this;
  }

  /** PERSON_HMAC_KEY_ARN and kms:GenerateMac (person keys, receipt tokens). */
  useHmacKey(key: IKey): this {
    this.setEnv(PERSON_HMAC_KEY_ARN_ENV, key.keyArn);
    key.grant(this.fn, 'kms:GenerateMac');
    return this;
  }

  /** FIELD_KEY_ARN and the right to make data keys under it (encrypting ID numbers). */
  useFieldKeyToEncrypt(key: IKey): this {
    this.setEnv(FIELD_KEY_ARN_ENV, key.keyArn);
    key.grant(this.fn, 'kms:GenerateDataKey');
    return this;
  }

  /**
   * ATTACHMENTS_BUCKET and exactly the object rights named, each on its own key prefix
   * (`uploads/*`, `filings/*`); the bucket's KMS key follows (encrypt for writes, decrypt for reads).
   */
  useBucket(
    bucket: IBucket,
    rights: { read?: string[]; write?: string[]; delete?: string[]; list?: boolean },
  ): this {
    this.setEnv(ATTACHMENTS_BUCKET_ENV, bucket.bucketName);
    const objects = (prefixes: string[]) => {
      const arns = prefixes.map((p) => bucket.arnForObjects(p));
      for (const arn of arns) {
        acknowledgeWildcardResource(
          this.fn.role ?? this,
          arn,
          'Objects under one key prefix of the attachment bucket (uploads/ or filings/): object keys are made per filing at run time.',
        );
      }
      return arns;
    };
    if (rights.read?.length) {
      this.fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects(rights.read) }),
      );
      bucket.encryptionKey?.grantDecrypt(this.fn);
    }
    if (rights.write?.length) {
      this.fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: objects(rights.write) }),
      );
      bucket.encryptionKey?.grant(this.fn, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    if (rights.delete?.length) {
      this.fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: objects(rights.delete) }),
      );
    }
    if (rights.list) {
      this.fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    }
    return this;
  }

  /** FIELD_KEY_ARN and kms:Decrypt under it (unmasking an ID number). */
  useFieldKeyToDecrypt(key: IKey): this {
    this.setEnv(FIELD_KEY_ARN_ENV, key.keyArn);
    key.grant(this.fn, 'kms:Decrypt');
    return this;
  }

  /** REPORTS_BUCKET and PutObject under `reports/` (with the bucket key's encrypt rights). */
  writesReports(bucket: IBucket): this {
    this.setEnv(REPORTS_BUCKET_ENV, bucket.bucketName);
    const arn = bucket.arnForObjects('reports/*');
    acknowledgeWildcardResource(
      this.fn.role ?? this,
      arn,
      'Report objects under reports/ of the report bucket: one key per programme, date and format, made at run time.',
    );
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [arn] }));
    bucket.encryptionKey?.grant(this.fn, 'kms:GenerateDataKey');
    return this;
  }

  /** The machine's ARN variable and states:StartExecution on that state machine only. */
  startsWorkflow(stateMachineArn: string, envName: string): this {
    this.setEnv(envName, stateMachineArn);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
    );
    return this;
  }

  /** Answers the waits of one state machine (SendTaskSuccess/Failure). */
  answersWorkflowTasks(stateMachineArn: string): this {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        // No wait sets HeartbeatSeconds: nothing sends heartbeats.
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [stateMachineArn],
      }),
    );
    return this;
  }

  /** Reads one secret (SMTP credentials). */
  readsSecret(secret: ISecret, envName: string): this {
    this.setEnv(envName, secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }

  /** ses:SendEmail from one identity, through one configuration set. */
  sendsWithSes(identityArn: string, configurationSetArn: string): this {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [identityArn, configurationSetArn],
      }),
    );
    return this;
  }

  get stack(): Stack {
    return Stack.of(this);
  }
}
