import type { CloudTrailRecord } from '../cloudtrail/record.js';
import { IDENTITY_TYPES, type Identity, type IdentityType } from '../contract/enriched-event.js';
import { decideActor } from './actor-rules.js';
import { isConsoleCall } from './console-signals.js';
import { credentialKind } from './credential.js';
import { principalArn, sessionName, userName } from './principal.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(IDENTITY_TYPES);

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
    principalArn: principalArn(type, identity, record.awsRegion),
    principalId: identity.principalId ?? null,
    accountId,
    userName: userName(type, identity),
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
