import type { Kafka, Producer } from 'kafkajs';
import type { EventSink, OutboundMessage } from '../ports.js';
import { createDurableProducer } from './kafka-client.js';

/** An idempotent producer with acks from all in-sync replicas: a resolved publish is durable. */
export class KafkaEventSink implements EventSink {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = createDurableProducer(kafka);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push({ key: message.key, value: toBuffer(message.value), headers: message.headers });
      byTopic.set(message.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

const toBuffer = (value: Uint8Array | string): Buffer =>
  typeof value === 'string'
    ? Buffer.from(value)
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
