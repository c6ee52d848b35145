import { describe, expect, it } from 'vitest';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { eventIdOf, pipelineFixture, settle } from './support/pipeline-fixture.js';

describe('crash and restart', () => {
  const fixture = pipelineFixture();

  it('loses nothing and duplicates nothing when the enricher is SIGKILLed mid-batch (read_committed)', async () => {
    const { names, kinesis } = await fixture.stream('crash', 4);
    const events = generateEvents(2_000, 3);
    await putAll(kinesis, names.stream, events);
    // Small pages keep the enricher busy long enough to be killed in the middle of the stream.
    const env = { KINESIS_MAX_RECORDS_PER_CALL: '20' };

    const first = fixture.enricher(names, env);
    const topics = await fixture.collect([names.eventsTopic]);
    await topics.waitFor('some events before the crash', () => topics.on(names.eventsTopic).length >= 500);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeCrash = topics.on(names.eventsTopic).length;
    expect(beforeCrash).toBeLessThan(events.length);

    const restartedAt = Date.now();
    fixture.enricher(names, env);
    const seen = () => new Set(topics.on(names.eventsTopic).map(eventIdOf));
    await topics.waitFor('every event after the restart', () => seen().size >= events.length, 90_000);
    const recoveredMs = Date.now() - restartedAt;
    await settle();

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
    // The transaction open at the kill is aborted when the restarted instance takes the shards over.
    expect(duplicates).toBe(0);
  });
});
