import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition, type KafkajsGroupingInput } from './kafkajs-grouping.js';
import { kafkajsHotPathInstalled } from './kafkajs-hot-path.js';

const require = createRequire(import.meta.url);
const GROUPING_MODULE = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
type Grouping = (input: KafkajsGroupingInput<{ id: number }>) => Record<number, { id: number }[]>;

/** kafkajs' own grouping, loaded anew beside the replacement the hot path installed. */
function kafkajsOwnGrouping(): Grouping {
  const installed = require.cache[GROUPING_MODULE];
  delete require.cache[GROUPING_MODULE];
  try {
    return require(GROUPING_MODULE) as Grouping;
  } finally {
    if (installed) require.cache[GROUPING_MODULE] = installed;
  }
}
const kafkajsOwn = kafkajsOwnGrouping();

describe('the grouping of messages by partition', () => {
  it("gives what kafkajs' own grouping gives: each partition's messages, in the order sent", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(40), { maxLength: 300 }),
        fc.integer({ min: 0, max: 3 }),
        (partitions, metadataLength) => {
          const messages = partitions.map((_, id) => ({ id }));
          const input = {
            topic: 'events',
            partitionMetadata: Array.from({ length: metadataLength }, () => ({})),
            messages,
            partitioner: ({ message }: { message: { id: number } }) => partitions[message.id] ?? 0,
          };
          const grouped = groupMessagesPerPartition(input);
          expect(grouped).toStrictEqual(kafkajsOwn(input));
          expect(Object.keys(grouped)).toEqual(Object.keys(kafkajsOwn(input)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is the grouping kafkajs loads', () => {
    expect(kafkajsHotPathInstalled()).toBe(true);
    expect(require(GROUPING_MODULE)).toBe(groupMessagesPerPartition);
  });
});
