import { afterEach, describe, expect, it } from 'vitest';
import {
  enricherEnv,
  ensureStopped,
  isolatedNames,
  type RunningCli,
  runCli,
} from './support/enricher-process.js';
import { createStream, generateEvents, putAll, testKinesisClient } from './support/kinesis-fixture.js';
import { TopicCollector } from './support/topic-collector.js';

describe('crash and restart', () => {
  const running: RunningCli[] = [];
  let collector: TopicCollector | undefined;
  afterEach(async () => {
    for (const cli of running) await ensureStopped(cli);
    await collector?.stop();
  });

  it('loses nothing when the enricher is SIGKILLed halfway (duplicates counted)', async () => {
    const names = isolatedNames('crash');
    const kinesis = testKinesisClient();
    await createStream(kinesis, names.stream, 4);
    const events = generateEvents(2_000, 3);
    await putAll(kinesis, names.stream, events);
    // Small pages keep the enricher busy long enough to be killed in the middle of the stream.
    const env = enricherEnv(names, { KINESIS_MAX_RECORDS_PER_CALL: '20' });

    const first = runCli(['run'], env);
    running.push(first);
    const topics = await TopicCollector.start([names.eventsTopic]);
    collector = topics;
    await topics.waitFor('some events before the crash', () => topics.on(names.eventsTopic).length >= 500);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeCrash = topics.on(names.eventsTopic).length;
    expect(beforeCrash).toBeLessThan(events.length);

    const startedAgain = Date.now();
    const second = runCli(['run'], env);
    running.push(second);
    const seen = () => new Set(topics.on(names.eventsTopic).map((m) => JSON.parse(String(m.value)).eventId));
    await topics.waitFor('every event after the restart', () => seen().size >= events.length, 90_000);
    const recoveredMs = Date.now() - startedAgain;
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const ids = seen();
    const lost = events.filter(({ record }) => !ids.has(record.eventID)).length;
    const published = topics.on(names.eventsTopic).length;
    const duplicates = published - ids.size;
    console.log(
      `crash-recovery: in ${events.length}, published ${published}, published before the kill ${beforeCrash}, ` +
        `lost ${lost}, duplicated ${duplicates}, all delivered ${recoveredMs} ms after the restart`,
    );
    expect(lost).toBe(0);
    expect(ids.size).toBe(events.length);
    // At least once: only pages in flight at the kill may come again, at most one page per shard.
    expect(duplicates).toBeLessThanOrEqual(4 * 20);
    kinesis.destroy();
  });
});
