import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import './kafkajs-hot-path.js';
import { exactSizeRecord, type KafkajsRecord, type KafkajsRecordInput } from './kafkajs-record.js';

const require = createRequire(import.meta.url);
const RECORD_MODULE = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js');

/** kafkajs' own record encoder, loaded anew beside the replacement the hot path installed. */
function kafkajsOwnRecord(): KafkajsRecord<{ readonly buffer: Buffer }> {
  const installed = require.cache[RECORD_MODULE];
  delete require.cache[RECORD_MODULE];
  try {
    return require(RECORD_MODULE) as KafkajsRecord<{ readonly buffer: Buffer }>;
  } finally {
    if (installed) require.cache[RECORD_MODULE] = installed;
  }
}
const kafkajsOwn = kafkajsOwnRecord();
const record = exactSizeRecord(kafkajsOwn, (bytes) => ({ buffer: bytes }));
const ownBytes = (input: KafkajsRecordInput) => kafkajsOwn(input).buffer;

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const field = fc.oneof(
  text,
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(null),
  fc.constant(undefined),
);
const headerValue = fc.oneof(
  text,
  fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes)),
);
const delta = fc.oneof(
  fc.integer({ min: -200, max: 200 }),
  fc.integer(),
  fc.integer({ min: -(2 ** 51), max: 2 ** 51 }),
  fc.constantFrom(2 ** 51, -(2 ** 51), 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 35 - 1),
);
const input = fc.record(
  {
    offsetDelta: fc.oneof(fc.nat(1_000), fc.nat()),
    timestampDelta: delta,
    key: field,
    value: fc.oneof(field, fc.string({ minLength: 200, maxLength: 5_000 })),
    headers: fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(headerValue, fc.array(headerValue)), {
      maxKeys: 6,
    }),
  },
  { requiredKeys: [] },
);

describe('the exact-size record encoder', () => {
  it("writes the very bytes kafkajs' own record encoder writes", () => {
    fc.assert(
      fc.property(input, (given) => {
        expect(record(given)).toEqual({ buffer: ownBytes(given) });
      }),
      { numRuns: 3_000 },
    );
  });

  it('leaves to kafkajs what it does not cover, so that the result, or the error, stays kafkajs own', () => {
    const uncovered: KafkajsRecordInput[] = [
      { offsetDelta: 1, key: 'k', value: 42, headers: {} },
      { offsetDelta: 1, key: 'k', value: 'v', timestampDelta: 2 ** 53 - 1 },
      { offsetDelta: 1, key: 'k', value: 'v', timestampDelta: 1.5 },
      { offsetDelta: 2.5, key: 'k', value: 'v' },
      { offsetDelta: 1, key: 'k', value: 'v', headers: { a: 7 } },
    ];
    const outcome = (encode: () => Buffer) => {
      try {
        return encode();
      } catch (error) {
        return error;
      }
    };
    for (const given of [
      ...uncovered,
      { key: 'k', value: 'v', headers: { a: null } },
      { key: 'k', value: 'v', headers: null },
    ]) {
      expect(outcome(() => record(given).buffer)).toEqual(outcome(() => ownBytes(given)));
    }
  });

  it('is the record encoder kafkajs loads', () => {
    expect(require(RECORD_MODULE)).not.toBe(kafkajsOwn);
    const given = { offsetDelta: 3, timestampDelta: 12, key: 'k', value: 'v', headers: { h: ['a', 'b'] } };
    const installed = require(RECORD_MODULE) as KafkajsRecord<{ readonly buffer: Buffer }>;
    expect(installed(given).buffer).toEqual(ownBytes(given));
  });
});
