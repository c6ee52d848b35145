import {
  ALERTS_TOPIC_V1,
  type Alert,
  AlertSchema,
  type EnrichedEvent,
  EnrichedEventSchema,
  EVENTS_TOPIC_V1,
} from '@sarwatch/core';
import { Backoff, type BackoffOptions, type Logger, sleep } from '@sarwatch/runtime';
import type { Consumer, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import { type AccessCheck, accessCheck } from './access-failure.js';
import { ResilientConsumer } from './resilient-consumer.js';

/** Where a message came from, and what a handler doing long work needs. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** Keeps this member in its group during long work (kafkajs heartbeats only between messages). */
  heartbeat(): Promise<void>;
  /** Aborts when the subscription stops: give up, and the message is delivered again after the restart. */
  signal: AbortSignal;
}

/** A message that is not JSON of the topic's contract. */
export interface InvalidMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  reason: string;
}

export interface SubscriptionOptions<T> {
  groupId: string;
  topic: string;
  schema: z.ZodType<T>;
  /** Resolving commits the message's offset; throwing retries it, with backoff, until it resolves. */
  handle(value: T, delivery: Delivery): Promise<void>;
  /**
   * Called for a message that is not valid; it is committed past once this resolves. By default it is logged and
   * skipped: a subscriber cannot fix a message, and holding its partition back forever would stop every later one.
   */
  onInvalid?(message: InvalidMessage): Promise<void>;
  /** Where a new group starts: the oldest message kept (true), or only new ones (false, the default). */
  fromBeginning?: boolean;
  retry?: BackoffOptions;
  /**
   * Decides which errors mean Kafka refused this client (authentication, TLS, authorization): the consumer is then
   * not restarted, and a handler failing that way is not retried. By default, those kafkajs and TLS report.
   */
  accessDenied?: AccessCheck;
}

const DEFAULT_RETRY: BackoffOptions = { initialMs: 200, maxMs: 30_000 };

/**
 * A consumer of one sarwatch topic that hands typed, validated values to a handler. It reads committed
 * transactions only (the enricher publishes in transactions), and commits a message's offset only after the
 * handler succeeded, so a crash or restart delivers again whatever was not handled: at least once, in order per
 * partition.
 */
export class Subscription<T> {
  private readonly consumer: ResilientConsumer;
  private readonly stopping = new AbortController();

  constructor(
    kafka: Kafka,
    private readonly options: SubscriptionOptions<T>,
    private readonly log: Logger,
  ) {
    this.consumer = new ResilientConsumer(
      () =>
        kafka.consumer({ groupId: options.groupId, readUncommitted: false, allowAutoTopicCreation: false }),
      (consumer) => this.run(consumer),
      log,
      `${options.topic} subscription`,
      options.accessDenied,
    );
  }

  /**
   * Resolves once connected and subscribed; messages flow as soon as the group is joined. Rejects while the topic does
   * not exist (topics are never created by a subscriber): call again later. A stopped subscription stays stopped.
   */
  start(): Promise<void> {
    return this.consumer.start();
  }

  /** Lets the message in hand finish or give up, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.stop();
  }

  /** Set while kafkajs has given up on the consumer and it is being started again; for health checks. */
  get failure(): Error | null {
    return this.consumer.failure;
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({
      topic: this.options.topic,
      fromBeginning: this.options.fromBeginning ?? false,
    });
    await consumer.run({ autoCommit: false, eachMessage: (payload) => this.deliver(consumer, payload) });
  }

  private async deliver(consumer: Consumer, { topic, partition, message, heartbeat }: EachMessagePayload) {
    const delivery: Delivery = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers: headerText(message),
      heartbeat,
      signal: this.stopping.signal,
    };
    const parsed = this.parse(message);
    if (parsed.ok) {
      await this.handleUntilDone(parsed.value, delivery);
    } else {
      const invalid: InvalidMessage = {
        topic,
        partition,
        offset: message.offset,
        key: delivery.key,
        value: message.value,
        reason: parsed.reason,
      };
      await (this.options.onInvalid ? this.options.onInvalid(invalid) : this.skip(invalid));
    }
    await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
  }

  private async handleUntilDone(value: T, delivery: Delivery): Promise<void> {
    const backoff = new Backoff(this.options.retry ?? DEFAULT_RETRY);
    for (;;) {
      try {
        await this.options.handle(value, delivery);
        return;
      } catch (error) {
        // Not committed: leaving now hands the message to whoever holds the partition next, this member or another.
        if (this.stopping.signal.aborted) throw error;
        if ((this.options.accessDenied ?? accessCheck)(error)) throw error;
        const retryInMs = backoff.next();
        this.log.warn(
          {
            err: error,
            topic: delivery.topic,
            partition: delivery.partition,
            offset: delivery.offset,
            retryInMs,
          },
          'handler failed; trying the message again',
        );
        await sleep(retryInMs, this.stopping.signal);
        // Throws when the group is rebalancing: the partition may be someone else's now, so let go of it.
        await delivery.heartbeat();
      }
    }
  }

  private parse(message: KafkaMessage): { ok: true; value: T } | { ok: false; reason: string } {
    if (message.value === null) return { ok: false, reason: 'the message has no value' };
    let json: unknown;
    try {
      json = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: `not JSON: ${(error as Error).message}` };
    }
    const result = this.options.schema.safeParse(json);
    if (result.success) return { ok: true, value: result.data };
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`,
    );
    return { ok: false, reason: `not a valid ${this.options.topic} message: ${problems.join('; ')}` };
  }

  private async skip(invalid: InvalidMessage): Promise<void> {
    const { value: _value, ...where } = invalid;
    this.log.error(where, 'skipped a message that is not valid');
  }
}

function headerText(message: KafkaMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return headers;
}

type TopicOptions<T> = Omit<SubscriptionOptions<T>, 'schema' | 'topic'> & { topic?: string };

/** Enriched events (`sarwatch.events.v1` unless `topic` says otherwise), validated against the contract. */
export const subscribeToEvents = (kafka: Kafka, options: TopicOptions<EnrichedEvent>, log: Logger) =>
  new Subscription(kafka, { topic: EVENTS_TOPIC_V1, schema: EnrichedEventSchema, ...options }, log);

/** Alerts (`sarwatch.alerts.v1` unless `topic` says otherwise), validated against the contract. */
export const subscribeToAlerts = (kafka: Kafka, options: TopicOptions<Alert>, log: Logger) =>
  new Subscription(kafka, { topic: ALERTS_TOPIC_V1, schema: AlertSchema, ...options }, log);
