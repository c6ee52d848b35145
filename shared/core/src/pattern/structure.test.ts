import { describe, expect, it } from 'vitest';
import { compilePattern } from './compile.js';

type Row = [name: string, pattern: unknown, event: unknown, expected: boolean];

const table = (rows: Row[]) =>
  it.each(rows)('%s', (_name, pattern, event, expected) => {
    expect(compilePattern(pattern).matches(event)).toBe(expected);
  });

describe('the sarwatch rule (REFERENCE.md, EventBridge; the serverlessrepo event reference)', () => {
  const rule = {
    source: ['aws.serverlessrepo'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['serverlessrepo.amazonaws.com'] },
  };
  const envelope = (source: string, eventSource: string) => ({
    version: '0',
    id: '7e3b5c1a-0000-4000-8000-000000000001',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '123456789012',
    time: '2026-11-20T09:15:02Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventSource,
      eventName: 'CreateApplication',
      awsRegion: 'eu-west-1',
      userIdentity: { type: 'IAMUser', accountId: '123456789012' },
      requestParameters: { name: 'image-resizer' },
    },
  });
  const compiled = compilePattern(JSON.stringify(rule));
  table([
    [
      'matches a SAR CloudTrail envelope',
      rule,
      envelope('aws.serverlessrepo', 'serverlessrepo.amazonaws.com'),
      true,
    ],
    ['not another service', rule, envelope('aws.s3', 's3.amazonaws.com'), false],
    [
      'not a SAR source with another eventSource',
      rule,
      envelope('aws.serverlessrepo', 's3.amazonaws.com'),
      false,
    ],
    [
      'not a bare CloudTrail record',
      rule,
      envelope('aws.serverlessrepo', 'serverlessrepo.amazonaws.com').detail,
      false,
    ],
  ]);
  it('is compiled once and matched many times', () => {
    const sar = envelope('aws.serverlessrepo', 'serverlessrepo.amazonaws.com');
    const other = envelope('aws.s3', 's3.amazonaws.com');
    for (let i = 0; i < 100; i++) {
      expect(compiled.matches(sar)).toBe(true);
      expect(compiled.matches(other)).toBe(false);
    }
  });
  it.each([null, 'text', 42, [], [{ source: 'aws.serverlessrepo' }]])(
    'matches no non-object event: %j',
    (event) => {
      expect(compiled.matches(event)).toBe(false);
    },
  );
});

describe('arrays (eb-event-patterns-arrays; Event Ruler README, "JSON Array Matching")', () => {
  const resources = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  const employees = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };
  table([
    [
      'an event array matches when it shares a value with the pattern',
      resources,
      {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      },
      true,
    ],
    [
      'no shared value, no match',
      resources,
      { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-1'] },
      false,
    ],
    ['objects in an array are searched', { employees: { firstName: ['Anna'] } }, employees, true],
    [
      'fields must come from the same element',
      { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      employees,
      false,
    ],
    [
      '... and do when they are',
      { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
      employees,
      true,
    ],
    [
      'arrays of arrays are crushed',
      { employees: { firstName: ['Peter'] } },
      { employees: [[employees.employees[0]], [employees.employees[2]]] },
      true,
    ],
    ['nested arrays of scalars', { v: [3] }, { v: [[1, 2], [3]] }, true],
    [
      'elements of an inner array are distinct too',
      { a: { b: { c: ['x'], d: ['y'] } } },
      { a: [{ b: [{ c: 'x' }, { d: 'y' }] }] },
      false,
    ],
    ['a scalar element is a value of the array field itself', { a: { b: [1] } }, { a: [1, { b: 2 }] }, false],
    ['an empty array matches no value', { v: ['x'] }, { v: [] }, false],
  ]);
});

describe('null and empty string (eb-event-patterns-null-values)', () => {
  const event = {
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };
  table([
    ['[""] matches an empty string', { detail: { eventVersion: [''] } }, event, true],
    ['[null] matches null', { detail: { responseElements: [null] } }, event, true],
    ['[""] does not match null', { detail: { responseElements: [''] } }, event, false],
    ['[null] does not match an empty string', { detail: { eventVersion: [null] } }, event, false],
    ['[null] does not match a missing field', { detail: { missing: [null] } }, event, false],
    ['[null] does not match the string "null"', { v: [null] }, { v: 'null' }, false],
  ]);
});

describe('$or (eb-create-pattern-operators, "Or matching"; Event Ruler README, "The $or Primitive")', () => {
  const metrics = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  };
  const nested = {
    source: ['aws.cloudwatch'],
    $or: [
      { metricName: ['CPUUtilization'] },
      {
        metricType: ['MetricType'],
        namespace: ['AWS/EC2'],
        $or: [{ metricId: [1234] }, { spaceId: [1000] }],
      },
      { scope: ['Service'] },
    ],
  };
  table([
    ['first alternative', metrics, { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, true],
    ['second alternative', metrics, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, true],
    ['neither alternative', metrics, { source: 'aws.cloudwatch', metricName: 'Other' }, false],
    ['fields outside $or still apply', metrics, { source: 'aws.ec2', metricName: 'ReadLatency' }, false],
    [
      'nested $or inside an alternative',
      nested,
      { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
      true,
    ],
    [
      'nested $or needs one of its own',
      nested,
      { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' },
      false,
    ],
    ['$or nested under a field', { detail: { $or: [{ a: [1] }, { b: [2] }] } }, { detail: { b: 2 } }, true],
    [
      '$or nested under a field names fields there',
      { detail: { $or: [{ a: [1] }, { b: [2] }] } },
      { b: 2 },
      false,
    ],
    [
      'Location or Day (eb-create-pattern-operators)',
      { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
      { Location: 'Paris', Day: 'Monday' },
      true,
    ],
    [
      'a field repeated inside $or replaces the outer one (Ruler)',
      { a: ['x'], $or: [{ a: ['y'] }, { b: ['z'] }] },
      { a: 'y' },
      true,
    ],
    [
      '... in that alternative only',
      { a: ['x'], $or: [{ a: ['y'] }, { b: ['z'] }] },
      { a: 'y', b: 'z' },
      true,
    ],
    [
      '$or not in operator form is a field name (Ruler fallback)',
      { $or: { a: ['x'] } },
      { $or: { a: 'x' } },
      true,
    ],
    ['... which an event without that field does not match', { $or: { a: ['x'] } }, { a: 'x' }, false],
    [
      'a one-element $or array is a leaf on the field "$or"',
      { $or: [{ prefix: 'a' }] },
      { $or: 'abc' },
      true,
    ],
  ]);
});

describe('field names', () => {
  table([
    [
      'dotted pattern key equals nesting (Ruler)',
      { 'detail.state': ['running'] },
      { detail: { state: 'running' } },
      true,
    ],
    [
      'dotted event key equals nesting (Ruler)',
      { detail: { state: ['running'] } },
      { 'detail.state': 'running' },
      true,
    ],
    [
      'the same field twice keeps the last one (Ruler)',
      { 'a.b': ['x'], a: { b: ['y'] } },
      { a: { b: 'y' } },
      true,
    ],
    ['... and not the first', { 'a.b': ['x'], a: { b: ['y'] } }, { a: { b: 'x' } }, false],
    ['inherited properties are not fields', { toString: [{ exists: true }] }, {}, false],
    ['a key named __proto__ in JSON text', '{"__proto__":["x"]}', JSON.parse('{"__proto__":"x"}'), true],
  ]);
});

describe('exists: false inside arrays follows Event Ruler', () => {
  const event = { arr: [{ a: 1 }, { b: 2 }] };
  table([
    [
      'absent in the element chosen for an earlier field',
      { arr: { a: [1], b: [{ exists: false }] } },
      event,
      true,
    ],
    // Ruler visits fields in sorted order: "arr.a" is checked for absence before "arr.b" has chosen element 1.
    [
      'checked against the whole event when it sorts first',
      { arr: { a: [{ exists: false }], b: [2] } },
      event,
      false,
    ],
  ]);
});

describe('patterns given as JSON text', () => {
  it('keeps repeated keys, as Ruler reads them', () => {
    const compiled = compilePattern('{"a":{"b":["x"]},"a":{"c":["y"]}}');
    expect(compiled.matches({ a: { b: 'x', c: 'y' } })).toBe(true);
    expect(compiled.matches({ a: { c: 'y' } })).toBe(false);
  });
  it('reads numbers exactly', () => {
    const compiled = compilePattern('{"n":[{"numeric":["=",0.1]}],"m":[1E2]}');
    expect(compiled.matches({ n: 0.1, m: 100 })).toBe(true);
  });
});
