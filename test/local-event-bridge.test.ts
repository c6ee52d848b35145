import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Record as KinesisRecord,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { decodeRecord, SAR_EVENT_SOURCE } from '@sarwatch/core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';
import { isolatedNames } from './support/enricher-process.js';
import { testKinesisClient } from './support/kinesis-fixture.js';

const client = testKinesisClient();
afterAll(() => client.destroy());

async function everyRecord(stream: string): Promise<KinesisRecord[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const records: KinesisRecord[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

describe('the local EventBridge in front of the stream (sarwatch feed)', () => {
  it('under a write-only rule, puts only SAR write calls into the stream, keyed by account', async () => {
    const { stream } = isolatedNames('local-bus');
    const feed = await runSarwatch(['feed', '--create-stream', '--shards', '2', '--rule-state', 'ENABLED'], {
      KINESIS_STREAM_NAME: stream,
      KINESIS_ENDPOINT: inject('kinesisEndpoint'),
      FEED_LIMIT: '1500',
      FEED_RATE: '5000',
      FEED_SEED: '31',
      FEED_MALFORMED_RATIO: '0.02',
      LOG_FORMAT: 'json',
    });
    expect(feed.code, feed.stderr).toBe(0);
    const summary = JSON.parse(feed.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary).toMatchObject({ msg: 'feeder stopped', generated: 1500 });
    const bus = summary.eventBridge;
    expect(bus['pattern-not-matched']).toBeGreaterThan(0);
    expect(bus['read-only-under-write-only-rule']).toBeGreaterThan(0);
    expect(
      bus.delivered + bus.injected + bus['pattern-not-matched'] + bus['read-only-under-write-only-rule'],
    ).toBe(1500);

    const records = await everyRecord(stream);
    expect(records).toHaveLength(bus.delivered + bus.injected);
    let events = 0;
    for (const record of records) {
      const decoded = decodeRecord(record.Data ?? new Uint8Array(), { maxRecordBytes: 1_048_576 });
      if (!decoded.ok) continue;
      events += 1;
      expect(decoded.record.eventSource).toBe(SAR_EVENT_SOURCE);
      expect(decoded.record.readOnly).toBe(false);
      expect(record.PartitionKey).toBe(decoded.envelope?.account);
    }
    expect(events).toBe(bus.delivered);
  });
});
