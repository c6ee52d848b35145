import { createRequire, Module } from 'node:module';
import { crc32c } from '@node-rs/crc32';
import { recycledMemory } from '@sarwatch/runtime';
import type { ISocketFactory } from 'kafkajs';
import { groupMessagesPerPartition } from './kafkajs-grouping.js';
import { exactSizeRecord, type KafkajsRecord } from './kafkajs-record.js';

/**
 * Four of kafkajs' internals, replaced before kafkajs first loads them: the checksum and the encoder were a third of
 * the enricher's CPU in a drain's profile (`npm run bench -- --only e2e --profile`), the record encoder (in
 * kafkajs-record.ts) 7.5% of what was left, the grouping by partition (kafkajs-grouping.ts) 1.9%, and kafkajs (frozen
 * since 2.2.4) has no setting for any of them. Each replacement takes the same input and gives the same result; the
 * CLI's entry point imports this module first, and `kafkajsHotPathInstalled` says whether that happened in time. The
 * encoder's large buffers are also given back as soon as nothing reads them, the request's by the sockets of
 * `requestFreeingSockets`, and the request queue no longer asks Node for a timer with a negative delay (below).
 */
const require = createRequire(import.meta.url);
const CRC32C_MODULE = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js');
const ENCODER_MODULE = require.resolve('kafkajs/src/protocol/encoder.js');
const RECORD_MODULE = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const GROUPING_MODULE = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');

/**
 * The CRC-32C of every record batch, computed by the CPU's CRC instructions (@node-rs/crc32) rather than one byte
 * at a time in JavaScript. Brokers verify each batch's CRC and refuse a wrong one (CORRUPT_MESSAGE), so a fault
 * here could only fail loudly, never store damaged data.
 */
const checksum = (buffer: Uint8Array): number => crc32c(buffer);

/**
 * The memory of buffers large enough to be referenced, each allocated for one encoder alone (never Node's pool,
 * which other buffers share). Once joined into the encoder that referenced it, nothing reads it any more: in
 * kafkajs 2.2.4, every large buffer an encoder hands out is written into one other encoder at once (a record
 * batch, its body) or is the request, which the socket writes and nothing joins. Its memory is given back then, for
 * the next large buffer (RecycledMemory), rather than left for a full collection: a produce request of 2 MB left
 * 4 MB of such copies per page, and the request itself waits for the broker's answer, long enough to be promoted. An
 * encoder that reads memory given back throws rather than writing a short copy.
 */
const separate = new WeakSet<ArrayBufferLike>();

interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  size(): number;
  writeEncoder(value: KafkajsEncoder): this;
  writeEncoderArray(values: KafkajsEncoder[]): this;
  writeBytes(value: Buffer | string | null): this;
  writeBuffer(value: Buffer): this;
  writeInt32(value: number): this;
}
interface KafkajsEncoderClass {
  new (initialSize?: number): KafkajsEncoder;
  nextPowerOfTwo(value: number): number;
}
/** The pooled encoder, which can also hold bytes already written, as they are. */
interface PooledEncoderClass extends KafkajsEncoderClass {
  new (initialSize?: number, written?: Buffer): KafkajsEncoder;
}

/**
 * From this size on, an encoder's bytes are not copied into the encoder that embeds them but referenced, and
 * joined once, when the whole request is asked for. Smaller ones (a record, a header) are cheaper to copy.
 */
const REFERENCED_FROM_BYTES = 16 * 1024;
const VARINT_MAX_BYTES = 5;
/**
 * A header (about 40 bytes) fits the first buffer, and growing makes room for what is written plus this much more:
 * a record's value is followed by its headers, which then fit without a second copy of the value.
 */
const FIRST_BUFFER_BYTES = 64;
const GROWTH_HEADROOM_BYTES = 256;

/**
 * kafkajs' encoder, with the same bytes out, made cheaper in the three ways a drain's profile showed:
 * - its memory comes from Node's buffer pool, unzeroed. kafkajs starts every header and record in a zero-filled
 *   512-byte buffer of its own: a fresh ArrayBuffer four or five times per message, the costliest allocation of a
 *   drain. The encoder only appends at `offset` and exposes bytes up to it, so what it has not written is never
 *   read or sent;
 * - a produce request nests a page's records eight encoders deep (batch body, batch, bytes, partition, topic,
 *   request, header, size), and kafkajs copied the whole page at each level, growing each copy by doubling. Large
 *   parts are now referenced as they are written and copied once, into the buffer the request is sent from, and
 *   once more where kafkajs asks a record batch for its bytes. With buffers sized to what is written rather than to
 *   powers of two, a 2 MB request of 500 4 KB messages allocates 4.1 bytes per byte sent, against 13.5;
 * - a variable-length integer is written in place rather than through a Buffer of its own (a dozen per record).
 * A referenced part cannot change: encoders only append, so the bytes up to an offset are final, and only buffers
 * this encoder made are referenced rather than copied.
 */
function pooledEncoder(Encoder: KafkajsEncoderClass): PooledEncoderClass {
  const ownBuffers = new WeakSet<Buffer>();
  const isLarge = (buffer: Buffer) => buffer.length >= REFERENCED_FROM_BYTES && ownBuffers.has(buffer);
  const allocate = (size: number): Buffer => {
    if (size < REFERENCED_FROM_BYTES) return Buffer.allocUnsafe(size);
    const buffer = recycledMemory.take(size);
    separate.add(buffer.buffer);
    return buffer;
  };
  const readable = (buffer: Buffer): Buffer => {
    if (buffer.buffer instanceof ArrayBuffer && buffer.buffer.detached)
      throw new Error('kafkajs encoder: these bytes were already sent and freed');
    return buffer;
  };

  class PooledEncoder extends Encoder {
    /** Bytes written before the current `buf`, in order: final views, joined when `buffer` is asked for. */
    private parts: Buffer[] = [];
    private partsSize = 0;

    constructor(initialSize?: number, written?: Buffer) {
      // A zero-length start costs no ArrayBuffer; the real buffer follows.
      super(0);
      if (written !== undefined) {
        this.buf = written;
        this.offset = written.length;
        return;
      }
      this.buf = allocate(
        initialSize === undefined ? FIRST_BUFFER_BYTES : Encoder.nextPowerOfTwo(initialSize),
      );
    }

    ensureAvailable(length: number): void {
      if (this.offset + length <= this.buf.length) return;
      // Doubling keeps many small writes linear; the headroom sizes a record's buffer to its value, not to the
      // next power of two (4 KiB for a 3 KB event, which Node's buffer pool no longer serves).
      const grown = allocate(Math.max(2 * this.buf.length, this.offset + length + GROWTH_HEADROOM_BYTES));
      readable(this.buf).copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }

    override get buffer(): Buffer {
      if (this.parts.length > 0) {
        const joined = allocate(this.size());
        let at = 0;
        for (const part of this.parts) at += readable(part).copy(joined, at);
        readable(this.buf).copy(joined, at, 0, this.offset);
        for (const { buffer } of this.parts) if (separate.delete(buffer)) recycledMemory.give(buffer);
        this.parts = [];
        this.partsSize = 0;
        this.buf = joined;
        this.offset = joined.length;
      }
      const written = readable(this.buf).subarray(0, this.offset);
      if (written.length >= REFERENCED_FROM_BYTES) ownBuffers.add(written);
      return written;
    }

    override size(): number {
      return this.partsSize + this.offset;
    }

    override writeEncoder(value: KafkajsEncoder): this {
      if (!(value instanceof PooledEncoder) || value.size() < REFERENCED_FROM_BYTES) {
        return super.writeEncoder(value);
      }
      for (const part of value.parts) this.reference(part);
      this.reference(readable(value.buf).subarray(0, value.offset));
      return this;
    }

    override writeEncoderArray(values: KafkajsEncoder[]): this {
      let copied = 0;
      for (const value of values) {
        if (!(value instanceof PooledEncoder)) return super.writeEncoderArray(values);
        const size = value.size();
        if (size < REFERENCED_FROM_BYTES) copied += size;
      }
      // One allocation for the records of a batch, where growing by doubling would copy them again and again.
      this.ensureAvailable(copied);
      for (const value of values) this.writeEncoder(value);
      return this;
    }

    override writeBytes(value: Buffer | string | null): this {
      if (!Buffer.isBuffer(value) || !isLarge(value)) return super.writeBytes(value);
      this.writeInt32(value.length);
      this.reference(value);
      return this;
    }

    override writeBuffer(value: Buffer): this {
      if (!Buffer.isBuffer(value) || !isLarge(value)) return super.writeBuffer(value);
      this.reference(value);
      return this;
    }

    writeUVarInt(value: number): this {
      this.ensureAvailable(VARINT_MAX_BYTES);
      let rest = value;
      while ((rest & 0xffffff80) !== 0) {
        this.buf[this.offset++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.buf[this.offset++] = rest & 0x7f;
      return this;
    }

    /** Ends the current buffer's run of bytes here and appends `part` after it, uncopied. */
    private reference(part: Buffer): void {
      if (this.offset > 0) {
        this.parts.push(this.buf.subarray(0, this.offset));
        this.partsSize += this.offset;
        // What is left of the buffer stays in use: the bytes before it are final.
        this.buf = this.buf.subarray(this.offset);
        this.offset = 0;
      }
      this.parts.push(part);
      this.partsSize += part.length;
    }
  }
  return PooledEncoder;
}

const kafkajsSockets = require('kafkajs/src/network/socketFactory.js') as () => ISocketFactory;

/**
 * kafkajs' own sockets, each of whose writes gives back the request it was given once written. kafkajs writes each
 * request once and reads it no more (a retry encodes it anew). Once a write's callback has run, the socket no longer
 * needs its bytes either: a Writable's caller may reuse them from then on. Only buffers the encoder allocated on
 * their own are freed; any other (a SASL message) is written as it is.
 */
export function requestFreeingSockets(): ISocketFactory {
  const open = kafkajsSockets();
  return (options) => {
    const socket = open(options);
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((data: unknown, ...rest: unknown[]) => {
      if (!(data instanceof Uint8Array) || !separate.has(data.buffer)) return write(data, ...rest);
      const written = typeof rest.at(-1) === 'function' ? (rest.pop() as (error?: Error) => void) : undefined;
      return write(data, ...rest, (error?: Error) => {
        if (separate.delete(data.buffer)) recycledMemory.give(data.buffer);
        written?.(error);
      });
    }) as typeof socket.write;
    return socket;
  };
}

interface KafkajsRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: KafkajsRequestQueue;
};

/**
 * kafkajs schedules a check of a connection's request queue `throttledUntil - Date.now()` ms ahead, which is negative
 * whenever nothing is throttled (`throttledUntil` is -1). Node runs such a timer after 1 ms and, from Node 24 on, also
 * prints a TimeoutNegativeWarning: a line that is not JSON on every process's stderr. With nothing pending, kafkajs
 * uses that delay as it is, so it is asked with 1 ms instead, what Node would have used; with requests pending, kafkajs
 * already replaces a past throttle by its own interval.
 */
const scheduleCheck = RequestQueue.prototype.scheduleCheckPendingRequests;
RequestQueue.prototype.scheduleCheckPendingRequests = function (this: KafkajsRequestQueue) {
  if (this.pending.length > 0) return scheduleCheck.call(this);
  const throttledUntil = this.throttledUntil;
  this.throttledUntil = Math.max(throttledUntil, Date.now() + 1);
  try {
    scheduleCheck.call(this);
  } finally {
    this.throttledUntil = throttledUntil;
  }
};

const REPLACED = [CRC32C_MODULE, ENCODER_MODULE, RECORD_MODULE, GROUPING_MODULE];
const loadedBefore = REPLACED.some((path) => require.cache[path]);
const replacements = new Map<string, unknown>();

/** Loads kafkajs' module at `path`, and puts what `replacement` makes of it in its place for every later require. */
function replace(path: string, replacement: (kafkajsOwn: unknown) => unknown): void {
  require(path);
  const module = require.cache[path];
  if (module === undefined) return;
  module.exports = replacement(module.exports);
  replacements.set(path, module.exports);
}

if (!loadedBefore) {
  // kafkajs' own checksum is not even loaded: it builds a table of its own.
  const crcModule = new Module(CRC32C_MODULE);
  crcModule.filename = CRC32C_MODULE;
  crcModule.loaded = true;
  crcModule.exports = checksum;
  require.cache[CRC32C_MODULE] = crcModule;
  replacements.set(CRC32C_MODULE, checksum);
  const PooledEncoder = pooledEncoder(require(ENCODER_MODULE) as KafkajsEncoderClass);
  replace(ENCODER_MODULE, () => PooledEncoder);
  // Loaded after the encoder's replacement, so that the records it still encodes use it too.
  replace(RECORD_MODULE, (kafkajsOwn) =>
    exactSizeRecord(
      kafkajsOwn as KafkajsRecord<KafkajsEncoder>,
      (bytes) => new PooledEncoder(undefined, bytes),
    ),
  );
  replace(GROUPING_MODULE, () => groupMessagesPerPartition);
}

/** Whether kafkajs runs with all its replacements (false when kafkajs was loaded before this module). */
export function kafkajsHotPathInstalled(): boolean {
  return (
    !loadedBefore &&
    REPLACED.every(
      (path) => replacements.has(path) && require.cache[path]?.exports === replacements.get(path),
    )
  );
}
