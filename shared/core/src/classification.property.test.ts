import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Json, mutatedRecord, realShapedRecords } from '../test-support/mutated-records.js';
import { EnrichedEventSchema } from './contract/enriched-event.js';
import { DEAD_LETTER_REASONS } from './decode/dead-letter-reason.js';
import { decodeRecord, decodeValue } from './decode/decode-record.js';
import { enrich, serializeEvent } from './enrich.js';

/** The path the enricher takes: bytes in, an event or a dead letter with its reason out. */
function assertHandled(value: Json): void {
  const decoded = decodeRecord(new TextEncoder().encode(JSON.stringify(value) ?? 'undefined'), {
    maxRecordBytes: 1 << 22,
  });
  if (!decoded.ok) {
    expect(DEAD_LETTER_REASONS).toContain(decoded.reason);
    expect(decoded.message.length).toBeGreaterThan(0);
    return;
  }
  const event = enrich(decoded.record, { maxTextLength: 64 });
  expect(() => EnrichedEventSchema.parse(event)).not.toThrow();
  // The message as published: the same JSON value as the event, whichever way serializeEvent took.
  const published = serializeEvent(event, decoded.record, decoded.recordJson);
  expect(JSON.parse(published)).toEqual(JSON.parse(JSON.stringify(event)));
}

describe('classification under random mutation', () => {
  it('never throws: every mutated record is classified or rejected with a reason', () => {
    fc.assert(
      fc.property(mutatedRecord, (value) => assertHandled(value)),
      { numRuns: 3_000 },
    );
  });

  it('never throws on random byte damage to the serialized record', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realShapedRecords),
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        (record, damage) => {
          const bytes = new TextEncoder().encode(JSON.stringify(record));
          for (const { at, byte } of damage) bytes[at % bytes.length] = byte;
          const decoded = decodeRecord(bytes, { maxRecordBytes: 1 << 20 });
          if (decoded.ok) assertHandled(decodeValue(decoded.record).ok ? decoded.record : null);
          else expect(DEAD_LETTER_REASONS).toContain(decoded.reason);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
