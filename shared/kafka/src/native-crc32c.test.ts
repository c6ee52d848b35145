import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kafkajsChecksumIsNative } from './native-crc32c.js';

const require = createRequire(import.meta.url);
const kafkajsOwn = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (buffer: Buffer) => number;
const kafkajsUses = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;

describe('the native CRC-32C given to kafkajs', () => {
  it('is the one kafkajs checksums its record batches with', async () => {
    await import('kafkajs');
    expect(kafkajsChecksumIsNative()).toBe(true);
  });

  it("gives kafkajs' own checksum for any bytes", () => {
    expect(kafkajsUses(Buffer.from('123456789'))).toBe(0xe3069283);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5_000 }), (bytes) => {
        expect(kafkajsUses(Buffer.from(bytes))).toBe(kafkajsOwn(Buffer.from(bytes)));
      }),
    );
  });
});
