import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressHexRange, blockHexRange, hexRangeAccepts, parseCidr, parseIpAddress, toHex } from './cidr.js';
import { isExactDouble } from './numeric.js';

const hex = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

describe('isExactDouble: the numbers Event Ruler agrees to compare', () => {
  it.each([
    ['0', true],
    ['-0', true],
    ['0e-400', true],
    ['0.1', true],
    ['3.018e2', true],
    ['301.80', true],
    ['1E2', true],
    ['9007199254740993', false], // 2^53 + 1 rounds to 2^53
    ['9007199254740992', true],
    ['0.10000000000000001', false],
    ['1e400', false],
    ['1e-400', false],
    ['5e-324', false], // Java writes Number.MIN_VALUE as 4.9E-324: never fewer than two digits
    ['4.9e-324', true],
    ['1e-323', false],
    ['9.9e-324', true],
    ['1e-310', true],
    ['1.7976931348623157e308', true],
  ])('%s: %s', (text, expected) => {
    expect(isExactDouble(text)).toBe(expected);
  });

  it('holds for every normal double written the way JavaScript writes it', () => {
    const normal = fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((v) => v === 0 || Math.abs(v) >= 2 ** -1022);
    fc.assert(
      fc.property(normal, (value) => {
        expect(isExactDouble(String(value))).toBe(true);
        expect(isExactDouble(JSON.stringify(value))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('parseIpAddress, as Java InetAddress reads literals', () => {
  it.each([
    ['10.0.0.1', '0a000001'],
    ['255.255.255.255', 'ffffffff'],
    ['0.0.0.0', '00000000'],
    ['256.0.0.1', null],
    ['010.0.0.1', '0a000001'], // leading zeros are decimal in JDK 17
    ['010.000.000.001', '0a000001'],
    ['0010.000.000.001', null], // longer than 15 characters
    ['1.2.3', null],
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['2001:DB8:0:0:0:0:0:1', '20010db8000000000000000000000001'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['1:2:3:4:5:6:7:8::', null], // "::" must stand for at least one group
    ['::1:2:3:4:5:6:7:8', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1::2::3', null],
    [':1::', null],
    ['1:', null],
    ['00001::', '00010000000000000000000000000000'], // the JDK allows extra leading zeros in a group
    ['10000::', null],
    ['::ffff:a00:1', '0a000001'], // IPv4-mapped IPv6 is IPv4
    ['::a00:1', '0000000000000000000000000a000001'], // IPv4-compatible is not
    ['::ffff:10.0.0.1', null], // dotted forms are not IP literals to Ruler
    ['fe80::1%eth0', null],
    ['[::1]', null],
    ['example.com', null],
    ['', null],
  ])('%j is %s', (text, expected) => {
    expect(hex(parseIpAddress(text))).toBe(expected);
  });
});

describe('block ranges, matched as Event Ruler matches them', () => {
  const range = (cidr: string) => {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new Error(parsed.error);
    return blockHexRange(parsed.block);
  };
  const inBlock = (cidr: string, ip: string) => {
    const address = parseIpAddress(ip);
    return address !== null && hexRangeAccepts(range(cidr), toHex(address));
  };
  it('computes the lowest and highest address of a block', () => {
    expect(range('10.0.0.7/24')).toEqual({
      bottom: '0A000000',
      openBottom: false,
      top: '0A0000FF',
      openTop: false,
    });
    expect(range('192.168.0.0/13')).toEqual({
      bottom: 'C0A80000',
      openBottom: false,
      top: 'C0AFFFFF',
      openTop: false,
    });
  });
  it.each([
    ['10.0.0.0/24', '10.0.0.0', true],
    ['10.0.0.0/24', '10.0.0.255', true],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.0/24', '9.255.255.255', false],
    ['10.0.0.7/24', '10.0.0.200', true], // host bits of the block are ignored
    ['10.0.0.0/0', '255.1.2.3', true],
    ['10.0.0.0/31', '10.0.0.1', true],
    ['10.0.0.0/31', '10.0.0.2', false],
    ['192.168.0.0/13', '192.175.255.255', true],
    ['192.168.0.0/13', '192.176.0.0', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['10.0.0.0/8', '::ffff:a01:203', true], // IPv4-mapped
    ['10.0.0.0/+8', '10.9.9.9', true], // Java's Integer.parseInt takes a sign
    // Across families Ruler compares the leading hex digits (checked against Event Ruler 2.0.1):
    ['0.0.0.0/0', '::1', true],
    ['10.0.0.0/8', 'a00:1::', true],
    ['10.0.0.0/8', 'b00::', false],
    ['::/0', '10.0.0.1', true],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(inBlock(cidr, ip)).toBe(expected);
  });

  it.each([
    // The artefact on numbers' text, checked against Event Ruler 2.0.1.
    ['0.0.0.0/0', '5', true], // 5 lies strictly between the first digits 0 and F
    ['0.0.0.0/0', '1.5', true],
    ['0.0.0.0/0', '0', false], // 0 follows the lower bound, which needs all 8 digits
    ['0.0.0.0/0', '-1', false],
    ['0.0.0.0/1', '5', true],
    ['0.0.0.0/1', '8', false],
    ['0.0.0.0/1', '70000000', true],
  ])('%s accepts the text %s: %s', (cidr, text, expected) => {
    expect(hexRangeAccepts(range(cidr), text)).toBe(expected);
  });

  it.each([
    ['16.0.0.0', '10000000', true],
    ['16.0.0.0', '100000001', true],
    ['16.0.0.0', '1000000', false],
    ['10.0.0.1', '0A000001', true],
    ['10.0.0.1', '0A000002', false],
    ['10.0.0.15', '0A00000F', true], // an address ending in F gets the range (…E, …F]
    ['10.0.0.15', '0A00000E', false],
  ])('the address %s accepts %s: %s', (ip, text, expected) => {
    const address = parseIpAddress(ip);
    if (address === null) throw new Error(ip);
    expect(hexRangeAccepts(addressHexRange(address), text)).toBe(expected);
  });
});
