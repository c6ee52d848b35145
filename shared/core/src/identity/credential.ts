import type { CredentialKind } from '../contract/enriched-event.js';

/** Access key id prefixes from the IAM User Guide, "IAM identifiers". */
export function credentialKind(accessKeyId: string | undefined): CredentialKind {
  if (accessKeyId === undefined || accessKeyId === '') return 'none';
  if (accessKeyId.startsWith('AKIA')) return 'long-term';
  if (accessKeyId.startsWith('ASIA')) return 'temporary';
  return 'unknown';
}
