import { createRequire } from 'node:module';
import fc from 'fast-check';
import { type PartitionerArgs, Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { keyPartitioner, murmur2 } from './key-partitioner.js';

const kafkajsMurmur2 = createRequire(import.meta.url)(
  'kafkajs/src/producer/partitioners/default/murmur2.js',
) as (key: Buffer) => number;

function partitions(count: number, leaderless: number[] = []): PartitionerArgs['partitionMetadata'] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    partitionErrorCode: 0,
  }));
}

describe('murmur2', () => {
  it("gives the Java client's hashes (Kafka's UtilsTest)", () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it("equals kafkajs' own hash for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(murmur2(bytes)).toBe(kafkajsMurmur2(Buffer.from(bytes)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('keyPartitioner', () => {
  it("puts every keyed message where kafkajs' default partitioner puts it", () => {
    const ours = keyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        (key, count) => {
          const args = { topic: 't', partitionMetadata: partitions(count), message: { key, value: null } };
          expect(ours(args)).toBe(theirs(args));
        },
      ),
    );
  });

  it('keeps an explicit partition, and sends keyless messages round the partitions that have a leader', () => {
    const partition = keyPartitioner();
    const metadata = partitions(4, [1]);
    expect(
      partition({
        topic: 't',
        partitionMetadata: metadata,
        message: { key: 'k', value: null, partition: 3 },
      }),
    ).toBe(3);
    const chosen = Array.from({ length: 6 }, () =>
      partition({ topic: 't', partitionMetadata: metadata, message: { value: null } }),
    );
    expect(new Set(chosen)).toEqual(new Set([0, 2, 3]));
  });
});
