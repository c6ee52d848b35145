/**
 * IP addresses and `cidr` blocks (EventBridge User Guide, eb-create-pattern-operators, "IP address matching"; Event
 * Ruler README, "IP Address Matching"), read the way Event Ruler reads them through Java's `InetAddress`:
 * - IPv4 is four dot-separated decimal numbers 0-255, at most 15 characters in all; a leading zero does not make a
 *   part octal (`010.0.0.1` is 10.0.0.1), as in the JDK 17 that the differential tests run Ruler on;
 * - IPv6 is hex groups and at most one `::`, with no embedded dotted IPv4, zone or brackets; a group may have more
 *   than four digits if its value fits 16 bits, as in the JDK;
 * - an IPv4-mapped IPv6 address (`::ffff:a00:1`) is that IPv4 address.
 * A block's mask must be below the address length: Ruler refuses `/32` for IPv4 and `/128` for IPv6.
 *
 * Matching is Ruler's too (see hexRangeAccepts below): the address, as hex digits, is walked through an automaton built
 * from the block's lowest and highest addresses, and the first digits that settle the question decide. For an address
 * of the block's own family that is exactly "inside the block". Across families it compares prefixes: `0.0.0.0/0`
 * (8 hex digits) accepts `::1`, whose first 8 digits are 0, and `::/0` accepts `10.0.0.1`.
 */
export interface CidrBlock {
  readonly address: Uint8Array;
  readonly maskBits: number;
}

export type CidrParse = { ok: true; block: CidrBlock } | { ok: false; error: string };

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const INTEGER = /^[+-]?[0-9]+$/;

function parseIpv4(text: string): Uint8Array | null {
  if (text.length > 15) return null;
  const parts = text.split('.');
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const value = Number(parts[i] ?? '');
    if (value > 255) return null;
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  const bytes = new Uint8Array(16);
  let i = 0;
  if (text[0] === ':') {
    if (text[1] !== ':') return null;
    i = 1;
  }
  let written = 0;
  let gapAt = -1;
  let group = 0;
  let inGroup = false;
  while (i < text.length) {
    const c = text[i] ?? '';
    i += 1;
    if (c === ':') {
      if (!inGroup) {
        if (gapAt !== -1) return null;
        gapAt = written;
        continue;
      }
      if (i === text.length || written + 2 > 16) return null;
      bytes[written++] = group >> 8;
      bytes[written++] = group & 0xff;
      group = 0;
      inGroup = false;
      continue;
    }
    group = (group << 4) | Number.parseInt(c, 16);
    if (group > 0xffff) return null;
    inGroup = true;
  }
  if (inGroup) {
    if (written + 2 > 16) return null;
    bytes[written++] = group >> 8;
    bytes[written++] = group & 0xff;
  }
  if (gapAt !== -1) {
    if (written === 16) return null; // "::" must stand for at least one group
    const tail = bytes.slice(gapAt, written);
    bytes.fill(0, gapAt);
    bytes.set(tail, 16 - tail.length);
    written = 16;
  }
  if (written !== 16) return null;
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

/** The address as 4 or 16 bytes, or null when the text is not an IP address literal. */
export function parseIpAddress(text: string): Uint8Array | null {
  if (IPV4.test(text)) return parseIpv4(text);
  if (IPV6.test(text)) return parseIpv6(text);
  return null;
}

/** Java's `split("/")`: trailing empty parts dropped, so `10.0.0.0/24/` is accepted as Ruler accepts it. */
function splitOnSlash(text: string): string[] {
  const parts = text.split('/');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 1 && parts[0] === '' ? [] : parts;
}

export function parseCidr(text: string): CidrParse {
  const parts = splitOnSlash(text);
  const [ip = '', mask = ''] = parts;
  if (parts.length !== 2) return { ok: false, error: `"${text}" is not an address, a "/" and a mask length` };
  const maskBits = Number(mask);
  if (!INTEGER.test(mask) || maskBits > 2 ** 31 - 1 || maskBits < -(2 ** 31)) {
    return { ok: false, error: `"${text}" has a mask length that is not an integer` };
  }
  if (maskBits < 0) return { ok: false, error: `"${text}" has a negative mask length` };
  const address = parseIpAddress(ip);
  if (address === null) return { ok: false, error: `"${ip}" is not an IPv4 or IPv6 address` };
  const limit = address.length * 8 - 1;
  if (maskBits > limit) {
    const family = address.length === 4 ? 'IPv4' : 'IPv6';
    return {
      ok: false,
      error: `"${text}" has a mask of ${maskBits} bits; an ${family} mask must be at most ${limit}`,
    };
  }
  return { ok: true, block: { address, maskBits } };
}

/**
 * Ruler's range automaton, and an artefact of it reproduced on purpose: for a field with no numeric pattern, Ruler
 * also walks the raw text of JSON numbers through it. So `{"cidr": "0.0.0.0/0"}` matches the number 5 (its text
 * starts with a digit strictly between the bounds' first digits, 0 and F), and the IP string `"16.0.0.0"` (hex
 * 10000000) matches the number 10000000. Here the number's text is the one JavaScript writes, which is the JSON
 * text for integers and ordinary decimals.
 */
export interface HexRange {
  readonly bottom: string;
  readonly openBottom: boolean;
  readonly top: string;
  readonly openTop: boolean;
}

const HEX_DIGITS = '0123456789ABCDEF';
export const toHex = (bytes: Uint8Array): string =>
  [...bytes].map((b) => HEX_DIGITS[b >> 4] + (HEX_DIGITS[b & 15] ?? '')).join('');

export function blockHexRange(block: CidrBlock): HexRange {
  const low = block.address.map(
    (byte, i) => byte & (0xff << Math.max(0, Math.min(8, (i + 1) * 8 - block.maskBits))),
  );
  const high = block.address.map(
    (byte, i) => byte | (0xff >> (8 - Math.max(0, Math.min(8, (i + 1) * 8 - block.maskBits)))),
  );
  return { bottom: toHex(low), openBottom: false, top: toHex(high), openTop: false };
}

/** Ruler's one-address range: the address and its successor in the last digit, one end open. */
export function addressHexRange(address: Uint8Array): HexRange {
  const digits = toHex(address);
  const head = digits.slice(0, -1);
  const last = HEX_DIGITS.indexOf(digits.slice(-1));
  if (last === 15) return { bottom: `${head}E`, openBottom: true, top: digits, openTop: false };
  return { bottom: digits, openBottom: false, top: `${head}${HEX_DIGITS[last + 1] ?? ''}`, openTop: true };
}

/** Whether Ruler's range automaton accepts `text`: some prefix of it decides that it lies in the range. */
export function hexRangeAccepts(range: HexRange, text: string): boolean {
  const { bottom, top } = range;
  const length = bottom.length;
  let fork = 0;
  while (fork < length && bottom[fork] === top[fork]) fork++;
  if (!text.startsWith(bottom.slice(0, fork))) return false;
  const isDigit = (c: string | undefined): c is string =>
    c !== undefined && c.length === 1 && HEX_DIGITS.includes(c);
  const first = text[fork];
  if (!isDigit(first)) return false;
  if (first > (bottom[fork] ?? '') && first < (top[fork] ?? '')) return true;
  if (fork === length - 1) {
    return (first === bottom[fork] && !range.openBottom) || (first === top[fork] && !range.openTop);
  }
  // Along the bottom bound a greater digit decides; along the top bound a smaller one; the last digit also counts
  // when equal and the bound is closed.
  const along = (bound: string, open: boolean, above: boolean): boolean => {
    for (let i = fork + 1; i < length; i++) {
      const c = text[i];
      const b = bound[i] ?? '';
      if (!isDigit(c)) return false;
      if (above ? c > b : c < b) return true;
      if (c !== b) return false;
      if (i === length - 1) return !open;
    }
    return false;
  };
  if (first === bottom[fork]) return along(bottom, range.openBottom, true);
  if (first === top[fork]) return along(top, range.openTop, false);
  return false;
}
