import { ListShardsCommand, MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '@sarwatch/runtime';
import { describe, expect, inject, it } from 'vitest';
import { Load } from '../support/load.js';
import { outcomeOf, report } from '../support/outcome.js';
import { pipelineFixture, settle } from '../support/pipeline-fixture.js';

const RATE = 2_000;

describe('fault: shards split and merge under load', () => {
  const fixture = pipelineFixture();

  it(`at ${RATE} events/s: nothing lost or duplicated, each key in order across the reshard`, async () => {
    const { names, kinesis } = await fixture.stream('reshard', 2);
    const enricher = fixture.enricher(names, { SHARD_DISCOVERY_INTERVAL_MS: '1000' });
    const topics = await fixture.collect([names.eventsTopic]);
    const load = new Load(kinesis, names.stream, RATE, 41);
    await topics.waitFor('a steady flow', () => topics.on(names.eventsTopic).length >= 2_000);

    // The control calls retry like any AWS client would; the load's own client is the feeder's business.
    const control = createKinesisClient({
      region: 'us-east-1',
      endpoint: inject('kinesisEndpoint'),
      maxAttempts: 5,
    });
    const shards = async () =>
      (await control.send(new ListShardsCommand({ StreamName: names.stream }))).Shards ?? [];
    const [first] = await shards();
    if (!first?.HashKeyRange?.StartingHashKey || !first.HashKeyRange.EndingHashKey)
      throw new Error('no shard');
    const middle =
      (BigInt(first.HashKeyRange.StartingHashKey) + BigInt(first.HashKeyRange.EndingHashKey)) / 2n;
    await control.send(
      new SplitShardCommand({
        StreamName: names.stream,
        ShardToSplit: first.ShardId,
        NewStartingHashKey: middle.toString(),
      }),
    );
    await settle(6_000);
    const children = (await shards()).filter((shard) => shard.ParentShardId === first.ShardId);
    expect(children).toHaveLength(2);
    await control.send(
      new MergeShardsCommand({
        StreamName: names.stream,
        ShardToMerge: children[0]?.ShardId,
        AdjacentShardToMerge: children[1]?.ShardId,
      }),
    );
    await settle(6_000);
    control.destroy();
    await load.stop();

    const delivered = () =>
      new Set(topics.on(names.eventsTopic).map((m) => JSON.parse(String(m.value)).eventId));
    await topics.waitFor('every event', () => delivered().size >= load.events.length, 120_000);
    await settle(3_000);

    const outcome = outcomeOf(load.events, topics.on(names.eventsTopic));
    const ended = (enricher.output().match(/shard closed and read to its end/g) ?? []).length;
    report('resharding', outcome, {
      'shards in the end': (await shards()).length,
      'shards read to their end': ended,
    });
    expect(outcome).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0 });
    // The split parent and both children (merged away) were closed and read to their ends.
    expect(ended).toBe(3);
  }, 240_000);
});
