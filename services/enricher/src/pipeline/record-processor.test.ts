import { AlertEngine, AlertSchema, EventIndexRecordSchema, parseAlertRules } from '@sarwatch/core';
import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../ports.js';
import { RecordProcessor } from './record-processor.js';

const processorOptions = {
  streamName: 'sar-events',
  eventsTopic: 'events',
  alertsTopic: 'alerts',
  deadLetterTopic: 'dlq',
  eventIndexTopic: 'index',
  origin: 'stream' as const,
  maxRecordBytes: 4_096,
  maxEventBytes: 3_000,
  maxTextLength: 16_384,
};
const processor = new RecordProcessor(processorOptions);

const detail = {
  eventVersion: '1.09',
  eventID: '7e1f7a6c-0000-4000-8000-000000000001',
  eventTime: '2026-11-23T10:00:00Z',
  eventSource: 'serverlessrepo.amazonaws.com',
  eventName: 'DeleteApplication',
  awsRegion: 'us-east-1',
  userIdentity: { type: 'IAMUser', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/ci' },
  requestParameters: { applicationId: 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/app' },
  recipientAccountId: '123456789012',
};

const record = (data: string, sequenceNumber: string): StreamRecord => ({
  data: new TextEncoder().encode(data),
  partitionKey: 'pk',
  sequenceNumber,
  arrivedAt: new Date('2026-11-23T10:00:01Z'),
});

describe('RecordProcessor', () => {
  it('publishes good records and dead-letters bad ones, in order, with their coordinates', () => {
    const batch = processor.process('shardId-000000000001', [
      record(JSON.stringify(detail), '1'),
      record('{oops', '2'),
      record(JSON.stringify({ ...detail, eventID: 'other', padding: 'x'.repeat(2_900) }), '3'),
    ]);
    expect(batch.enriched).toBe(1);
    expect(Object.fromEntries(batch.deadLettered)).toEqual({ 'invalid-json': 1, unpublishable: 1 });
    const [event, invalid, tooBig] = batch.messages;
    expect(event).toMatchObject({
      topic: 'events',
      key: 'arn:aws:serverlessrepo:us-east-1:123456789012:applications/app',
      headers: { 'sarwatch-event-name': 'DeleteApplication', 'sarwatch-identity-type': 'IAMUser' },
    });
    expect(JSON.parse(String(event?.value)).operation.category).toBe('delete');
    expect(invalid).toMatchObject({
      topic: 'dlq',
      key: 'shardId-000000000001:2',
      headers: {
        'sarwatch-reason': 'invalid-json',
        'sarwatch-shard-id': 'shardId-000000000001',
        'sarwatch-sequence-number': '2',
        'sarwatch-stream': 'sar-events',
        'sarwatch-arrived-at': '2026-11-23T10:00:01.000Z',
      },
    });
    expect(new TextDecoder().decode(invalid?.value as Uint8Array)).toBe('{oops');
    expect(tooBig?.headers['sarwatch-reason']).toBe('unpublishable');
  });

  it('holds an event to its limit in UTF-8 bytes, not in characters', () => {
    // About 2,100 characters of text, over 4,000 bytes in UTF-8: under the limit counted one way, over it the other.
    const batch = processor.process('shardId-000000000001', [
      record(JSON.stringify({ ...detail, requestParameters: { description: 'é'.repeat(1_500) } }), '1'),
    ]);
    expect(Object.fromEntries(batch.deadLettered)).toEqual({ unpublishable: 1 });
    expect(batch.messages[0]?.headers['sarwatch-reason']).toBe('unpublishable');
  });

  it('indexes every event it publishes or dead-letters with an eventID, in the same batch, stamped with eventTime', () => {
    const batch = processor.process('shardId-000000000001', [
      record(JSON.stringify(detail), '1'),
      record('{oops', '2'),
      record(
        JSON.stringify({
          ...detail,
          eventID: 'big',
          eventTime: '2026-11-23T10:05:00Z',
          padding: 'x'.repeat(2_900),
        }),
        '3',
      ),
    ]);
    const index = batch.messages.filter((message) => message.topic === 'index');
    expect(index).toHaveLength(1);
    expect(index[0]).toMatchObject({
      key: 'shardId-000000000001',
      timestamp: String(Date.parse('2026-11-23T10:05:00Z')),
    });
    expect(EventIndexRecordSchema.parse(JSON.parse(String(index[0]?.value)))).toEqual({
      version: 1,
      origin: 'stream',
      entries: [
        {
          id: detail.eventID,
          time: detail.eventTime,
          name: 'DeleteApplication',
          source: 'serverlessrepo.amazonaws.com',
          account: '123456789012',
          region: 'us-east-1',
          outcome: 'published',
        },
        expect.objectContaining({ id: 'big', outcome: 'dead-lettered' }),
      ],
    });
    expect(batch.published.map(({ eventId }) => eventId)).toEqual([detail.eventID, 'big']);
  });

  it("publishes records as read for the bench's floor, with nothing else in the page", () => {
    const floor = new RecordProcessor({ ...processorOptions, skipEnrichment: true });
    const batch = floor.process('shardId-000000000001', [
      record(JSON.stringify(detail), '1'),
      record('{oops', '2'),
    ]);
    const text = (value: Uint8Array | string) =>
      typeof value === 'string' ? value : new TextDecoder().decode(value);
    expect(batch.messages.map((message) => [message.topic, message.key, text(message.value)])).toEqual([
      ['events', 'pk', JSON.stringify(detail)],
      ['events', 'pk', '{oops'],
    ]);
    expect(batch.enriched).toBe(2);
  });

  it('marks events read from the trail as such, in the event and in a header', () => {
    const fromTrail = new RecordProcessor({ ...processorOptions, origin: 'trail' });
    const [event] = fromTrail.process('trail', [record(JSON.stringify(detail), '1')]).messages;
    expect(event?.headers['sarwatch-origin']).toBe('trail');
    expect(JSON.parse(String(event?.value)).origin).toBe('trail');
  });

  it('drops an event whose eventID was already published, or comes earlier in the same page, and counts it', () => {
    const again = (id: string, sequenceNumber: string) =>
      record(JSON.stringify({ ...detail, eventID: id }), sequenceNumber);
    const batch = processor.process(
      'shardId-000000000001',
      [again('a', '1'), again('b', '2'), again('a', '3'), again('c', '4')],
      {
        has: (eventId) => eventId === 'c',
      },
    );
    expect(batch.duplicates).toBe(2);
    expect(batch.enriched).toBe(2);
    expect(batch.published).toEqual([
      { eventId: 'a', atMs: Date.parse('2026-11-23T10:00:01Z') },
      { eventId: 'b', atMs: Date.parse('2026-11-23T10:00:01Z') },
    ]);
  });
});

describe('RecordProcessor with alert rules', () => {
  const deleted = parseAlertRules({
    version: 1,
    rules: [
      {
        id: 'application-deleted',
        title: 'Application deleted',
        severity: 'high',
        why: 'Stacks that deploy it can no longer be updated.',
        match: { eventName: ['DeleteApplication'] },
      },
    ],
  });
  if (!deleted.ok) throw new Error(deleted.errors.join('\n'));
  const engine = new AlertEngine(deleted.rules);
  const alerting = new RecordProcessor(processorOptions, {
    evaluate: (event) => engine.evaluate(event, Date.parse(event.eventTime)),
  });

  it('puts each alert right after the event that raised it, keyed by its dedup key, on the alerts topic', () => {
    const batch = alerting.process('shardId-000000000001', [
      record(JSON.stringify({ ...detail, eventID: 'gone' }), '1'),
      record(JSON.stringify({ ...detail, eventID: 'read', eventName: 'GetApplication' }), '2'),
    ]);
    expect(batch.messages.map((message) => message.topic)).toEqual(['events', 'alerts', 'events', 'index']);
    const alert = AlertSchema.parse(JSON.parse(String(batch.messages[1]?.value)));
    expect(batch.messages[1]?.key).toBe('application-deleted|gone');
    expect(alert).toMatchObject({
      alertId: 'application-deleted:gone',
      severity: 'high',
      eventIds: ['gone'],
      summary:
        'arn:aws:iam::123456789012:user/ci (IAMUser, workload, API) DeleteApplication on app [123456789012 us-east-1]',
    });
    expect(batch.alerts).toEqual([{ ruleId: 'application-deleted', severity: 'high' }]);
  });

  it('raises the same alerts when a page is processed again after its transaction aborted', () => {
    const page = [record(JSON.stringify({ ...detail, eventID: 'retried' }), '1')];
    const first = alerting.process('shardId-000000000001', page);
    const again = alerting.process('shardId-000000000001', page);
    expect(again.alerts).toEqual(first.alerts);
    expect(again.messages.map((message) => message.key)).toEqual(
      first.messages.map((message) => message.key),
    );
  });
});
