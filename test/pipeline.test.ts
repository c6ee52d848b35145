import { enrich, eventKey } from '@sarwatch/core';
import { describe, expect, it } from 'vitest';
import { generateEvents, putAll } from './support/kinesis-fixture.js';
import { eventIdOf, pipelineFixture, settle } from './support/pipeline-fixture.js';

describe('Kinesis → enricher → Kafka', () => {
  const fixture = pipelineFixture();

  it('publishes 1,000 events from a 4-shard stream exactly once each, field by field', async () => {
    const { names, kinesis } = await fixture.stream('pipeline', 4);
    const events = generateEvents(1_000, 2);
    await putAll(kinesis, names.stream, events);

    fixture.enricher(names);
    const topics = await fixture.collect([names.eventsTopic, names.dlqTopic]);
    await topics.waitFor('1,000 events', () => topics.on(names.eventsTopic).length >= 1_000);
    // Anything published late would be a duplicate: give it a moment to show up.
    await settle();

    const published = topics.on(names.eventsTopic);
    const byEventId = new Map(published.map((message) => [eventIdOf(message), message]));
    expect(published).toHaveLength(1_000);
    expect(byEventId.size).toBe(1_000);
    expect(topics.on(names.dlqTopic)).toHaveLength(0);

    for (const { record } of events) {
      const message = byEventId.get(record.eventID);
      expect(message, record.eventID).toBeDefined();
      const value = JSON.parse(String(message?.value));
      expect(value).toEqual(JSON.parse(JSON.stringify(enrich(record))));
      // The same facts, asserted without the classifier, so a broken enrich() cannot agree with itself.
      expect(value.eventId).toBe(record.eventID);
      expect(value.eventName).toBe(record.eventName);
      expect(value.eventTime).toBe(record.eventTime);
      expect(value.recipientAccountId).toBe(record.recipientAccountId);
      expect(value.detail).toEqual(JSON.parse(JSON.stringify(record)));
      const applicationId = record.requestParameters?.applicationId ?? record.responseElements?.applicationId;
      expect(message?.key).toBe(applicationId ?? record.eventID);
      expect(message?.key).toBe(eventKey(value));
      expect(message?.headers['sarwatch-event-name']).toBe(record.eventName);
      expect(message?.headers['sarwatch-identity-type']).toBe(value.identity.type);
      expect(message?.headers['content-type']).toBe('application/json');
    }
  });
});
