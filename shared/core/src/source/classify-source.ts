import type { CloudTrailRecord } from '../cloudtrail/record.js';
import type { Source } from '../contract/enriched-event.js';
import { classifyClient } from './classify-client.js';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

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

function sourceKind(address: string | null): Source['kind'] {
  if (address === null || address === '') return 'unknown';
  if (address.endsWith('.amazonaws.com') || address === 'AWS Internal') return 'aws-service';
  const v4 = IPV4.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (Math.max(a, b, Number(v4[3]), Number(v4[4])) > 255) return 'unknown';
    return isPrivateIpv4(a, b) ? 'private-ip' : 'public-ip';
  }
  if (address.includes(':')) return isPrivateIpv6(address.toLowerCase()) ? 'private-ip' : 'public-ip';
  return 'unknown';
}

// RFC 1918 private, RFC 6598 shared (carrier-grade NAT), loopback and link-local ranges.
function isPrivateIpv4(a: number, b: number): boolean {
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254)
  );
}

// Unique local fc00::/7, link-local fe80::/10 and loopback.
function isPrivateIpv6(address: string): boolean {
  return address === '::1' || /^f[cd]/.test(address) || /^fe[89ab]/.test(address);
}
