import { accessCheck } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import { describe, expect, it } from 'vitest';
import { EnricherError } from '../errors.js';
import { PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import type {
  Checkpoint,
  OutboundMessage,
  RecordPage,
  RecordSource,
  ShardLease,
  ShardLeases,
  StartPosition,
  StreamRecord,
} from '../ports.js';
import { InFlightBudget } from './in-flight-budget.js';
import { RecordProcessor } from './record-processor.js';
import { ShardReader } from './shard-reader.js';

const SHARD = 'shardId-000000000000';
const log = createLogger({ name: 'test', level: 'silent', format: 'json' });

const event = (eventID: string) =>
  JSON.stringify({
    eventVersion: '1.09',
    eventID,
    eventTime: '2026-11-23T10:00:00Z',
    eventSource: 'serverlessrepo.amazonaws.com',
    eventName: 'GetApplication',
    awsRegion: 'us-east-1',
    userIdentity: { type: 'IAMUser', accountId: '123456789012' },
    recipientAccountId: '123456789012',
  });

/** A closed shard holding `ids` (one record each), read `pageSize` at a time; `hangOnce` makes one read never answer. */
class ClosedShard implements RecordSource {
  hangOnce = false;
  reads = 0;
  /** Each page read, by its first sequence number, and whether its data was released. */
  readonly pages: { first: string; released: boolean }[] = [];
  private readonly records: StreamRecord[];

  constructor(
    ids: readonly string[],
    private readonly pageSize: number,
  ) {
    this.records = ids.map((id, index) => ({
      data: new TextEncoder().encode(event(id)),
      partitionKey: 'pk',
      sequenceNumber: String(index + 1),
      arrivedAt: new Date('2026-11-23T10:00:01Z'),
    }));
  }

  async listShards() {
    return [{ shardId: SHARD, parentShardIds: [], closed: true }];
  }

  async shardIterator(_shardId: string, from: StartPosition) {
    return String(from.type === 'AFTER_SEQUENCE_NUMBER' ? Number(from.sequenceNumber) : 0);
  }

  async readPage(iterator: string, limit: number, signal: AbortSignal): Promise<RecordPage> {
    this.reads += 1;
    if (this.hangOnce) {
      this.hangOnce = false;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    }
    const start = Number(iterator);
    const records = this.records.slice(start, start + Math.min(limit, this.pageSize));
    const next = start + records.length;
    const page = { first: records[0]?.sequenceNumber ?? '', released: false };
    this.pages.push(page);
    return {
      records,
      nextIterator: next >= this.records.length ? null : String(next),
      millisBehindLatest: 0,
      bytes: 0,
      release: () => {
        page.released = true;
      },
    };
  }
}

type CommitFault = 'lost' | 'landed-but-failed' | 'fenced';

const text = (value: OutboundMessage['value']) =>
  typeof value === 'string' ? value : new TextDecoder().decode(value);
const eventIds = (messages: readonly OutboundMessage[]) =>
  messages.filter((m) => m.topic === 'events').map((m) => JSON.parse(text(m.value)).eventId);

/** Kafka as the reader sees it: what was committed, and faults to inject on the next commits. */
class Committed implements ShardLeases {
  readonly events: string[] = [];
  checkpoint: Checkpoint | undefined;
  faults: CommitFault[] = [];
  acquired = 0;
  /** The messages of each failed commit, as handed over: a commit abandoned by the reader may still be sending them. */
  readonly failedMessages: { messages: readonly OutboundMessage[]; eventIds: string[] }[] = [];

  async acquire(): Promise<ShardLease> {
    this.acquired += 1;
    const committed = this;
    return {
      checkpoint: this.checkpoint,
      async commit(messages: readonly OutboundMessage[], checkpoint: Checkpoint) {
        const fault = committed.faults.shift();
        if (fault === 'fenced') throw new EnricherError('FENCED', 'a newer holder');
        if (fault !== 'lost') {
          committed.events.push(...eventIds(messages));
          committed.checkpoint = checkpoint;
        }
        if (fault) {
          committed.failedMessages.push({ messages, eventIds: eventIds(messages) });
          throw new Error('the broker went away');
        }
      },
      async release() {},
    };
  }
}

function reader(source: RecordSource, leases: ShardLeases, stallTimeoutMs = 5_000) {
  const metrics = new PrometheusMetrics();
  const shardReader = new ShardReader(SHARD, {
    source,
    leases,
    processor: new RecordProcessor({
      streamName: 's',
      eventsTopic: 'events',
      alertsTopic: 'alerts',
      deadLetterTopic: 'dlq',
      eventIndexTopic: 'index',
      origin: 'stream',
      maxRecordBytes: 100_000,
      maxEventBytes: 100_000,
      maxTextLength: 1_000,
    }),
    budget: new InFlightBudget(100),
    metrics,
    log,
    accessDenied: accessCheck,
    options: {
      startPosition: 'TRIM_HORIZON',
      maxRecordsPerCall: 100,
      idleMinMs: 1,
      idleMaxMs: 1,
      stallTimeoutMs,
      dedupWindowMs: 60_000,
      dedupMaxIds: 1_000,
    },
  });
  return { metrics, run: () => shardReader.run(new AbortController().signal) };
}

const ids = (count: number) => Array.from({ length: count }, (_, index) => `e${index}`);

describe('ShardReader', () => {
  it('publishes a closed shard page by page with its checkpoints, then marks it ended', async () => {
    const committed = new Committed();
    expect(await reader(new ClosedShard(ids(7), 3), committed).run()).toBe('ended');
    expect(committed.events).toEqual(ids(7));
    expect(committed.checkpoint).toEqual({ shardId: SHARD, sequenceNumber: '7', ended: true });
  });

  it('resumes from the committed checkpoint after a commit that did not land: nothing lost', async () => {
    const committed = new Committed();
    committed.faults = ['lost'];
    const { metrics, run } = reader(new ClosedShard(ids(7), 3), committed);
    expect(await run()).toBe('ended');
    expect(committed.events).toEqual(ids(7));
    expect(metrics.snapshot().reacquired).toBe(1);
    expect(committed.acquired).toBe(2);
  });

  it('resumes after a commit that landed though it reported failure: nothing published twice, all counted', async () => {
    const committed = new Committed();
    committed.faults = ['landed-but-failed'];
    const { metrics, run } = reader(new ClosedShard(ids(7), 3), committed);
    expect(await run()).toBe('ended');
    expect(committed.events).toEqual(ids(7));
    // The page that landed is counted once it is found committed, as the bench's outage waits for every event.
    expect(metrics.snapshot().eventsPublished).toBe(7);
  });

  it('never writes a later page over the messages of a failed commit, which may still be on their way', async () => {
    const committed = new Committed();
    committed.faults = ['lost', 'landed-but-failed'];
    expect(await reader(new ClosedShard(ids(12), 3), committed).run()).toBe('ended');
    expect(committed.events).toEqual(ids(12));
    expect(committed.failedMessages).toHaveLength(2);
    for (const failed of committed.failedMessages) {
      expect(eventIds(failed.messages)).toEqual(failed.eventIds);
    }
  });

  it('frees a page’s data once its commit returned, never after a failed commit, which may still be sending it', async () => {
    const committed = new Committed();
    committed.faults = ['lost', 'landed-but-failed'];
    const source = new ClosedShard(ids(12), 3);
    expect(await reader(source, committed).run()).toBe('ended');
    expect(source.pages).toEqual([
      { first: '1', released: false },
      { first: '1', released: false },
      { first: '4', released: true },
      { first: '7', released: true },
      { first: '10', released: true },
    ]);
  });

  it('stops without publishing more once fenced by a newer holder', async () => {
    const committed = new Committed();
    committed.faults = ['fenced'];
    const { metrics, run } = reader(new ClosedShard(ids(7), 3), committed);
    expect(await run()).toBe('fenced');
    expect(committed.events).toEqual([]);
    expect(metrics.snapshot().fenced).toBe(1);
  });

  it('notices a read that hangs, counts the stall, and recovers from the checkpoint', async () => {
    const committed = new Committed();
    const source = new ClosedShard(ids(7), 3);
    source.hangOnce = true;
    const { metrics, run } = reader(source, committed, 50);
    expect(await run()).toBe('ended');
    expect(metrics.snapshot().stalls).toBe(1);
    expect(committed.events).toEqual(ids(7));
  });

  it('drops an upstream duplicate in a later page, but not a page re-read after a lost commit', async () => {
    const committed = new Committed();
    committed.faults = ['lost'];
    const { metrics, run } = reader(new ClosedShard(['a', 'b', 'c', 'a', 'd', 'b'], 2), committed);
    expect(await run()).toBe('ended');
    expect(committed.events).toEqual(['a', 'b', 'c', 'd']);
    expect(metrics.snapshot().duplicatesDropped).toBe(2);
  });
});
