import type { CloudTrailRecord } from '../cloudtrail/record.js';
import type { Source } from '../contract/enriched-event.js';
import { classifyClient } from './classify-client.js';
import { addressScope } from './ip-address.js';

/** Where the call came from: an AWS service (which CloudTrail names instead of an address) or an IP. */
export function classifySource(record: CloudTrailRecord): Source {
  const ipAddress = record.sourceIPAddress ?? null;
  return {
    ipAddress,
    kind: sourceKind(ipAddress),
    userAgent: record.userAgent ?? null,
    client: classifyClient(record.userAgent),
  };
}

/**
 * Documentation, multicast and reserved addresses, and text that is no valid literal, are `unknown`: nobody calls
 * from them, so calling them public would point an analyst at an address that cannot be traced.
 */
function sourceKind(address: string | null): Source['kind'] {
  if (address === null || address === '') return 'unknown';
  if (address.endsWith('.amazonaws.com') || address === 'AWS Internal') return 'aws-service';
  const scope = addressScope(address);
  if (scope === 'public') return 'public-ip';
  if (scope === 'private') return 'private-ip';
  return 'unknown';
}
