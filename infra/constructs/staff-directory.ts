// Staff sign-in: a Cognito user pool with one group per reporting unit of every programme
// (city staff), one per programme (province staff) and one for auditors. The HTTP API's JWT
// authorizer trusts this pool on the staff routes; the use cases read the groups from the token.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { groupOf } from '#shared/domain/staff.ts';
import { acknowledge } from '../nag.ts';

/** Group names as the staff use cases read them from the token (shared/domain/staff.ts). */
export const staffGroups = (): { name: string; description: string }[] =>
  PROGRAMS.flatMap((program) => [
    {
      name: groupOf({ role: 'province', programId: program.id }),
      description: `${program.title.zh}：省级工作人员`,
    },
    {
      name: groupOf({ role: 'auditor', programId: program.id }),
      description: `${program.title.zh}：审计（只读）`,
    },
    ...program.reportingUnits.map((unit) => ({
      name: groupOf({ role: 'city', programId: program.id, unit: unit.code }),
      description: `${program.title.zh}：${unit.name.zh}`,
    })),
  ]);

export class StaffDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG3',
      'Threat protection needs the Plus feature plan, not offered in the China regions; MFA is required and self sign-up is off instead.',
    );
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'The Plus feature plan is not offered in the China regions this product deploys to; Essentials with required MFA is used everywhere alike.',
    );
    this.client = this.userPool.addClient('StaffConsole', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Each group's construct id is its name (programme id and unit code), never its position:
    // a programme added or removed elsewhere in the list leaves the others' groups and members.
    for (const group of staffGroups()) {
      new CfnUserPoolGroup(this, `Group-${group.name}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group.name,
        description: group.description,
      });
    }
  }
}
