// CloudWatch accepts only certain retention periods: the stage's days, rounded up to one.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export function retentionDays(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays)
    .filter((v): v is RetentionDays => typeof v === 'number' && v > 0)
    .sort((a, b) => a - b);
  const found = allowed.find((v) => v >= days);
  if (found === undefined) throw new Error(`no CloudWatch retention of ${days} days or more`);
  return found;
}
