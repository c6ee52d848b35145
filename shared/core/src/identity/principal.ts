import type { UserIdentity } from '../cloudtrail/user-identity.js';
import type { IdentityType } from '../contract/enriched-event.js';

const ASSUMED_ROLE_ARN = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/** The stable principal behind a call: a role rather than one of its sessions, a service rather than nobody. */
export function principalArn(type: IdentityType, identity: UserIdentity): string | null {
  switch (type) {
    case 'AssumedRole':
      return identity.sessionContext?.sessionIssuer?.arn ?? roleArnFromSessionArn(identity.arn) ?? null;
    case 'AWSService':
      return identity.invokedBy ?? null;
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

export function sessionName(type: IdentityType, identity: UserIdentity): string | null {
  if (type !== 'AssumedRole') return null;
  const fromArn = identity.arn ? ASSUMED_ROLE_ARN.exec(identity.arn)?.[4] : undefined;
  if (fromArn) return fromArn;
  const separator = identity.principalId?.indexOf(':') ?? -1;
  return separator >= 0 ? (identity.principalId?.slice(separator + 1) ?? null) : null;
}

/** The role name an assumed-role session runs as, for rules that look at naming conventions. */
export function issuerRoleName(identity: UserIdentity): string | undefined {
  const issuer = identity.sessionContext?.sessionIssuer;
  if (issuer?.userName) return issuer.userName;
  const match = identity.arn ? ASSUMED_ROLE_ARN.exec(identity.arn) : null;
  return match?.[3];
}
