import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ensureStream } from '@sarwatch/devstack';
import { createEventGenerator, type GeneratedRecord } from '@sarwatch/feeder';
import { createKinesisClient } from '@sarwatch/runtime';
import { inject } from 'vitest';

export interface PutRecord {
  data: Uint8Array;
  partitionKey: string;
}

export function testKinesisClient(): KinesisClient {
  return createKinesisClient({ region: 'us-east-1', endpoint: inject('kinesisEndpoint') });
}

const quiet = { info: () => {}, warn: () => {} };

export async function createStream(
  client: KinesisClient,
  streamName: string,
  shardCount: number,
): Promise<void> {
  await ensureStream({ client, streamName, shardCount, log: quiet });
}

/** Puts records in order, 500 per call, retrying any the emulator refuses; resolves when all are stored. */
export async function putAll(client: KinesisClient, streamName: string, records: readonly PutRecord[]) {
  for (let start = 0; start < records.length; start += 500) {
    let pending = records.slice(start, start + 500);
    while (pending.length > 0) {
      const result = await client.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: pending.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
        }),
      );
      pending = pending.filter((_, index) => result.Records?.[index]?.ErrorCode !== undefined);
    }
  }
}

type GeneratedEvent = Extract<GeneratedRecord, { kind: 'event' }>;

/**
 * Well-formed events only, deterministic for a seed, keyed as sarwatch's rule keys them ($.account): all calls
 * of one account, so of one application, go to one shard in order.
 */
export function generateEvents(count: number, seed: number): GeneratedEvent[] {
  const generator = createEventGenerator({ seed, malformedRatio: 0 });
  return Array.from({ length: count }, () => keyedByAccount(generator.next()));
}

export function keyedByAccount(record: GeneratedRecord): GeneratedEvent {
  if (record.kind !== 'event') throw new Error('asked for events only');
  return { ...record, partitionKey: record.envelope.account };
}
