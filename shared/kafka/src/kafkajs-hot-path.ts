import { createRequire, Module } from 'node:module';
import { crc32c } from '@node-rs/crc32';

/**
 * Two of kafkajs' internals, replaced before kafkajs first loads them: together they were a third of the enricher's
 * CPU in a drain's profile (`npm run bench -- --only e2e --profile`), and kafkajs (frozen since 2.2.4) has no
 * setting for either. Each replacement takes the same input and gives the same bytes; the CLI's entry point imports
 * this module first, and `kafkajsHotPathInstalled` says whether that happened in time.
 */
const require = createRequire(import.meta.url);
const CRC32C_MODULE = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js');
const ENCODER_MODULE = require.resolve('kafkajs/src/protocol/encoder.js');

/**
 * The CRC-32C of every record batch, computed by the CPU's CRC instructions (@node-rs/crc32) rather than one byte
 * at a time in JavaScript. Brokers verify each batch's CRC and refuse a wrong one (CORRUPT_MESSAGE), so a fault
 * here could only fail loudly, never store damaged data.
 */
const checksum = (buffer: Uint8Array): number => crc32c(buffer);

interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
}
interface KafkajsEncoderClass {
  new (initialSize?: number): KafkajsEncoder;
  nextPowerOfTwo(value: number): number;
}

/**
 * Makes kafkajs' encoder take its memory from Node's buffer pool, unzeroed. kafkajs builds every header and record
 * in an encoder of its own, each starting with a zero-filled 512-byte buffer: a fresh ArrayBuffer four or five
 * times per message, the costliest allocation of a drain. The encoder only ever appends at `offset` and exposes
 * `buf` up to `offset`, so bytes it has not written are never read or sent.
 */
function pooledEncoder(Encoder: KafkajsEncoderClass): KafkajsEncoderClass {
  return class PooledEncoder extends Encoder {
    constructor(initialSize = 511) {
      // A zero-length start costs no ArrayBuffer; the real buffer follows.
      super(0);
      this.buf = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize));
    }

    ensureAvailable(length: number): void {
      if (this.offset + length <= this.buf.length) return;
      const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }
  };
}

const loadedBefore = Boolean(require.cache[CRC32C_MODULE] || require.cache[ENCODER_MODULE]);
if (!loadedBefore) {
  const crcModule = new Module(CRC32C_MODULE);
  crcModule.filename = CRC32C_MODULE;
  crcModule.loaded = true;
  crcModule.exports = checksum;
  require.cache[CRC32C_MODULE] = crcModule;
  require(ENCODER_MODULE);
  const encoderModule = require.cache[ENCODER_MODULE];
  if (encoderModule) encoderModule.exports = pooledEncoder(encoderModule.exports as KafkajsEncoderClass);
}

/** Whether kafkajs runs with both replacements (false when kafkajs was loaded before this module). */
export function kafkajsHotPathInstalled(): boolean {
  return !loadedBefore && require.cache[CRC32C_MODULE]?.exports === checksum;
}
