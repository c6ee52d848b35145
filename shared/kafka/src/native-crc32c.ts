import { createRequire, Module } from 'node:module';
import { crc32c } from '@node-rs/crc32';

/**
 * Gives kafkajs a CRC-32C computed in native code (SSE 4.2 or ARMv8 CRC instructions, by @node-rs/crc32).
 *
 * Every record batch kafkajs produces carries a CRC-32C of its bytes, which kafkajs computes one byte at a time in
 * JavaScript: 10% of the enricher's CPU in a drain's profile. kafkajs has no setting for it, so its checksum module
 * is put into the CommonJS module cache before kafkajs first loads it; the function takes the same bytes and gives
 * the same number. Brokers verify every batch's CRC and refuse a wrong one (CORRUPT_MESSAGE), so a fault here
 * would fail loudly, never store damaged data.
 *
 * This module must therefore run before kafkajs is imported: the CLI's entry point imports it first.
 */
const require = createRequire(import.meta.url);
const KAFKAJS_CRC32C = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js');

const checksum = (buffer: Uint8Array): number => crc32c(buffer);

if (!require.cache[KAFKAJS_CRC32C]) {
  const module = new Module(KAFKAJS_CRC32C);
  module.filename = KAFKAJS_CRC32C;
  module.loaded = true;
  module.exports = checksum;
  require.cache[KAFKAJS_CRC32C] = module;
}

/** Whether kafkajs checksums its batches with the native function (false when kafkajs was loaded first). */
export function kafkajsChecksumIsNative(): boolean {
  return require.cache[KAFKAJS_CRC32C]?.exports === checksum;
}
