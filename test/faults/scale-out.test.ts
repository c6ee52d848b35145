import { describe, expect, it } from 'vitest';
import type { RunningCli } from '../support/enricher-process.js';
import { Load } from '../support/load.js';
import { outcomeOf, report } from '../support/outcome.js';
import { pipelineFixture, settle } from '../support/pipeline-fixture.js';
import type { CollectedMessage } from '../support/topic-collector.js';

interface ShardLogLine {
  msg: string;
  shardId: string;
  time: number;
}

/** Lines of an instance's JSON log about one shard's reader starting or ending. */
function shardLines(cli: RunningCli): ShardLogLine[] {
  return cli
    .output()
    .split('\n')
    .filter((line) => line.includes('"component":"shard-reader"'))
    .map((line) => JSON.parse(line) as ShardLogLine);
}

/** When each instance started reading which shard. */
function shardStarts(cli: RunningCli): { shardId: string; at: number }[] {
  return shardLines(cli)
    .filter((line) => line.msg === 'reading shard')
    .map(({ shardId, time }) => ({ shardId, at: time }));
}

const READER_ENDS = new Set([
  'stopped reading shard',
  'fenced: another instance reads this shard now',
  'shard already read to its end',
]);

/**
 * The shards an instance reads now. Counting starts alone would not do: a shard can move between the other
 * instances, or back to this one, before they leave.
 */
function shardsReading(cli: RunningCli): Set<string> {
  const reading = new Set<string>();
  for (const { msg, shardId } of shardLines(cli)) {
    if (msg === 'reading shard') reading.add(shardId);
    if (READER_ENDS.has(msg)) reading.delete(shardId);
  }
  return reading;
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<number> {
  const startedAt = Date.now();
  while (!condition()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await settle(100);
  }
  return Date.now() - startedAt;
}

/**
 * Per shard, the checkpoints committed, in the order the topic holds them: if two instances had published for
 * one shard at once, their pages would overlap and the sequence numbers would go back.
 */
function checkpointsGoBack(checkpoints: readonly CollectedMessage[]): number {
  const last = new Map<string, bigint>();
  let backwards = 0;
  for (const message of checkpoints) {
    if (message.key?.endsWith('|takeover')) continue;
    const { shardId, sequenceNumber } = JSON.parse(String(message.value));
    if (sequenceNumber === null) continue;
    const sequence = BigInt(sequenceNumber);
    if (sequence <= (last.get(shardId) ?? -1n)) backwards += 1;
    last.set(shardId, sequence);
  }
  return backwards;
}

describe('fault: instances join and leave under load', () => {
  const fixture = pipelineFixture();

  it('1 -> 3 -> 1: shards move within the bound, one owner at a time, nothing lost or duplicated', async () => {
    const { names, kinesis } = await fixture.stream('scale', 4);
    const first = fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic, names.checkpointTopic]);
    const load = new Load(kinesis, names.stream, 500, 59);
    await topics.waitFor('a steady flow', () => topics.on(names.eventsTopic).length >= 1_000);
    await until('the first instance to read all 4 shards', () => shardStarts(first).length >= 4);

    const second = fixture.enricher(names);
    const third = fixture.enricher(names);
    const joinedInMs = await until('the new instances to take shards', () =>
      [second, third].every((cli) => shardStarts(cli).length > 0),
    );
    await settle(5_000);
    const newOwners = [second, third].map(
      (cli) => new Set(shardStarts(cli).map((start) => start.shardId)).size,
    );

    // One leaves as it should, one dies: the first takes their shards back.
    expect(shardsReading(first).size).toBeLessThan(4);
    second.child.kill('SIGTERM');
    third.child.kill('SIGKILL');
    const leftAt = Date.now();
    await Promise.all([second.exited, third.exited]);
    await until('the first instance to read every shard again', () => shardsReading(first).size === 4);
    const takenBackInMs = Date.now() - leftAt;
    await settle(3_000);
    await load.stop();

    const delivered = () =>
      new Set(topics.on(names.eventsTopic).map((m) => JSON.parse(String(m.value)).eventId));
    await topics.waitFor('every event', () => delivered().size >= load.events.length, 90_000);
    await settle(3_000);

    const outcome = outcomeOf(load.events, topics.on(names.eventsTopic));
    const backwards = checkpointsGoBack(topics.on(names.checkpointTopic));
    report('scale 1-3-1', outcome, {
      'shards taken by the two new instances': newOwners.join('/'),
      'join moved shards in ms': joinedInMs,
      'leave and kill moved shards back in ms': takenBackInMs,
      'checkpoints going back': backwards,
    });
    expect(outcome).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(backwards).toBe(0);
    expect(newOwners.every((count) => count > 0)).toBe(true);
    expect(joinedInMs).toBeLessThan(30_000);
    expect(takenBackInMs).toBeLessThan(30_000);
  }, 240_000);
});
