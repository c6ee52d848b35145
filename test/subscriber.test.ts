import { randomUUID } from 'node:crypto';
import {
  type Alert,
  AlertEngine,
  type CloudTrailRecord,
  enrich,
  parseAlertRules,
  SAMPLE_EVENTS,
  toAlert,
} from '@sarwatch/core';
import { createKafka, type InvalidMessage, parseKafkaConnection, subscribeToAlerts } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import { afterEach, describe, expect, inject, it } from 'vitest';

const log = createLogger({ name: 'subscriber-test', level: 'silent', format: 'json' });

function alerts(count: number): Alert[] {
  const parsed = parseAlertRules({
    version: 1,
    rules: [
      {
        id: 'policy',
        title: 'Policy',
        severity: 'low',
        why: 'test',
        match: { eventName: ['PutApplicationPolicy'] },
      },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.errors.join());
  const engine = new AlertEngine(parsed.rules);
  const record = SAMPLE_EVENTS[0]?.event.detail as CloudTrailRecord;
  return Array.from({ length: count }, (_, index) => {
    const [fired] = engine.evaluate(enrich({ ...record, eventID: `event-${index}` }), index).fired;
    if (!fired) throw new Error('the rule did not fire');
    return toAlert(fired, new Date(0));
  });
}

describe('the typed subscriber (@sarwatch/kafka)', () => {
  const kafka = createKafka({
    connection: parseKafkaConnection({ KAFKA_BROKERS: inject('kafkaBrokers') }),
    clientId: 'subscriber-test',
    log,
  });
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('hands over valid alerts in order, retries a failing handler, skips what is invalid, and resumes after the last handled', async () => {
    const topic = `subscriber-${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const sent = alerts(6);
    await producer.send({
      topic,
      messages: [
        ...sent.slice(0, 3).map((alert) => ({ key: alert.dedupKey, value: JSON.stringify(alert) })),
        { key: 'broken', value: '{"alertId": 7' },
        { key: 'wrong-shape', value: JSON.stringify({ alertId: 'x', severity: 'urgent' }) },
        ...sent.slice(3).map((alert) => ({ key: alert.dedupKey, value: JSON.stringify(alert) })),
      ],
    });

    const handled: string[] = [];
    const invalid: InvalidMessage[] = [];
    let failuresLeft = 3;
    const groupId = `subscriber-${randomUUID()}`;
    const subscribe = (handle: (alert: Alert) => Promise<void>) => {
      const subscription = subscribeToAlerts(
        kafka,
        {
          topic,
          groupId,
          fromBeginning: true,
          retry: { initialMs: 20, maxMs: 100 },
          handle,
          onInvalid: async (message) => void invalid.push(message),
        },
        log,
      );
      cleanups.push(() => subscription.stop());
      return subscription;
    };

    // The second alert fails three times before its handler succeeds; the fifth never succeeds in the first run.
    const first = subscribe(async (alert) => {
      if (alert.alertId === sent[1]?.alertId && failuresLeft-- > 0) throw new Error('downstream unavailable');
      if (alert.alertId === sent[4]?.alertId) throw new Error('this one keeps failing');
      handled.push(alert.alertId);
    });
    await first.start();
    await waitFor(() => handled.length === 4 && invalid.length === 2);
    await first.stop();

    expect(handled).toEqual(sent.slice(0, 4).map((alert) => alert.alertId));
    expect(invalid.map((message) => [message.key, message.offset])).toEqual([
      ['broken', '3'],
      ['wrong-shape', '4'],
    ]);
    expect(invalid[0]?.reason).toMatch(/^not JSON/);
    expect(invalid[1]?.reason).toMatch(/severity/);

    // A new member of the group starts after the last alert handled: the fifth is delivered again, then the sixth.
    const again: string[] = [];
    const second = subscribe(async (alert) => void again.push(alert.alertId));
    await second.start();
    await waitFor(() => again.length === 2);
    expect(again).toEqual([sent[4]?.alertId, sent[5]?.alertId]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
