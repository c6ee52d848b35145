import type { UserIdentity } from '../cloudtrail/user-identity.js';
import type { Actor, IdentityType } from '../contract/enriched-event.js';
import { issuerRoleName } from './principal.js';

/** What the actor rules look at: the raw identity plus the facts already derived from the record. */
export interface ActorFacts {
  type: IdentityType;
  identity: UserIdentity;
  viaConsole: boolean;
  userAgent: string | undefined;
}

interface ActorRule {
  name: string;
  actor: Actor;
  applies(facts: ActorFacts): boolean;
}

const SIGN_IN_SERVICES = new Set(['signin.amazonaws.com', 'console.amazonaws.com']);
const EC2_INSTANCE_SESSION = /^i-[0-9a-f]{8,17}$/;
// Command-line tools a person types into; an SDK or Terraform is more often a program.
const INTERACTIVE_TOOLS = /^aws-cli\/|\baws-sam-cli\//;
// Only these can be a person at a keyboard; another account's principal or an unknown type stays undecided.
const PERSON_CAPABLE_TYPES: ReadonlySet<IdentityType> = new Set(['IAMUser', 'AssumedRole', 'FederatedUser']);

const isServiceInvocation = ({ identity }: ActorFacts) =>
  identity.invokedBy !== undefined && !SIGN_IN_SERVICES.has(identity.invokedBy);

/**
 * Ordered: the first rule that applies decides, and its name is published as `identity.actorReason` so a
 * subscriber can see why. Keep the table in docs in step with this list.
 */
export const ACTOR_RULES: readonly ActorRule[] = [
  { name: 'root-identity', actor: 'root', applies: (f) => f.type === 'Root' },
  // Console credentials belong to a person at a browser, even when a service forwarded the call with them
  // (`invokedBy` then still names that service).
  { name: 'console-session', actor: 'human', applies: (f) => f.viaConsole },
  { name: 'aws-service-identity', actor: 'aws-service', applies: (f) => f.type === 'AWSService' },
  {
    name: 'aws-service-event',
    actor: 'aws-service',
    applies: (f) => f.identity.type === undefined && f.identity.invokedBy !== undefined,
  },
  {
    name: 'service-linked-role',
    actor: 'aws-service',
    applies: (f) =>
      f.identity.sessionContext?.sessionIssuer?.arn?.includes(':role/aws-service-role/') ?? false,
  },
  { name: 'invoked-by-aws-service', actor: 'aws-service', applies: isServiceInvocation },
  {
    name: 'identity-center-session',
    actor: 'human',
    applies: (f) =>
      f.type === 'IdentityCenterUser' ||
      (f.type === 'AssumedRole' && (issuerRoleName(f.identity)?.startsWith('AWSReservedSSO_') ?? false)),
  },
  { name: 'saml-federation', actor: 'human', applies: (f) => f.type === 'SAMLUser' },
  { name: 'directory-user', actor: 'human', applies: (f) => f.type === 'Directory' },
  {
    name: 'web-identity-federation',
    actor: 'workload',
    applies: (f) =>
      f.type === 'WebIdentityUser' ||
      f.identity.sessionContext?.webIdFederationData?.federatedProvider !== undefined,
  },
  {
    name: 'ec2-instance-role',
    actor: 'workload',
    applies: (f) => {
      if (f.type !== 'AssumedRole') return false;
      if (f.identity.sessionContext?.ec2RoleDelivery !== undefined) return true;
      const arn = f.identity.arn ?? '';
      const session = arn.slice(arn.lastIndexOf('/') + 1);
      return EC2_INSTANCE_SESSION.test(session);
    },
  },
  // A source identity is set by whoever first assumed the role and survives role chaining: in practice a person's
  // name handed on by an identity provider.
  {
    name: 'source-identity',
    actor: 'human',
    applies: (f) => f.type === 'AssumedRole' && !!f.identity.sessionContext?.sourceIdentity,
  },
  {
    name: 'interactive-cli',
    actor: 'human',
    applies: (f) => PERSON_CAPABLE_TYPES.has(f.type) && INTERACTIVE_TOOLS.test(f.userAgent ?? ''),
  },
  { name: 'assumed-role-api-session', actor: 'workload', applies: (f) => f.type === 'AssumedRole' },
  { name: 'role-identity', actor: 'workload', applies: (f) => f.type === 'Role' },
  { name: 'federated-user-api', actor: 'workload', applies: (f) => f.type === 'FederatedUser' },
  { name: 'iam-user-api-key', actor: 'workload', applies: (f) => f.type === 'IAMUser' },
  // Another account's principal, hidden behind its account id: CloudTrail does not say who or what it was.
  { name: 'aws-account-principal', actor: 'unknown', applies: (f) => f.type === 'AWSAccount' },
];

export function decideActor(facts: ActorFacts): { actor: Actor; actorReason: string } {
  for (const rule of ACTOR_RULES) {
    if (rule.applies(facts)) return { actor: rule.actor, actorReason: rule.name };
  }
  return { actor: 'unknown', actorReason: 'no-rule-matched' };
}
