import { createRequire } from 'node:module';
import { createServer, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { recycledMemory } from '@sarwatch/runtime';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { kafkajsHotPathInstalled, requestFreeingSockets } from './kafkajs-hot-path.js';

const require = createRequire(import.meta.url);
const kafkajsOwnCrc = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (
  buffer: Buffer,
) => number;
const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
interface AnyEncoder {
  readonly buffer: Buffer;
  size(): number;
  writeInt8(value: number): AnyEncoder;
  writeInt32(value: number): AnyEncoder;
  writeString(value: string): AnyEncoder;
  writeBytes(value: Buffer | string | null): AnyEncoder;
  writeBuffer(value: Buffer): AnyEncoder;
  writeVarInt(value: number): AnyEncoder;
  writeUVarInt(value: number): AnyEncoder;
  writeVarIntBytes(value: Buffer | string | null): AnyEncoder;
  writeEncoder(value: AnyEncoder): AnyEncoder;
  writeArray(values: AnyEncoder[], type?: 'object'): AnyEncoder;
  writeVarIntArray(values: AnyEncoder[], type: 'object'): AnyEncoder;
}
type EncoderClass = (new () => AnyEncoder) & { name: string };
const Encoder = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
const KafkajsOwnEncoder = Object.getPrototypeOf(Encoder) as EncoderClass;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (batch: { records: unknown[]; transactional?: boolean }) => Promise<AnyEncoder>;
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

/** One write of a generated encoding program; a program builds one encoder, and may nest others. */
type Write =
  | { op: 'int8' | 'int32' | 'varInt' | 'uVarInt'; value: number }
  | { op: 'string'; value: string }
  | { op: 'bytes' | 'varIntBytes'; value: Uint8Array | string | null }
  | { op: 'encoder' | 'bytesOf' | 'bufferOf'; program: Write[] }
  | { op: 'array' | 'varIntArray'; programs: Write[][] }
  | { op: 'read' };

const writeNumber: Record<
  'int8' | 'int32' | 'varInt' | 'uVarInt',
  (encoder: AnyEncoder, value: number) => void
> = {
  int8: (encoder, value) => encoder.writeInt8(value % 128),
  int32: (encoder, value) => encoder.writeInt32(value),
  varInt: (encoder, value) => encoder.writeVarInt(value),
  uVarInt: (encoder, value) => encoder.writeUVarInt(value),
};

function run(Class: EncoderClass, program: Write[]): AnyEncoder {
  const encoder = new Class();
  for (const write of program) {
    switch (write.op) {
      case 'int8':
      case 'int32':
      case 'varInt':
      case 'uVarInt':
        writeNumber[write.op](encoder, write.value);
        break;
      case 'string':
        encoder.writeString(write.value);
        break;
      case 'bytes':
      case 'varIntBytes': {
        const value = write.value instanceof Uint8Array ? Buffer.from(write.value) : write.value;
        if (write.op === 'bytes') encoder.writeBytes(value);
        else encoder.writeVarIntBytes(value);
        break;
      }
      case 'encoder':
        encoder.writeEncoder(run(Class, write.program));
        break;
      case 'bytesOf':
        encoder.writeBytes(run(Class, write.program).buffer);
        break;
      case 'bufferOf':
        encoder.writeBuffer(run(Class, write.program).buffer);
        break;
      case 'array':
        encoder.writeArray(
          write.programs.map((program) => run(Class, program)),
          'object',
        );
        break;
      case 'varIntArray':
        encoder.writeVarIntArray(
          write.programs.map((program) => run(Class, program)),
          'object',
        );
        break;
      case 'read':
        expect(encoder.buffer.length).toBe(encoder.size());
        break;
    }
  }
  return encoder;
}

const programs = fc.letrec<{ program: Write[]; write: Write }>((tie) => ({
  program: fc.array(tie('write'), { maxLength: 8 }),
  write: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ op: fc.constantFrom('int8', 'int32', 'varInt', 'uVarInt'), value: fc.integer() }),
    fc.record({ op: fc.constant('string'), value: fc.string({ maxLength: 200 }) }),
    fc.record({
      op: fc.constantFrom('bytes', 'varIntBytes'),
      // Past 16 KiB, parts are referenced rather than copied: the sizes straddle it.
      value: fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc
          .tuple(fc.integer({ min: 8_000, max: 40_000 }), fc.integer({ min: 1, max: 255 }))
          .map(([length, seed]) => Uint8Array.from({ length }, (_, index) => (index * seed) % 251)),
        fc.string({ maxLength: 300 }),
        fc.constant(null),
      ),
    }),
    fc.record({ op: fc.constantFrom('encoder', 'bytesOf', 'bufferOf'), program: tie('program') }),
    fc.record({
      op: fc.constantFrom('array', 'varIntArray'),
      programs: fc.array(tie('program'), { maxLength: 4 }),
    }),
    fc.constant({ op: 'read' }),
  ),
})).program as fc.Arbitrary<Write[]>;

describe("kafkajs' hot path", () => {
  it('is installed before kafkajs loads', async () => {
    await import('kafkajs');
    expect(kafkajsHotPathInstalled()).toBe(true);
    expect(Encoder.name).toBe('PooledEncoder');
  });

  it("writes the very bytes kafkajs' own encoder writes, whatever is nested in what", () => {
    fc.assert(
      fc.property(programs, (program) => {
        const ours = run(Encoder, program);
        const kafkajs = run(KafkajsOwnEncoder, program);
        expect(ours.size()).toBe(kafkajs.size());
        expect(ours.buffer.equals(kafkajs.buffer)).toBe(true);
      }),
      { numRuns: 300 },
    );
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

  it('gives back the copies a request is joined from as soon as it is joined: only the request stays in use', async () => {
    const value = Buffer.alloc(3_000, 7);
    const records = Array.from({ length: 700 }, (_, offsetDelta) =>
      Record({ offsetDelta, key: `k${offsetDelta}`, value, headers: {} }),
    );
    // The records are encoded before: what is measured is the batch (its body, then the batch around it) and the
    // request around that, 2 MB each, which kafkajs copies into one another.
    const before = process.memoryUsage().arrayBuffers - recycledMemory.keptBytes;
    const batch = await RecordBatch({ transactional: true, records });
    const request = new Encoder().writeInt32(1).writeEncoder(batch).buffer;
    const inUse = process.memoryUsage().arrayBuffers - recycledMemory.keptBytes - before;
    expect(request.length).toBeGreaterThan(2_000_000);
    expect(inUse).toBeLessThan(1.5 * request.length);
  });

  it('refuses to read bytes it has freed, rather than send a short copy', () => {
    const child = new Encoder().writeBytes(Buffer.alloc(20_000, 1));
    expect(new Encoder().writeEncoder(child).buffer.length).toBe(20_004);
    expect(() => new Encoder().writeEncoder(child).buffer).toThrow(/already sent and freed/);
  });

  it('frees a request once its socket has written it, and leaves any other buffer as it is', async () => {
    const received: Buffer[] = [];
    const server = createServer((peer) => peer.on('data', (chunk: Buffer) => received.push(chunk)));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    let socket: Socket | undefined;
    await new Promise<void>((connected) => {
      // kafkajs passes null for a plain connection, though its type says otherwise.
      const ssl = null as unknown as ConnectionOptions;
      socket = requestFreeingSockets()({ host: '127.0.0.1', port, ssl, onConnect: connected });
    });
    try {
      const request = new Encoder()
        .writeInt32(7)
        .writeEncoder(new Encoder().writeBytes(Buffer.alloc(40_000, 3))).buffer;
      const expected = Buffer.from(request);
      const other = Buffer.from('a SASL message');
      await new Promise<void>((written) => socket?.write(request, 'binary', () => written()));
      await new Promise<void>((written) => socket?.write(other, () => written()));
      expect(request.length).toBe(0);
      expect(other.toString()).toBe('a SASL message');
      await vi.waitFor(() => expect(Buffer.concat(received)).toEqual(Buffer.concat([expected, other])));
    } finally {
      socket?.destroy();
      await new Promise((closed) => server.close(closed));
    }
  });

  it('asks for no negative timer delay when it checks a request queue, which Node 24 warns about', () => {
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (options: {
      clientId: string;
      broker: string;
      logger: unknown;
    }) => {
      throttledUntil: number;
      throttleCheckTimeoutId: NodeJS.Timeout | null;
      scheduleCheckPendingRequests(): void;
    };
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const queue = new RequestQueue({ clientId: 'test', broker: 'broker:9092', logger: {} });
      queue.scheduleCheckPendingRequests();
      expect(timers).toHaveBeenCalledTimes(1);
      expect(timers.mock.calls[0]?.[1]).toBeGreaterThanOrEqual(0);
      expect(queue.throttledUntil).toBe(-1);
      clearTimeout(queue.throttleCheckTimeoutId ?? undefined);
    } finally {
      timers.mockRestore();
    }
  });
});
