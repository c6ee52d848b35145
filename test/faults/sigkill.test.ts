import { describe, expect, it } from 'vitest';
import { generateEvents, putAll } from '../support/kinesis-fixture.js';
import { outcomeOf, report } from '../support/outcome.js';
import { pipelineFixture, settle } from '../support/pipeline-fixture.js';

describe('fault: an instance is SIGKILLed mid-batch', () => {
  const fixture = pipelineFixture();

  it('after a restart, a read_committed subscriber has every event once', async () => {
    const { names, kinesis } = await fixture.stream('sigkill', 4);
    const events = generateEvents(2_000, 3);
    await putAll(kinesis, names.stream, events);
    // Small pages keep the enricher busy long enough to be killed in the middle of the stream.
    const env = { KINESIS_MAX_RECORDS_PER_CALL: '20' };

    const first = fixture.enricher(names, env);
    const topics = await fixture.collect([names.eventsTopic]);
    await topics.waitFor('some events before the kill', () => topics.on(names.eventsTopic).length >= 500);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeKill = topics.on(names.eventsTopic).length;
    expect(beforeKill).toBeLessThan(events.length);

    const restartedAt = Date.now();
    fixture.enricher(names, env);
    const delivered = () =>
      new Set(topics.on(names.eventsTopic).map((m) => JSON.parse(String(m.value)).eventId));
    await topics.waitFor('every event after the restart', () => delivered().size >= events.length, 90_000);
    const recoveredMs = Date.now() - restartedAt;
    await settle();

    const outcome = outcomeOf(events, topics.on(names.eventsTopic));
    report('sigkill', outcome, { 'published before the kill': beforeKill, 'recovered in ms': recoveredMs });
    // The transaction open at the kill is aborted when the restarted instance takes the shards over.
    expect(outcome).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0 });
  });
});
