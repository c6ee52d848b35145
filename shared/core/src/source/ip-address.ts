/** IPv4 and IPv6 literals, parsed strictly: what CloudTrail's `sourceIPAddress` holds when a network client called. */

export type AddressScope = 'public' | 'private' | 'special';

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const DIGIT_ZERO = 0x30;
const DOT = 0x2e;

/**
 * The four octets, or null. Leading zeros are refused: some parsers read them as octal, so they name no one address.
 * Read digit by digit, as every record's source address is: a regular expression with its captures and their
 * numbers cost seven times as much.
 */
export function parseIpv4(text: string): number[] | null {
  const octets: number[] = [];
  let octet = 0;
  let digits = 0;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : DOT;
    if (code === DOT) {
      if (digits === 0 || octets.length === 4) return null;
      octets.push(octet);
      octet = 0;
      digits = 0;
      continue;
    }
    const digit = code - DIGIT_ZERO;
    if (digit < 0 || digit > 9 || (digits === 1 && octet === 0)) return null;
    octet = octet * 10 + digit;
    digits++;
    if (octet > 255) return null;
  }
  return octets.length === 4 ? octets : null;
}

/** The eight 16-bit groups, or null; `::` and a trailing dotted IPv4 part are understood. */
export function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string, last: boolean): number[] | null => {
    if (half === '') return [];
    const parts = half.split(':');
    const groups: number[] = [];
    for (const [index, part] of parts.entries()) {
      if (last && index === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return null;
        groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (HEX_GROUP.test(part)) {
        groups.push(Number.parseInt(part, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

// RFC 1918, RFC 6598 (carrier-grade NAT), loopback and link-local: someone's own network.
function ipv4Scope([a = 0, b = 0, c = 0]: number[]): AddressScope {
  if (a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return 'private';
  if ((a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254)) return 'private';
  // "This network", IETF protocol assignments, the three documentation ranges, benchmarking, multicast and the
  // reserved 240/4 with broadcast (IANA IPv4 Special-Purpose Address Registry): no caller comes from these.
  if (a === 0 || a >= 224) return 'special';
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'special';
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'special';
  if (a === 198 && (b === 18 || b === 19)) return 'special';
  return 'public';
}

function ipv6Scope(groups: number[]): AddressScope {
  const [first = 0, second = 0] = groups;
  const allZeroBefore = (count: number) => groups.slice(0, count).every((group) => group === 0);
  const [, , , , , , high = 0, low = 0] = groups;
  const embeddedIpv4 = () => ipv4Scope([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  // IPv4-mapped ::ffff:0:0/96, and NAT64's well-known prefix 64:ff9b::/96: an IPv4 caller in IPv6 clothes.
  if (allZeroBefore(5) && groups[5] === 0xffff) return embeddedIpv4();
  if (first === 0x0064 && second === 0xff9b && groups.slice(2, 6).every((group) => group === 0))
    return embeddedIpv4();
  if (allZeroBefore(7) && groups[7] === 1) return 'private';
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) return 'private';
  // Unspecified and the rest of ::/8, discard-only 100::/64, documentation 2001:db8::/32 and 3fff::/20, multicast.
  const discardOnly = first === 0x0100 && groups.slice(1, 4).every((group) => group === 0);
  const documentation =
    (first === 0x2001 && second === 0x0db8) || (first === 0x3fff && (second & 0xf000) === 0);
  if ((first & 0xff00) === 0 || discardOnly || documentation || (first & 0xff00) === 0xff00) return 'special';
  return 'public';
}

/** Where an address belongs, or null when the text is no IP literal at all. */
export function addressScope(text: string): AddressScope | null {
  const v4 = parseIpv4(text);
  if (v4) return ipv4Scope(v4);
  const v6 = text.includes(':') ? parseIpv6(text) : null;
  return v6 ? ipv6Scope(v6) : null;
}
