// Physical names both stacks compute the same way, so the stateless stack can refer to the
// stateful stack's buckets and state machines by name (no cross-stack export to pin them, and
// policies cdk-nag can read). Bucket names carry account and region to be globally unique.
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
