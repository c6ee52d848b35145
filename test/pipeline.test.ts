import { enrich, eventKey } from '@sarwatch/core';
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

describe('Kinesis → enricher → Kafka', () => {
  let enricher: RunningCli | undefined;
  let collector: TopicCollector | undefined;
  afterEach(async () => {
    await ensureStopped(enricher);
    await collector?.stop();
  });

  it('publishes 1,000 events from a 4-shard stream exactly once each, field by field', async () => {
    const names = isolatedNames('pipeline');
    const kinesis = testKinesisClient();
    await createStream(kinesis, names.stream, 4);
    const events = generateEvents(1_000, 2);
    await putAll(kinesis, names.stream, events);

    enricher = runCli(['run'], enricherEnv(names));
    const topics = await TopicCollector.start([names.eventsTopic, names.dlqTopic]);
    collector = topics;
    await topics.waitFor('1,000 events', () => topics.on(names.eventsTopic).length >= 1_000);
    // Anything published late would be a duplicate: give it a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const published = topics.on(names.eventsTopic);
    const byEventId = new Map(
      published.map((message) => [JSON.parse(String(message.value)).eventId, message]),
    );
    expect(published).toHaveLength(1_000);
    expect(byEventId.size).toBe(1_000);
    expect(topics.on(names.dlqTopic)).toHaveLength(0);

    for (const { record } of events) {
      const message = byEventId.get(record.eventID);
      expect(message, record.eventID).toBeDefined();
      const value = JSON.parse(String(message?.value));
      const expected = JSON.parse(JSON.stringify(enrich(record)));
      expect(value).toEqual(expected);
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
    kinesis.destroy();
  });
});
