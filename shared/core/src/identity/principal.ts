import type { UserIdentity } from '../cloudtrail/user-identity.js';
import type { IdentityType } from '../contract/enriched-event.js';

const ASSUMED_ROLE_ARN = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const FEDERATED_USER_ARN = /^arn:aws[\w-]*:sts::\d{12}:federated-user\/(.+)$/;
// What CloudTrail writes instead of the user name of a failed console sign-in.
const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The stable principal behind a call: a role rather than one of its sessions, a service rather than nobody. */
export function principalArn(type: IdentityType, identity: UserIdentity, region: string): string | null {
  switch (type) {
    case 'AssumedRole':
      return identity.sessionContext?.sessionIssuer?.arn ?? roleArnFromSessionArn(identity.arn) ?? null;
    case 'AWSService':
      return identity.invokedBy ?? null;
    case 'IAMUser':
      return identity.arn ?? userArnFromName(identity, region);
    case 'Unknown':
      return identity.arn ?? identity.invokedBy ?? null;
    default:
      return identity.arn ?? null;
  }
}

function roleArnFromSessionArn(arn: string | undefined): string | undefined {
  const match = arn ? ASSUMED_ROLE_ARN.exec(arn) : null;
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : undefined;
}

/** Sign-in events (CheckMfa, ConsoleLogin) may name the user and account but give no ARN. */
function userArnFromName(identity: UserIdentity, region: string): string | null {
  const { accountId, userName } = identity;
  if (!accountId || !userName || userName === HIDDEN_USER_NAME) return null;
  return `arn:${partitionOf(region)}:iam::${accountId}:user/${userName}`;
}

// Region prefixes of the partitions other than `aws` (botocore's endpoints partitions).
const PARTITIONS: readonly [string, string][] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/** The ARN partition a region belongs to (the IAM User Guide's ARN format). */
function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

export function sessionName(type: IdentityType, identity: UserIdentity): string | null {
  const fromArn =
    type === 'AssumedRole'
      ? ASSUMED_ROLE_ARN.exec(identity.arn ?? '')?.[4]
      : type === 'FederatedUser'
        ? FEDERATED_USER_ARN.exec(identity.arn ?? '')?.[1]
        : null;
  if (fromArn === null) return null;
  if (fromArn) return fromArn;
  const separator = identity.principalId?.indexOf(':') ?? -1;
  return separator >= 0 ? (identity.principalId?.slice(separator + 1) ?? null) : null;
}

/** `userName`; else for an assumed role its issuer's name, for a federated user the name in its ARN. */
export function userName(type: IdentityType, identity: UserIdentity): string | null {
  if (identity.userName) return identity.userName;
  if (type === 'AssumedRole') return identity.sessionContext?.sessionIssuer?.userName ?? null;
  if (type === 'FederatedUser') return sessionName(type, identity);
  return null;
}

/** The role name an assumed-role session runs as, for rules that look at naming conventions. */
export function issuerRoleName(identity: UserIdentity): string | undefined {
  const issuer = identity.sessionContext?.sessionIssuer;
  if (issuer?.userName) return issuer.userName;
  const match = identity.arn ? ASSUMED_ROLE_ARN.exec(identity.arn) : null;
  return match?.[3];
}
