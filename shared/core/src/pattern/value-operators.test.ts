import { describe } from 'vitest';
import { ec2Event, table, withDetail } from '../../test-support/pattern-table.js';

/**
 * Comparison operators, positive and negative. Patterns and events come from the EventBridge User Guide pages
 * named in each block (eb-create-pattern-operators: "Comparison operators for use in event patterns";
 * eb-event-patterns-content-based-filtering: "Content filtering in Amazon EventBridge event patterns") and from the
 * Event Ruler README ("Ruler by Example"), whose sample event is the one below.
 */
describe('anything-but (eb-event-patterns-content-based-filtering, "Anything-but matching")', () => {
  const state = (value: unknown) => withDetail({ state: value, 'x-limit': 301.8, 'instance-id': 'i-1234' });
  table([
    [
      'string: "running" is not "initializing"',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      ec2Event,
      true,
    ],
    [
      'string: "initializing" is excluded',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      state('initializing'),
      false,
    ],
    ['number: 301.8 is not 123', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event, true],
    [
      'number: 123 is excluded',
      { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
      withDetail({ 'x-limit': 123 }),
      false,
    ],
    ['string list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ec2Event, true],
    [
      'string list excludes each',
      { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
      state('overloaded'),
      false,
    ],
    ['number list', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event, true],
    [
      'number list excludes each',
      { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
      withDetail({ 'x-limit': 200 }),
      false,
    ],
    [
      'prefix: "running" does not start with "init"',
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      ec2Event,
      true,
    ],
    [
      'prefix: "initializing" is excluded',
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      state('initializing'),
      false,
    ],
    [
      'prefix list',
      { detail: { state: [{ 'anything-but': { prefix: ['init', 'error'] } }] } },
      state('error-1'),
      false,
    ],
    [
      'suffix: i-1234 is excluded',
      { detail: { 'instance-id': [{ 'anything-but': { suffix: '1234' } }] } },
      state('x'),
      false,
    ],
    [
      'suffix: another id passes',
      { detail: { 'instance-id': [{ 'anything-but': { suffix: '1234' } }] } },
      ec2Event,
      true,
    ],
    [
      'suffix list',
      { detail: { 'instance-id': [{ 'anything-but': { suffix: ['1234', '6789'] } }] } },
      ec2Event,
      true,
    ],
    [
      'ignore case: "STOPPED" is excluded',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'Stopped' } }] } },
      state('STOPPED'),
      false,
    ],
    [
      'ignore case list',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } },
      ec2Event,
      true,
    ],
    [
      'wildcard: a jar in bin is excluded',
      { FilePath: [{ 'anything-but': { wildcard: '*/bin/*.jar' } }] },
      { FilePath: '/usr/bin/app.jar' },
      false,
    ],
    [
      'wildcard: a file in lib passes',
      { FilePath: [{ 'anything-but': { wildcard: '*/bin/*.jar' } }] },
      { FilePath: '/usr/lib/app.jar' },
      true,
    ],
    [
      'wildcard list',
      { FilePath: [{ 'anything-but': { wildcard: ['*/bin/*.jar', '*/bin/*.class'] } }] },
      { FilePath: '/bin/A.class' },
      false,
    ],
    ['a missing field does not match', { detail: { absent: [{ 'anything-but': 'x' }] } }, ec2Event, false],
    ['a string exclusion passes numbers and null', { v: [{ 'anything-but': 'x' }] }, { v: null }, true],
    ['a number exclusion passes strings', { v: [{ 'anything-but': [5] }] }, { v: '5' }, true],
    ['a prefix exclusion passes non-strings', { v: [{ 'anything-but': { prefix: '1' } }] }, { v: 12 }, true],
    [
      'in an array, one value not excluded is enough',
      { v: [{ 'anything-but': [100, 500] }] },
      { v: [100, 50] },
      true,
    ],
    [
      'in an array of only excluded values, no match',
      { v: [{ 'anything-but': [100, 500] }] },
      { v: [100, 500] },
      false,
    ],
  ]);
});

describe('numeric (eb-event-patterns-content-based-filtering, "Numeric matching")', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };
  table([
    ['the documented example matches', pattern, ec2Event, true],
    [
      'c-count 6 is out of range',
      pattern,
      withDetail({ 'c-count': 6, 'd-count': 3, 'x-limit': 301.8 }),
      false,
    ],
    [
      'c-count 0 is out of range',
      pattern,
      withDetail({ 'c-count': 0, 'd-count': 3, 'x-limit': 301.8 }),
      false,
    ],
    ['d-count 10 is not < 10', pattern, withDetail({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }), false],
    ['">=" includes its bound', { n: [{ numeric: ['>=', 5] }] }, { n: 5 }, true],
    ['">" excludes its bound', { n: [{ numeric: ['>', 5] }] }, { n: 5 }, false],
    ['strings are not numbers', { n: [{ numeric: ['>', 0] }] }, { n: '5' }, false],
    ['negative and fractional', { n: [{ numeric: ['>', -1.5, '<', -1.25] }] }, { n: -1.3 }, true],
    ['no range limit (Ruler 2.x)', { n: [{ numeric: ['>', 1e300] }] }, { n: 1.5e300 }, true],
  ]);
});

describe('cidr and IP addresses (eb-create-pattern-operators, "IP address matching")', () => {
  table([
    ['10.0.0.33 is in 10.0.0.0/24', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2Event, true],
    [
      '10.0.1.1 is not in 10.0.0.0/24',
      { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
      withDetail({ 'source-ip': '10.0.1.1' }),
      false,
    ],
    ['IPv6 in its block', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:1::5' }, true],
    ['IPv6 outside its block', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::5' }, false],
    [
      'an IPv4 block compares leading digits of IPv6 values (Ruler)',
      { ip: [{ cidr: '10.0.0.0/8' }] },
      { ip: 'b00::1' },
      false,
    ],
    ['a number is not an address', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 10 }, false],
    ['... but Ruler walks its text through the range', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: 5 }, true],
    [
      '... unless the field has a numeric pattern',
      { ip: [{ cidr: '0.0.0.0/0' }, { numeric: ['<', 0] }] },
      { ip: 5 },
      false,
    ],
    ['not an address at all', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'ten' }, false],
    [
      'a plain IP string is compared as an address (Ruler)',
      { ip: ['10.0.0.1'] },
      { ip: '::ffff:a00:1' },
      true,
    ],
  ]);
});

describe('exists (eb-event-patterns-content-based-filtering, "Exists matching")', () => {
  const withCCount = withDetail({ state: ['initializing', 'running'], 'c-count': { c1: 100 } });
  table([
    ['exists: true on a present field', { detail: { 'c-count': [{ exists: true }] } }, ec2Event, true],
    ['exists: true on a missing field', { detail: { 'c-count': [{ exists: true }] } }, withDetail({}), false],
    ['exists: true holds for null', { v: [{ exists: true }] }, { v: null }, true],
    [
      'exists: false on a missing field',
      { detail: { 'c-count': [{ exists: false }] } },
      withDetail({ state: 'x' }),
      true,
    ],
    ['exists: false on a present field', { detail: { 'c-count': [{ exists: false }] } }, ec2Event, false],
    [
      'exists only sees leaves: an object is "missing"',
      { detail: { 'c-count': [{ exists: false }] } },
      withCCount,
      true,
    ],
    ['exists: true does not see an object', { detail: { 'c-count': [{ exists: true }] } }, withCCount, false],
    ['an empty array has no value', { v: [{ exists: false }] }, { v: [] }, true],
    ['exists: false or a value', { v: [{ exists: false }, 'x'] }, { v: 'x' }, true],
  ]);
});
