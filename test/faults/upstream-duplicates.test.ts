import { wrapInEventBridge } from '@sarwatch/core';
import { describe, expect, it } from 'vitest';
import { generateEvents, putAll } from '../support/kinesis-fixture.js';
import { outcomeOf, report } from '../support/outcome.js';
import { pipelineFixture, settle } from '../support/pipeline-fixture.js';

describe('fault: EventBridge delivers the same CloudTrail event twice', () => {
  const fixture = pipelineFixture();

  it('publishes it once and counts the copies it dropped', async () => {
    const { names, kinesis } = await fixture.stream('dupes', 2);
    const events = generateEvents(400, 17);
    // A retried delivery repeats the envelope byte for byte; a second rule or bus wraps the record anew.
    const redelivered = events
      .slice(0, 60)
      .map((event) => ({ data: event.data, partitionKey: event.partitionKey }));
    const rewrapped = events.slice(100, 160).map((event) => {
      const envelope = wrapInEventBridge(event.record, { id: `${event.envelope.id.slice(0, -4)}ffff` });
      return { data: new TextEncoder().encode(JSON.stringify(envelope)), partitionKey: event.partitionKey };
    });
    await putAll(kinesis, names.stream, events.slice(0, 200));
    await putAll(kinesis, names.stream, [...redelivered, ...rewrapped]);
    await putAll(kinesis, names.stream, events.slice(200));

    const enricher = fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic]);
    await topics.waitFor('every event', () => topics.on(names.eventsTopic).length >= events.length);
    await settle(3_000);

    const outcome = outcomeOf(events, topics.on(names.eventsTopic));
    const dropped = [...enricher.output().matchAll(/"duplicates":(\d+)/g)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    report('upstream duplicates', outcome, { 'copies put': 120, 'copies dropped': dropped });
    expect(outcome).toMatchObject({ in: 400, out: 400, lost: 0, duplicated: 0 });
    expect(dropped).toBe(120);
  });
});
