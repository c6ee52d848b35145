import type { SessionContext, UserIdentity } from '@sarwatch/core';
import { isoSeconds, secondsBefore } from './clock.js';
import type { Rng } from './prng.js';
import { publicAddress, type UserAgentKind, userAgent } from './user-agents.js';
import { type Account, accessKeyId, type Role, type World } from './world.js';

/**
 * The kinds of caller the generator impersonates, after the CloudTrail User Guide's userIdentity examples and
 * what real trails add to them (see REFERENCE.md). Each maps to one identity-classification path downstream.
 */
export const IDENTITY_SHAPES = [
  'root-console',
  'iam-user-access-key',
  'iam-user-console',
  'web-identity-ci',
  'identity-center',
  'ec2-instance-role',
  'role-chaining',
  'cross-account-role',
  'federated-user',
  'aws-service',
  'aws-service-event',
] as const;
export type IdentityShape = (typeof IDENTITY_SHAPES)[number];

/** Automation and SSO dominate real trails; root and service-made calls are the rare ones worth spotting. */
export const IDENTITY_SHAPE_WEIGHTS: Readonly<Record<IdentityShape, number>> = {
  'root-console': 0.3,
  'iam-user-access-key': 14,
  'iam-user-console': 8,
  'web-identity-ci': 16,
  'identity-center': 18,
  'ec2-instance-role': 11,
  'role-chaining': 6,
  'cross-account-role': 8,
  'federated-user': 5,
  'aws-service': 7,
  'aws-service-event': 4,
};

export interface Caller {
  userIdentity: UserIdentity;
  sourceIPAddress: string;
  userAgent: string;
  /** The credentials came from a console sign-in: CloudTrail's `sessionCredentialFromConsole`. */
  fromConsole: boolean;
  /** The ARN an AccessDenied message names; null for AWS services, which this generator never denies. */
  principalArn: string | null;
  /** A role that may only read (Identity Center's ReadOnlyAccess): every write it tries is denied. */
  readOnly: boolean;
}

export interface CallerContext {
  rng: Rng;
  world: World;
  /** The account that owns the resource and receives the record (recipientAccountId). */
  recipient: Account;
  operation: string;
  now: Date;
}

const CLOUDFORMATION = 'cloudformation.amazonaws.com';

export function buildCaller(shape: IdentityShape, context: CallerContext): Caller {
  const { rng, recipient, operation } = context;
  const agent = (kinds: readonly UserAgentKind[]) => userAgent(rng.pick(kinds), rng, operation);
  switch (shape) {
    case 'root-console': {
      const identity: UserIdentity = {
        type: 'Root',
        principalId: recipient.id,
        arn: `arn:aws:iam::${recipient.id}:root`,
        accountId: recipient.id,
        accessKeyId: accessKeyId(rng, 'ASIA'),
        sessionContext: { attributes: sessionAttributes(context, rng.chance(0.7)) },
        invokedBy: 'signin.amazonaws.com',
      };
      const ua = rng.pick(['signin.amazonaws.com', 'console.amazonaws.com']);
      return {
        userIdentity: identity,
        ...fromInternet(rng, ua),
        fromConsole: true,
        principalArn: identity.arn ?? null,
        readOnly: false,
      };
    }
    case 'iam-user-access-key': {
      const user = rng.pick(recipient.users);
      const identity = iamUser(recipient, user, user.accessKeyId);
      const ua = agent(['aws-cli', 'aws-cli', 'boto3', 'aws-sam-cli', 'terraform', 'aws-sdk-js']);
      return {
        userIdentity: identity,
        ...fromInternet(rng, ua),
        fromConsole: false,
        principalArn: identity.arn ?? null,
        readOnly: false,
      };
    }
    case 'iam-user-console': {
      // Console sessions of IAM users carry an ASIA key and an empty issuer, unlike their long-term key calls.
      const user = rng.pick(recipient.users);
      const identity: UserIdentity = {
        ...iamUser(recipient, user, accessKeyId(rng, 'ASIA')),
        sessionContext: {
          sessionIssuer: {},
          webIdFederationData: {},
          attributes: sessionAttributes(context, true),
        },
      };
      const base = fromInternet(rng, 'console.amazonaws.com');
      return {
        userIdentity: identity,
        ...base,
        fromConsole: true,
        principalArn: identity.arn ?? null,
        readOnly: false,
      };
    }
    case 'web-identity-ci': {
      const session = rng.pick(['GitHubActions', `gha-${rng.int(1_000_000_000, 9_999_999_999)}`]);
      const caller = assumedRole(context, recipient, recipient.ciRole, session, {
        webIdFederationData: {
          federatedProvider: `arn:aws:iam::${recipient.id}:oidc-provider/token.actions.githubusercontent.com`,
          attributes: {},
        },
      });
      return {
        ...caller,
        ...fromInternet(rng, agent(['aws-sam-cli', 'aws-cli', 'terraform'])),
        fromConsole: false,
        readOnly: false,
      };
    }
    case 'identity-center': {
      const viaConsole = rng.chance(0.55);
      const role = rng.pick(recipient.ssoRoles);
      const caller = assumedRole(context, recipient, role, rng.pick(context.world.ssoPeople));
      const ua = viaConsole ? 'console.amazonaws.com' : agent(['aws-cli', 'aws-sam-cli']);
      return {
        ...caller,
        ...fromInternet(rng, ua),
        fromConsole: viaConsole,
        readOnly: role.name.startsWith('AWSReservedSSO_ReadOnlyAccess_'),
      };
    }
    case 'ec2-instance-role': {
      const instance = `i-0${rng.chars('0123456789abcdef', 16)}`;
      const caller = assumedRole(context, recipient, recipient.ec2Role, instance, { ec2RoleDelivery: '2.0' });
      return {
        ...caller,
        ...fromInternet(rng, agent(['boto3', 'aws-cli', 'aws-sdk-js'])),
        fromConsole: false,
        readOnly: false,
      };
    }
    case 'role-chaining': {
      // A session that assumed a second role: only the source identity set at the first hop survives the chain.
      const person = rng.pick(context.world.ssoPeople).split('@')[0] ?? 'release';
      const caller = assumedRole(context, recipient, recipient.releaseRole, `release-${rng.int(100, 999)}`, {
        sourceIdentity: person,
      });
      return {
        ...caller,
        ...fromInternet(rng, agent(['aws-cli', 'boto3'])),
        fromConsole: false,
        readOnly: false,
      };
    }
    case 'cross-account-role': {
      const others = [...context.world.publishers, context.world.outsider].filter(
        (a) => a.id !== recipient.id,
      );
      const home = rng.pick(others);
      const session = rng.pick(['terraform', 'deploy', `ci-${rng.int(10_000, 99_999)}`]);
      const caller = assumedRole(context, home, home.deployRole, session);
      return {
        ...caller,
        ...fromInternet(rng, agent(['terraform', 'aws-sdk-js', 'aws-cli'])),
        fromConsole: false,
        readOnly: false,
      };
    }
    case 'federated-user': {
      // GetFederationToken sessions: the issuer is the IAM user whose long-term key asked for the token.
      const broker = rng.pick(recipient.users);
      const name = rng.pick(['support-portal', 'reporting-broker', 'ops-dashboard']);
      const identity: UserIdentity = {
        type: 'FederatedUser',
        principalId: `${recipient.id}:${name}`,
        arn: `arn:aws:sts::${recipient.id}:federated-user/${name}`,
        accountId: recipient.id,
        accessKeyId: accessKeyId(rng, 'ASIA'),
        sessionContext: {
          sessionIssuer: {
            type: 'IAMUser',
            principalId: broker.principalId,
            arn: `arn:aws:iam::${recipient.id}:user/${broker.name}`,
            accountId: recipient.id,
            userName: broker.name,
          },
          webIdFederationData: {},
          attributes: sessionAttributes(context, false),
        },
      };
      const ua = agent(['aws-sdk-js', 'boto3']);
      return {
        userIdentity: identity,
        ...fromInternet(rng, ua),
        fromConsole: false,
        principalArn: identity.arn ?? null,
        readOnly: false,
      };
    }
    case 'aws-service':
      return fromService({ type: 'AWSService', invokedBy: CLOUDFORMATION });
    case 'aws-service-event':
      // AwsServiceEvent-style identity: no type at all, only the account and the service that acted.
      return fromService({ accountId: recipient.id, invokedBy: CLOUDFORMATION });
  }
}

function iamUser(account: Account, user: Account['users'][number], key: string): UserIdentity {
  return {
    type: 'IAMUser',
    principalId: user.principalId,
    arn: `arn:aws:iam::${account.id}:user/${user.name}`,
    accountId: account.id,
    accessKeyId: key,
    userName: user.name,
  };
}

function assumedRole(
  context: CallerContext,
  home: Account,
  role: Role,
  session: string,
  extra: Partial<SessionContext> = {},
): { userIdentity: UserIdentity; principalArn: string } {
  const arn = `arn:aws:sts::${home.id}:assumed-role/${role.name}/${session}`;
  const identity: UserIdentity = {
    type: 'AssumedRole',
    principalId: `${role.roleId}:${session}`,
    arn,
    accountId: home.id,
    accessKeyId: accessKeyId(context.rng, 'ASIA'),
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: role.roleId,
        arn: role.arn,
        accountId: home.id,
        userName: role.name,
      },
      webIdFederationData: {},
      // Identity Center asks for MFA at its own sign-in, which the role session does not show: real trails say
      // "false" for these sessions, whatever the person did.
      attributes: sessionAttributes(context, false),
      ...extra,
    },
  };
  return { userIdentity: identity, principalArn: arn };
}

/** Sessions start some minutes to hours before the call; `mfaAuthenticated` is a string in CloudTrail. */
function sessionAttributes(context: CallerContext, mfa: boolean) {
  const created = secondsBefore(context.now, context.rng.int(30, 8 * 3600));
  return { creationDate: isoSeconds(created), mfaAuthenticated: mfa ? 'true' : 'false' };
}

function fromInternet(rng: Rng, ua: string) {
  return { sourceIPAddress: publicAddress(rng), userAgent: ua };
}

/** Calls a service makes itself: CloudTrail names the service in place of an address and a user agent. */
function fromService(identity: UserIdentity): Caller {
  return {
    userIdentity: identity,
    sourceIPAddress: CLOUDFORMATION,
    userAgent: CLOUDFORMATION,
    fromConsole: false,
    principalArn: null,
    readOnly: false,
  };
}
