// cdk-nag acknowledgments: one finding on one construct, always with the reason it is
// accepted. Findings about a particular resource or action ("granular" findings such as
// `AwsSolutions-IAM5[Resource::…]`) are named the way cdk-nag names them, from the value as
// CloudFormation will see it, so an acknowledgment covers exactly that resource.
import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own flattening, so the names match its findings exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`acknowledging ${id} needs a real reason`);
  Validations.of(scope).acknowledge({ id, reason });
}

/** The finding name cdk-nag gives a value (an ARN with tokens) inside `scope`'s stack. */
export function nagName(scope: IConstruct, value: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(value));
}

/** Acknowledges IAM5 for one wildcard resource (an object prefix, a function's versions…). */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagName(scope, resource)}]`, reason);
}

/** Acknowledges IAM5 for one wildcard action. */
export function acknowledgeWildcardAction(scope: IConstruct, action: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
}
