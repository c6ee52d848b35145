import type { Random } from './random.js';

/** An IP address as bits, most significant first: 32 for IPv4, 128 for IPv6. */
export type Bits = number[];

function randomBits(r: Random, width: number, zeroGroups: boolean): Bits {
  const bits: Bits = [];
  for (let group = 0; group < width / 16; group++) {
    // IPv6 addresses are mostly zeros in practice; zero groups also exercise the `::` forms.
    const zero = zeroGroups && r.chance(0.4);
    for (let i = 0; i < 16; i++) bits.push(zero ? 0 : r.int(0, 1));
  }
  return bits;
}

/** An address inside `base`/`mask`: the first `mask` bits kept, the rest random. */
export function inside(r: Random, base: Bits, mask: number): Bits {
  return base.map((bit, i) => (i < mask ? bit : r.int(0, 1)));
}

/** An address outside `base`/`mask`, or undefined when the block is everything (mask 0). */
export function outside(r: Random, base: Bits, mask: number): Bits | undefined {
  if (mask === 0) return undefined;
  const flip = r.int(0, mask - 1);
  return inside(r, base, mask).map((bit, i) => (i === flip ? 1 - bit : bit));
}

function groups(bits: Bits, size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += size) {
    out.push(bits.slice(i, i + size).reduce((value, bit) => value * 2 + bit, 0));
  }
  return out;
}

export function randomIpv4(r: Random): Bits {
  return randomBits(r, 32, false);
}

export function randomIpv6(r: Random): Bits {
  return randomBits(r, 128, true);
}

export function formatIpv4(bits: Bits): string {
  return groups(bits, 8).join('.');
}

export type Ipv6Style = 'compressed' | 'full' | 'padded' | 'upper';

/** The same IPv6 address in one of its textual forms. */
export function formatIpv6(bits: Bits, style: Ipv6Style): string {
  const hex = groups(bits, 16).map((group) => group.toString(16));
  if (style === 'full') return hex.join(':');
  if (style === 'padded') return hex.map((group) => group.padStart(4, '0')).join(':');
  // The longest run of zero groups (two or more) becomes `::`, as RFC 5952 writes it.
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < hex.length; ) {
    let end = start;
    while (end < hex.length && hex[end] === '0') end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end === start ? start + 1 : end;
  }
  let text = hex.join(':');
  if (bestStart >= 0) {
    text = `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
  }
  return style === 'upper' ? text.toUpperCase() : text;
}

export function formatIpv6Randomly(r: Random, bits: Bits): string {
  return formatIpv6(bits, r.pick<Ipv6Style>(['compressed', 'compressed', 'full', 'padded', 'upper']));
}
