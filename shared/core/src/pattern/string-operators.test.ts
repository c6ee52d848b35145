import { describe } from 'vitest';
import { ec2Event, table, withDetail } from '../../test-support/pattern-table.js';

/**
 * Comparison operators, positive and negative. Patterns and events come from the EventBridge User Guide pages
 * named in each block (eb-create-pattern-operators: "Comparison operators for use in event patterns";
 * eb-event-patterns-content-based-filtering: "Content filtering in Amazon EventBridge event patterns") and from the
 * Event Ruler README ("Ruler by Example"), whose sample event is the one below.
 */
describe('exact values (eb-event-patterns, "Matching event values")', () => {
  table([
    ['string in the list', { source: ['aws.ec2', 'aws.fargate'] }, ec2Event, true],
    ['string not in the list', { source: ['aws.fargate'] }, ec2Event, false],
    ['strings are case-sensitive', { source: ['AWS.EC2'] }, ec2Event, false],
    ['nested field', { detail: { state: ['running'] } }, ec2Event, true],
    [
      'number, Macie example "risk-score": [80]',
      { detail: { 'risk-score': [80] } },
      withDetail({ 'risk-score': 80 }),
      true,
    ],
    ['number matches any spelling of its value (Ruler)', '{"detail":{"x-limit":[3.018e2]}}', ec2Event, true],
    ['number does not match the string of its digits', { detail: { 'c-count': ['5'] } }, ec2Event, false],
    [
      'string of digits does not match a number',
      { detail: { 'c-count': [5] } },
      withDetail({ 'c-count': '5' }),
      false,
    ],
    ['true matches true', { detail: { on: [true] } }, withDetail({ on: true }), true],
    ['true does not match "true"', { detail: { on: [true] } }, withDetail({ on: 'true' }), false],
    ['a missing field never matches', { detail: { missing: ['x'] } }, ec2Event, false],
    ['an object never matches a value', { detail: ['x'] }, ec2Event, false],
    ['"exactly" is an exact string (Ruler)', { source: [{ exactly: 'aws.ec2' }] }, ec2Event, true],
  ]);
});

describe('prefix (eb-create-pattern-operators, "Prefix matching")', () => {
  table([
    ['time starts with 2017-10-02', { time: [{ prefix: '2017-10-02' }] }, ec2Event, true],
    ['time does not start with 2017-10-03', { time: [{ prefix: '2017-10-03' }] }, ec2Event, false],
    ['prefix is case-sensitive', { source: [{ prefix: 'AWS.' }] }, ec2Event, false],
    ['prefix only applies to strings', { detail: { 'c-count': [{ prefix: '5' }] } }, ec2Event, false],
    ['empty prefix matches every string', { source: [{ prefix: '' }] }, ec2Event, true],
    [
      'prefix ignoring case: "EventB" matches "EVENTBRIDGE"',
      { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      { service: 'EVENTBRIDGE' },
      true,
    ],
    [
      'prefix ignoring case still needs the prefix',
      { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      { service: 'Event' },
      false,
    ],
    [
      'a prefix ending in a quote matches the string without it (Ruler)',
      { a: [{ prefix: 'ab"' }] },
      { a: 'ab' },
      true,
    ],
  ]);
});

describe('suffix (eb-create-pattern-operators, "Suffix matching")', () => {
  table([
    ['FileName ends with .png', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
    ['FileName ends with .jpg', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, false],
    ['suffix is case-sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false],
    [
      'suffix ignoring case: ".png" matches ".PNG"',
      { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      { FileName: 'image.PNG' },
      true,
    ],
    [
      'suffix ignoring case still needs the suffix',
      { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      { FileName: 'image.jpg' },
      false,
    ],
    ['suffix only applies to strings', { n: [{ suffix: '5' }] }, { n: 5 }, false],
  ]);
});

describe('equals-ignore-case (eb-create-pattern-operators, "Equals-ignore-case matching")', () => {
  table([
    ['"alice" matches "Alice"', { name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'Alice' }, true],
    ['"alice" matches "ALICE"', { name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' }, true],
    [
      '"alice" does not match "Alicia"',
      { name: [{ 'equals-ignore-case': 'alice' }] },
      { name: 'Alicia' },
      false,
    ],
    ['only strings', { name: [{ 'equals-ignore-case': 'null' }] }, { name: null }, false],
  ]);
});

describe('wildcard (eb-create-pattern-operators, "Wildcard matching")', () => {
  table([
    [
      '"dir/*.png" matches a png in dir',
      { EventBusArn: [{ wildcard: 'dir/*.png' }] },
      { EventBusArn: 'dir/image.png' },
      true,
    ],
    [
      '"dir/*.png" does not match a jpg',
      { EventBusArn: [{ wildcard: 'dir/*.png' }] },
      { EventBusArn: 'dir/image.jpg' },
      false,
    ],
    ['"*" may match nothing', { a: [{ wildcard: 'ab*c' }] }, { a: 'abc' }, true],
    [
      'several wildcards (Ruler "Simple*Service")',
      { source: [{ wildcard: 'Simple*Service' }] },
      { source: 'Simple Queue Service' },
      true,
    ],
    ['"\\\\*" is a literal asterisk', { a: [{ wildcard: 'a\\*b' }] }, { a: 'a*b' }, true],
    ['"\\\\*" is not a wildcard', { a: [{ wildcard: 'a\\*b' }] }, { a: 'axb' }, false],
    ['only strings', { a: [{ wildcard: '*' }] }, { a: 1 }, false],
  ]);
});
