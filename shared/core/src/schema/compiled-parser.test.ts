import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mutatedRecord, realShapedRecords } from '../../test-support/mutated-records.js';
import { CloudTrailRecordSchema } from '../cloudtrail/record.js';
import { EventBridgeEnvelopeSchema } from '../eventbridge/envelope.js';
import { compileSafeParse } from './compiled-parser.js';

const parseRecord = compileSafeParse(CloudTrailRecordSchema);
const parseEnvelope = compileSafeParse(EventBridgeEnvelopeSchema);

/** Holds the compiled parser to its promise: the same verdict as zod, and the same data when it accepts. */
function agrees(parse: (value: unknown) => z.ZodSafeParseResult<unknown>, schema: z.ZodType, value: unknown) {
  const compiled = parse(value);
  const reference = schema.safeParse(value);
  expect(compiled.success).toBe(reference.success);
  if (compiled.success && reference.success) expect(compiled.data).toEqual(reference.data);
  else expect(compiled.error?.issues).toEqual(reference.error?.issues);
}

describe('compileSafeParse', () => {
  it('gives zod’s verdict on every real-shaped record', () => {
    for (const record of realShapedRecords) agrees(parseRecord, CloudTrailRecordSchema, record);
  });

  it('gives zod’s verdict on randomly mutated records', () => {
    fc.assert(
      fc.property(mutatedRecord, (value) => agrees(parseRecord, CloudTrailRecordSchema, value)),
      { numRuns: 5_000 },
    );
  });

  it('gives zod’s verdict on random envelopes', () => {
    const [record] = realShapedRecords;
    const envelope = fc.record(
      {
        version: fc.oneof(fc.constant('0'), fc.jsonValue()),
        id: fc.oneof(fc.uuid(), fc.constant(''), fc.jsonValue()),
        'detail-type': fc.oneof(fc.constant('AWS API Call via CloudTrail'), fc.string()),
        source: fc.oneof(fc.constant('aws.serverlessrepo'), fc.string()),
        account: fc.oneof(fc.constant('123456789012'), fc.jsonValue()),
        time: fc.oneof(
          fc.constant('2026-11-20T12:00:00Z'),
          fc.string(),
          fc.date().map((d) => d.toString()),
        ),
        region: fc.string(),
        resources: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
        detail: fc.oneof(fc.constant(record), fc.jsonValue()),
      },
      { requiredKeys: ['detail'] },
    );
    fc.assert(
      fc.property(envelope, (value) => agrees(parseEnvelope, EventBridgeEnvelopeSchema, value)),
      { numRuns: 3_000 },
    );
  });

  it.each([
    ['an eventID of 128 code points, 256 UTF-16 units', '😀'.repeat(128), true],
    ['an eventID of 129 code points', '😀'.repeat(129), false],
    ['an offset time', '2026-11-20T12:00:00+01:00', true],
    ['a time on a day that does not exist', '2026-02-30T12:00:00Z', false],
  ])('counts and matches as zod does: %s', (_, text, valid) => {
    const [record] = realShapedRecords;
    const field = text.includes('T') ? 'eventTime' : 'eventID';
    const value = { ...record, [field]: text };
    expect(parseRecord(value).success).toBe(valid);
    agrees(parseRecord, CloudTrailRecordSchema, value);
  });

  it.each([
    ['one emoji under a minimum of two', '😀', false],
    ['two emoji under a minimum of two', '😀😀', true],
    ['four emoji under a maximum of three', '😀😀😀😀', false],
    ['three emoji under a maximum of three', '😀😀😀', true],
  ])('counts code points as zod does where UTF-16 units would differ: %s', (_, text, valid) => {
    const schema = z.looseObject({ short: z.string().min(2).max(3) });
    const parse = compileSafeParse(schema);
    expect(parse({ short: text }).success).toBe(valid);
    agrees(parse, schema, { short: text });
  });

  it('returns an accepted value itself, not a copy', () => {
    const [record] = realShapedRecords;
    const result = parseRecord(record);
    expect(result.success && result.data).toBe(record);
  });

  it('refuses schemas it could not hold to zod’s verdict', () => {
    expect(() =>
      compileSafeParse(z.object({ when: z.string().transform((text) => new Date(text)) })),
    ).toThrow();
    expect(() => compileSafeParse(z.custom<string>((value) => typeof value === 'string'))).toThrow();
    expect(() => compileSafeParse(z.object({ name: z.string().default('x') }))).toThrow();
  });
});
