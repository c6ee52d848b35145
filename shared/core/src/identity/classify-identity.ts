import type { CloudTrailRecord } from '../cloudtrail/record.js';
import { IDENTITY_TYPES, type Identity, type IdentityType } from '../contract/enriched-event.js';
import { decideActor } from './actor-rules.js';
import { credentialKind } from './credential.js';
import { principalArn, sessionName } from './principal.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(IDENTITY_TYPES);
// An array, not a Set: a Set hashes the whole user agent, often 200 characters, where a comparison of unequal
// strings usually stops at their lengths.
const CONSOLE_USER_AGENTS: readonly string[] = [
  'console.amazonaws.com',
  'signin.amazonaws.com',
  'AWS Internal',
];

export function identityType(raw: string | undefined): IdentityType {
  return raw !== undefined && KNOWN_TYPES.has(raw) ? (raw as IdentityType) : 'Unknown';
}

/** Who made the call, with which kind of credential, from which account. Works on any service's record. */
export function classifyIdentity(record: CloudTrailRecord): Identity {
  const identity = record.userIdentity;
  const type = identityType(identity.type);
  const viaConsole = isConsoleCall(record);
  const accountId = identity.accountId ?? null;
  const { actor, actorReason } = decideActor({ type, identity, viaConsole, userAgent: record.userAgent });
  return {
    type,
    rawType: identity.type ?? null,
    principalArn: principalArn(type, identity),
    principalId: identity.principalId ?? null,
    accountId,
    userName:
      identity.userName ??
      (type === 'AssumedRole' ? identity.sessionContext?.sessionIssuer?.userName : undefined) ??
      null,
    sessionName: sessionName(type, identity),
    crossAccount:
      accountId !== null &&
      record.recipientAccountId !== undefined &&
      accountId !== record.recipientAccountId,
    mfaAuthenticated: mfaAuthenticated(record),
    credential: credentialKind(identity.accessKeyId),
    viaConsole,
    invokedBy: identity.invokedBy ?? null,
    actor,
    actorReason,
  };
}

function isConsoleCall(record: CloudTrailRecord): boolean {
  const flag = record.sessionCredentialFromConsole;
  if (flag === true || flag === 'true') return true;
  if (record.eventName === 'ConsoleLogin') return true;
  return record.userAgent !== undefined && CONSOLE_USER_AGENTS.includes(record.userAgent);
}

/** CloudTrail says it in the session attributes, or for ConsoleLogin in `additionalEventData.MFAUsed`. */
function mfaAuthenticated(record: CloudTrailRecord): boolean | null {
  const attribute = record.userIdentity.sessionContext?.attributes?.mfaAuthenticated;
  if (attribute === true || attribute === 'true') return true;
  if (attribute === false || attribute === 'false') return false;
  if (record.eventName !== 'ConsoleLogin') return null;
  const mfaUsed = record.additionalEventData?.MFAUsed;
  if (mfaUsed === 'Yes') return true;
  if (mfaUsed === 'No') return false;
  return null;
}
