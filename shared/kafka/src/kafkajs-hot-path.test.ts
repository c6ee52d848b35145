import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kafkajsHotPathInstalled } from './kafkajs-hot-path.js';

const require = createRequire(import.meta.url);
const kafkajsOwnCrc = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (
  buffer: Buffer,
) => number;
const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
const Encoder = require('kafkajs/src/protocol/encoder.js') as { name: string };
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (batch: { records: unknown[]; transactional?: boolean }) => Promise<{ buffer: Buffer }>;
};
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<{
  records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> }[];
}>;
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: {
  offsetDelta: number;
  key: string;
  value: string | Buffer;
  headers: Record<string, string>;
}) => unknown;

describe("kafkajs' hot path", () => {
  it('is installed before kafkajs loads', async () => {
    await import('kafkajs');
    expect(kafkajsHotPathInstalled()).toBe(true);
    expect(Encoder.name).toBe('PooledEncoder');
  });

  it("checksums any bytes as kafkajs' own CRC-32C does", () => {
    expect(kafkajsCrc(Buffer.from('123456789'))).toBe(0xe3069283);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5_000 }), (bytes) => {
        expect(kafkajsCrc(Buffer.from(bytes))).toBe(kafkajsOwnCrc(Buffer.from(bytes)));
      }),
    );
  });

  it('encodes record batches that decode to the records given, whatever their sizes', async () => {
    const record = fc.record({
      key: fc.string({ unit: 'grapheme', maxLength: 40 }),
      value: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3_000 }), fc.uint8Array({ maxLength: 9_000 })),
      headers: fc.dictionary(
        // Prefixed: kafkajs' decoder turns a header named like an Object method (`constructor`) into nonsense.
        fc.string({ maxLength: 30 }).map((name) => `x-${name}`),
        fc.string({ unit: 'grapheme', maxLength: 600 }),
        {
          maxKeys: 5,
        },
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 30 }), async (records) => {
        const encoded = await RecordBatch({
          transactional: true,
          records: records.map((entry, offsetDelta) =>
            Record({
              offsetDelta,
              key: entry.key,
              value: typeof entry.value === 'string' ? entry.value : Buffer.from(entry.value),
              headers: entry.headers,
            }),
          ),
        });
        const decoded = await decodeBatch(new Decoder(encoded.buffer));
        expect(
          decoded.records.map((entry) => ({
            key: entry.key?.toString(),
            value: entry.value,
            headers: Object.fromEntries(
              Object.entries(entry.headers).map(([name, value]) => [name, value.toString()]),
            ),
          })),
        ).toEqual(
          records.map((entry) => ({
            key: entry.key,
            value: Buffer.from(entry.value),
            headers: entry.headers,
          })),
        );
      }),
      { numRuns: 200 },
    );
  });
});
