// The filing site's pages, built by the same build as `npm start` serves (infra/
// site-build.ts), uploaded to the site bucket with a config.json that points the pages at
// the API; CloudFront's cache is invalidated on each deploy.
import { Stack } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export interface SiteContentProps {
  /** The built site (a directory made by buildSite). */
  siteDir: string;
  bucket: IBucket;
  distribution: IDistribution;
  apiUrl: string;
  /**
   * The staff console's sign-in (site/src/staff/console.ts reads it from config.json): the
   * provider's issuer, the console's public client, its callback, and the provider's logout.
   */
  staffSignIn?: { issuer: string; clientId: string; redirectUri: string; logoutUrl?: string };
}

export class SiteContent extends Construct {
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: SiteContentProps) {
    super(scope, id);
    this.deployment = new BucketDeployment(this, 'Pages', {
      sources: [
        Source.asset(props.siteDir, { exclude: ['config.json'] }),
        Source.jsonData('config.json', {
          apiBase: props.apiUrl,
          ...(props.staffSignIn ? { oidc: props.staffSignIn } : {}),
        }),
      ],
      destinationBucket: props.bucket,
      distribution: props.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    // The deployment's provider function is one per stack, made by CDK; its findings are
    // acknowledged one by one, as read from its own policy.
    const stack = Stack.of(this);
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      const reasonOf = 'CDK’s BucketDeployment provider, run only while deploying: ';
      acknowledge(
        child,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        `${reasonOf}its role is made by aws-cdk-lib with the basic execution policy for its logs.`,
      );
      acknowledge(child, 'AwsSolutions-L1', `${reasonOf}its runtime is chosen by aws-cdk-lib.`);
      acknowledge(
        child,
        'Serverless-LambdaLatestVersion',
        `${reasonOf}its runtime is chosen by aws-cdk-lib.`,
      );
      acknowledge(
        child,
        'Serverless-LambdaTracing',
        `${reasonOf}nothing to trace in a copy made once per deployment.`,
      );
      acknowledge(
        child,
        'Serverless-LambdaDLQ',
        `${reasonOf}CloudFormation invokes it and fails the deployment if it fails.`,
      );
      const policy = child.node.tryFindChild('ServiceRole')?.node.tryFindChild('DefaultPolicy') as
        | iam.Policy
        | undefined;
      const doc = policy
        ? (stack.resolve(policy.document) as { Statement?: { Action: unknown; Resource: unknown }[] })
        : {};
      for (const statement of doc.Statement ?? []) {
        for (const action of [statement.Action].flat()) {
          if (typeof action === 'string' && action.includes('*')) {
            acknowledge(
              child,
              `AwsSolutions-IAM5[Action::${action}]`,
              `${reasonOf}action groups of aws-cdk-lib’s S3 and CloudFront grants, limited to the site and asset buckets.`,
            );
          }
        }
        for (const resource of [statement.Resource].flat()) {
          const name = flattenCfnReference(resource);
          if (name.includes('*')) {
            acknowledge(
              child,
              `AwsSolutions-IAM5[Resource::${name}]`,
              `${reasonOf}the objects of the site bucket and of the CDK asset bucket it copies from.`,
            );
          }
        }
      }
    }
  }
}
