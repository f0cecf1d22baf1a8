// Staff sign-in: a Cognito user pool with one group per reporting unit of every programme
// (city staff), one per programme (province staff) and one for auditors. The HTTP API's JWT
// authorizer trusts this pool on the staff routes; the use cases read the groups from the token.
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { groupOf } from '#shared/domain/staff.ts';
import { acknowledge } from '../nag.ts';
import type { Stage } from '../stage.ts';

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

/**
 * SSM parameters holding the pool's and the client's ids: the stateless stack reads them at
 * deploy time instead of importing an export, so the pool can be replaced (or a stage moved to
 * OIDC) without "export in use".
 */
export const staffParameters = (stage: { name: string }) => ({
  userPoolId: `/standards-officer/${stage.name}/staff/user-pool-id`,
  clientId: `/standards-officer/${stage.name}/staff/client-id`,
  /**
   * Not a parameter: the stem of the pool's managed login domain, which both stacks know by
   * name. The account is appended (prefixes are unique in a region across all accounts).
   */
  loginDomain: `sso-${stage.name}-staff`,
});

/** The managed login's address (authorize, token and logout endpoints) for a stem. */
export const staffLoginUrl = (scope: Construct, stem: string): string => {
  const stack = Stack.of(scope);
  return `https://${stem}-${stack.account}.auth.${stack.region}.amazoncognito.com`;
};

/** Where the staff console comes back to after sign-in and sign-out (CloudFront serves no folder index). */
export const consoleCallbacks = (siteOrigin: string) => [
  `${siteOrigin}/staff/index.html`,
  `${siteOrigin}/staff/`,
];

/**
 * What the staff console signs in with, for the site's config.json (site/src/staff/console.ts):
 * the stage's user pool and app client by their SSM parameters (resolved at deploy time), or the
 * bureau's OIDC issuer with its first audience as the console's client.
 */
export function staffConsoleSignIn(
  scope: Construct,
  stage: Pick<Stage, 'name' | 'staffSignIn'>,
  siteOrigin: string,
): { issuer: string; clientId: string; redirectUri: string; logoutUrl?: string } {
  const redirectUri = consoleCallbacks(siteOrigin)[0] as string;
  if (stage.staffSignIn.provider === 'oidc') {
    return {
      issuer: stage.staffSignIn.issuer,
      clientId: stage.staffSignIn.audience[0] as string,
      redirectUri,
    };
  }
  const names = staffParameters(stage);
  const poolId = StringParameter.valueForStringParameter(scope, names.userPoolId);
  return {
    issuer: `https://cognito-idp.${Stack.of(scope).region}.amazonaws.com/${poolId}`,
    clientId: StringParameter.valueForStringParameter(scope, names.clientId),
    redirectUri,
    logoutUrl: `${staffLoginUrl(scope, names.loginDomain)}/logout`,
  };
}

export class StaffDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(
    scope: Construct,
    id: string,
    props: {
      parameters: ReturnType<typeof staffParameters>;
      /**
       * The stage's SES sender: invitations and codes go through it, not through Cognito's own
       * sender (50 messages a day). The identity must be verified (see docs/deploy.md).
       */
      ses?: { fromEmail: string; fromName: string; verifiedDomain?: string; configurationSet: string };
      /** The site's origin: the staff console's only callback and sign-out address. */
      siteOrigin: string;
    },
  ) {
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
      ...(props.ses
        ? {
            email: UserPoolEmail.withSES({
              fromEmail: props.ses.fromEmail,
              fromName: props.ses.fromName,
              configurationSetName: props.ses.configurationSet,
              ...(props.ses.verifiedDomain ? { sesVerifiedDomain: props.ses.verifiedDomain } : {}),
            }),
          }
        : {}),
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
      // Authorization code only (a public client: PKCE), back to the staff console; no implicit flow.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: consoleCallbacks(props.siteOrigin),
        logoutUrls: consoleCallbacks(props.siteOrigin),
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Cognito's managed login (the console's sign-in page, and the authorize, token and logout
    // endpoints of its authorization code flow).
    this.userPool.addDomain('LoginDomain', {
      cognitoDomain: { domainPrefix: `${props.parameters.loginDomain}-${Stack.of(this).account}` },
    });
    new StringParameter(this, 'UserPoolIdParameter', {
      parameterName: props.parameters.userPoolId,
      stringValue: this.userPool.userPoolId,
      description: 'The staff user pool (read by the stateless stack at deploy time)',
    });
    new StringParameter(this, 'ClientIdParameter', {
      parameterName: props.parameters.clientId,
      stringValue: this.client.userPoolClientId,
      description: 'The staff console app client (read by the stateless stack at deploy time)',
    });
    new CfnOutput(this, 'UserPoolId', {
      key: 'StaffUserPoolId',
      value: this.userPool.userPoolId,
      description: 'Cognito user pool of staff (create users and add them to groups here)',
    });
    new CfnOutput(this, 'ClientId', {
      key: 'StaffClientId',
      value: this.client.userPoolClientId,
      description: 'App client the staff sign in with (the audience of their tokens)',
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
