// Physical names both stacks compute the same way, so the stateless stack can refer to the
// stateful stack's table, buckets and state machines by name (no cross-stack export to pin
// them, and policies cdk-nag can read). Bucket names carry account and region to be globally
// unique. What has no name to compute (key ARNs, the distribution's id and domain) the
// stateful stack writes to SSM parameters under the stage's prefix, and the stateless stack
// reads them at deploy time: a replaced key or distribution is a new parameter value, never an
// export CloudFormation refuses to change while it is imported.
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Stage } from './stage.ts';

export type BucketPurpose = 'attachments' | 'reports' | 'site' | 'logs';

export function bucketName(scope: IConstruct, stage: Stage, purpose: BucketPurpose): string {
  const stack = Stack.of(scope);
  return `sso-${stage.name}-${purpose}-${stack.account}-${stack.region}`;
}

export function stateMachineName(stage: Stage, id: string): string {
  return `standards-officer-${stage.name}-${id}`;
}

/** The filing table (one per stage, region-unique within the account). */
export function tableName(stage: { name: string }): string {
  return `standards-officer-${stage.name}`;
}

/** The SSM parameters through which the stateless stack finds what has no computed name. */
export const wiringParameters = (stage: { name: string }) => {
  const prefix = `/standards-officer/${stage.name}`;
  return {
    tableKeyArn: `${prefix}/data/table-key-arn`,
    fieldKeyArn: `${prefix}/data/field-key-arn`,
    hmacKeyArn: `${prefix}/data/hmac-key-arn`,
    objectKeyArn: `${prefix}/storage/object-key-arn`,
    distributionId: `${prefix}/site/distribution-id`,
    distributionDomainName: `${prefix}/site/distribution-domain-name`,
  } as const;
};

export type WiringParameter = keyof ReturnType<typeof wiringParameters>;
