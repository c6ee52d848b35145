import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../cloudtrail/record.js';
import { classifySource } from './classify-source.js';
import { addressScope, parseIpv4, parseIpv6 } from './ip-address.js';

// The ranges come from docs/events-v1.md, `source.kind`: private-ip for RFC 1918, carrier-grade NAT, loopback,
// link-local, IPv6 unique-local and link-local; unknown for text that is no valid literal (leading zeros included)
// and for documentation, multicast, 0.0.0.0/8, 240.0.0.0/4, benchmarking, IPv6 unspecified and discard.
// addressScope says `private`, `special` (published as unknown) or `public`, and null for no literal at all.

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['1.2.3.4', [1, 2, 3, 4]],
    ['10.0.0.1', [10, 0, 0, 1]],
    ['52.94.133.131', [52, 94, 133, 131]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['100.0.10.200', [100, 0, 10, 200]],
  ])('reads %s', (text, octets) => {
    expect(parseIpv4(text)).toEqual(octets);
  });

  it.each(['010.1.1.1', '01.2.3.4', '1.02.3.4', '1.2.003.4', '1.2.3.04', '00.0.0.0'])(
    'refuses the leading zeros of %s (some parsers read them as octal)',
    (text) => {
      expect(parseIpv4(text)).toBeNull();
    },
  );

  it.each(['256.0.0.1', '1.256.3.4', '1.2.300.4', '1.2.3.999'])(
    'refuses the octet over 255 in %s',
    (text) => {
      expect(parseIpv4(text)).toBeNull();
    },
  );

  it.each(['1.2.3', '1.2', '1', '1.2.3.4.5', '1..2.3', '1.2.3.', '.1.2.3', '', '1.2.3.4/24'])(
    'refuses %s: not four dotted parts',
    (text) => {
      expect(parseIpv4(text)).toBeNull();
    },
  );

  it.each([
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4\n',
    '-1.2.3.4',
    '1.2.3.4a',
    '1.2.3.0x4',
    '1,2,3,4',
    '::ffff:1.2.3.4',
  ])('refuses %j', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });
});

describe('parseIpv4 against the textbook reading', () => {
  // Four dotted decimal octets, none over 255, none with a leading zero: a regular expression says it plainly.
  const reference = (text: string) => {
    const match = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(text);
    const octets = match?.slice(1).map(Number);
    return octets?.every((octet) => octet <= 255) ? octets : null;
  };
  const nearlyAddresses = fc.oneof(
    fc.ipV4(),
    fc.stringMatching(/^[0-9.]{0,18}$/),
    fc
      .array(fc.constantFrom('0', '1', '9', '00', '25', '255', '256', '999', '.', 'x', ' ', ''), {
        maxLength: 9,
      })
      .map((parts) => parts.join('')),
  );

  it('agrees on addresses, near misses and noise', () => {
    fc.assert(
      fc.property(nearlyAddresses, (text) => {
        expect(parseIpv4(text)).toEqual(reference(text));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('parseIpv6', () => {
  const mapped = [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304];

  it.each([
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', [0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329]],
    ['2001:db8:0:0:0:ff00:42:8329', [0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329]],
    ['FE80:0:0:0:0:0:0:ABCD', [0xfe80, 0, 0, 0, 0, 0, 0, 0xabcd]],
  ])('reads the full form %s', (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups);
  });

  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['::2:3', [0, 0, 0, 0, 0, 0, 2, 3]],
    ['2001:db8::ff00:42:8329', [0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329]],
    ['fe80::1', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['2600:1f18::', [0x2600, 0x1f18, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7::', [1, 2, 3, 4, 5, 6, 7, 0]],
    ['::2:3:4:5:6:7:8', [0, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3::6:7:8', [1, 2, 3, 0, 0, 6, 7, 8]],
  ])('reads %s, with :: for one or more zero groups', (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups);
  });

  it.each([
    ['::ffff:1.2.3.4', mapped],
    ['::FFFF:1.2.3.4', mapped],
    ['0:0:0:0:0:ffff:1.2.3.4', mapped],
    ['::ffff:0102:0304', mapped],
  ])('reads the trailing dotted IPv4 part of %s', (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups);
  });

  it.each([
    [':::', 'three colons'],
    ['1:::2', 'three colons'],
    ['1::2::3', 'two ::'],
    ['::1::', 'two ::'],
    ['1:2:3:4:5:6:7:8:9', 'nine groups'],
    ['1:2:3:4:5:6:7::8', 'eight groups and a ::, which stands for at least one'],
    ['1:2:3:4::5:6:7:8', 'eight groups and a ::'],
    ['1:2:3:4:5:6:7', 'seven groups and no ::'],
    ['g::1', 'a group that is not hex'],
    ['2001:db8::zz', 'a group that is not hex'],
    ['12345::1', 'a group of five hex digits'],
    ['2001:0db80::1', 'a group of five hex digits'],
    ['1:2:3:4:5:6:7:', 'a trailing single colon'],
    [':1:2:3:4:5:6:7', 'a leading single colon'],
    ['', 'nothing'],
    ['1.2.3.4', 'an IPv4 address alone'],
    ['::ffff:1.2.3', 'a short IPv4 part'],
    ['::ffff:1.2.3.256', 'an IPv4 octet over 255'],
    ['::ffff:01.2.3.4', 'an IPv4 part with a leading zero'],
    ['::1.2.3.4:5', 'an IPv4 part that is not last'],
    ['1.2.3.4::', 'an IPv4 part before ::'],
    ['0:0:0:0:0:0:ffff:1.2.3.4', 'nine groups with the IPv4 part'],
    ['fe80::1%eth0', 'a zone index'],
    ['[::1]', 'brackets'],
    ['2001:db8::/32', 'a prefix length'],
    ['0x20::1', 'a 0x prefix'],
  ])('refuses %j: %s', (text) => {
    expect(parseIpv6(text)).toBeNull();
  });
});

describe('addressScope', () => {
  describe('IPv4', () => {
    it.each([
      ['10.0.0.0', 'RFC 1918 10/8'],
      ['10.255.255.255', 'RFC 1918 10/8'],
      ['172.16.0.1', 'RFC 1918 172.16/12'],
      ['172.31.255.255', 'RFC 1918 172.16/12'],
      ['192.168.0.1', 'RFC 1918 192.168/16'],
      ['192.168.255.255', 'RFC 1918 192.168/16'],
      ['100.64.0.1', 'carrier-grade NAT 100.64/10'],
      ['100.127.255.255', 'carrier-grade NAT 100.64/10'],
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['169.254.169.254', 'link-local'],
      ['169.254.0.1', 'link-local'],
    ])('%s is private (%s)', (address) => {
      expect(addressScope(address)).toBe('private');
    });

    it.each([
      ['192.0.2.0', 'documentation 192.0.2.0/24'],
      ['192.0.2.255', 'documentation 192.0.2.0/24'],
      ['198.51.100.7', 'documentation 198.51.100.0/24'],
      ['203.0.113.15', 'documentation 203.0.113.0/24'],
      ['224.0.0.1', 'multicast 224/4'],
      ['239.255.255.250', 'multicast 224/4'],
      ['0.0.0.0', '0.0.0.0/8'],
      ['0.1.2.3', '0.0.0.0/8'],
      ['240.0.0.1', '240.0.0.0/4'],
      ['250.1.2.3', '240.0.0.0/4'],
      ['255.255.255.255', 'limited broadcast, in 240.0.0.0/4'],
      ['198.18.0.1', 'benchmarking 198.18.0.0/15'],
      ['198.19.255.255', 'benchmarking 198.18.0.0/15'],
      ['192.0.0.8', 'IETF protocol assignments 192.0.0.0/24 (IANA special-purpose registry)'],
      ['192.0.0.170', 'IETF protocol assignments 192.0.0.0/24 (IANA special-purpose registry)'],
    ])('%s is special, published as unknown (%s)', (address) => {
      expect(addressScope(address)).toBe('special');
    });

    it.each([
      ['52.94.133.131', 'AWS'],
      ['3.5.140.2', 'AWS'],
      ['8.8.8.8', 'a resolver'],
      ['1.1.1.1', 'a resolver'],
      ['9.255.255.255', 'just below 10/8'],
      ['11.0.0.0', 'just above 10/8'],
      ['172.15.255.255', 'just below 172.16/12'],
      ['172.32.0.0', 'just above 172.16/12'],
      ['192.167.255.255', 'just below 192.168/16'],
      ['192.169.0.0', 'just above 192.168/16'],
      ['100.63.255.255', 'just below 100.64/10'],
      ['100.128.0.0', 'just above 100.64/10'],
      ['169.253.255.255', 'just below 169.254/16'],
      ['169.255.0.0', 'just above 169.254/16'],
      ['1.0.0.0', 'just above 0/8'],
      ['126.255.255.255', 'just below 127/8'],
      ['128.0.0.0', 'just above 127/8'],
      ['192.0.1.1', 'between 192.0.0/24 and 192.0.2/24'],
      ['192.0.3.1', 'just above 192.0.2/24'],
      ['198.51.99.255', 'just below 198.51.100/24'],
      ['198.51.101.0', 'just above 198.51.100/24'],
      ['203.0.112.255', 'just below 203.0.113/24'],
      ['203.0.114.0', 'just above 203.0.113/24'],
      ['198.17.255.255', 'just below 198.18/15'],
      ['198.20.0.0', 'just above 198.18/15'],
      ['223.255.255.255', 'just below multicast'],
    ])('%s is public (%s)', (address) => {
      expect(addressScope(address)).toBe('public');
    });
  });

  describe('IPv6', () => {
    it.each([
      ['::1', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback, full form'],
      ['fc00::1', 'unique-local fc00::/7'],
      ['fd12:3456:789a::1', 'unique-local fc00::/7'],
      ['FDFF:FFFF::1', 'unique-local fc00::/7, upper case'],
      ['fe80::1', 'link-local fe80::/10'],
      ['fe80::1ff:fe23:4567:890a', 'link-local fe80::/10'],
      ['febf:ffff::1', 'link-local fe80::/10, its last block'],
      ['::ffff:10.0.0.1', 'IPv4-mapped RFC 1918'],
      ['::ffff:192.168.1.1', 'IPv4-mapped RFC 1918'],
      ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
      ['::ffff:a00:1', 'IPv4-mapped RFC 1918, in hex'],
    ])('%s is private (%s)', (address) => {
      expect(addressScope(address)).toBe('private');
    });

    it.each([
      ['::', 'unspecified'],
      ['0:0:0:0:0:0:0:0', 'unspecified, full form'],
      ['100::1', 'discard-only 100::/64'],
      ['100::ffff:ffff:ffff:ffff', 'discard-only 100::/64'],
      ['2001:db8::1', 'documentation 2001:db8::/32'],
      ['2001:DB8:ffff:ffff::1', 'documentation 2001:db8::/32'],
      ['3fff::1', 'documentation 3fff::/20'],
      ['3fff:fff:ffff::1', 'documentation 3fff::/20, its last block'],
      ['ff02::1', 'multicast ff00::/8'],
      ['ff05::1:3', 'multicast ff00::/8'],
      ['ff00::', 'multicast ff00::/8'],
      ['::ffff:192.0.2.1', 'IPv4-mapped documentation'],
      ['::ffff:224.0.0.1', 'IPv4-mapped multicast'],
    ])('%s is special, published as unknown (%s)', (address) => {
      expect(addressScope(address)).toBe('special');
    });

    it.each([
      ['2600:1f18::1', 'AWS us-east-1'],
      ['2600:1f18:4a3:6902:1234:5678:9abc:def0', 'AWS us-east-1, full form'],
      ['2a05:d018::1', 'AWS eu-west-1'],
      ['2001:4860:4860::8888', 'a resolver'],
      ['::ffff:8.8.8.8', 'IPv4-mapped public'],
      ['::ffff:52.94.133.131', 'IPv4-mapped public'],
      ['2001:db9::1', 'just above 2001:db8::/32'],
      ['2001:db7:ffff::1', 'just below 2001:db8::/32'],
      ['100:0:0:1::1', 'just above the discard-only 100::/64'],
      ['fe7f::1', 'just below fe80::/10'],
      ['fbff::1', 'just below fc00::/7'],
    ])('%s is public (%s)', (address) => {
      expect(addressScope(address)).toBe('public');
    });

    // docs/events-v1.md names the documentation range 3fff::/20 (RFC 9637): 3fff:0000:: to 3fff:0fff:ffff:….
    it.each([
      ['3fff:1000::1', 'just above 3fff::/20'],
      ['3ffe::1', 'below 3fff::/20'],
      ['3ff0::1', 'below 3fff::/20'],
      ['64:ff9b::808:808', 'NAT64 of 8.8.8.8'],
    ])('%s is public (%s)', (address) => {
      expect(addressScope(address)).toBe('public');
    });
  });

  it.each([
    'AWS Internal',
    'example.com',
    'cloudformation.amazonaws.com',
    '1.2.3',
    '',
    '010.1.1.1',
    '01.2.3.4',
    '256.1.1.1',
    '::ffff:010.1.1.1',
    ':::',
    '1::2::3',
    'fe80::1%eth0',
    '10.0.0.0/8',
  ])('%j is no IP literal: null', (text) => {
    expect(addressScope(text)).toBeNull();
  });
});

/** classifySource publishes the scope as source.kind; only the address matters here. */
const kindOf = (sourceIPAddress: string | undefined): string =>
  classifySource({ sourceIPAddress } as CloudTrailRecord).kind;

describe('source.kind from the address', () => {
  it.each([
    ['52.94.133.131', 'public-ip'],
    ['2600:1f18::1', 'public-ip'],
    ['::ffff:8.8.8.8', 'public-ip'],
    ['10.1.2.3', 'private-ip'],
    ['100.64.1.1', 'private-ip'],
    ['fd00::1', 'private-ip'],
    ['::ffff:10.0.0.1', 'private-ip'],
    ['192.0.2.10', 'unknown'],
    ['198.18.0.1', 'unknown'],
    ['240.0.0.1', 'unknown'],
    ['255.255.255.255', 'unknown'],
    ['2001:db8::1', 'unknown'],
    ['ff02::1', 'unknown'],
    ['::', 'unknown'],
    ['010.1.1.1', 'unknown'],
    ['1.2.3', 'unknown'],
    ['example.com', 'unknown'],
    ['', 'unknown'],
    [undefined, 'unknown'],
    ['AWS Internal', 'aws-service'],
    ['cloudformation.amazonaws.com', 'aws-service'],
    ['lambda.amazonaws.com', 'aws-service'],
  ])('%j is %s', (address, kind) => {
    expect(kindOf(address)).toBe(kind);
  });
});
