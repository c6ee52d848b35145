import { randomUUID } from 'node:crypto';
import { type Consumer, type IHeaders, Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';

export interface CollectedMessage {
  topic: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Everything published to some topics since they began, gathered by an independent consumer, so the tests judge
 * what a real subscriber would see.
 */
export class TopicCollector {
  readonly messages: CollectedMessage[] = [];
  private readonly kafka: Kafka;
  private readonly consumer: Consumer;

  private constructor(brokers: string) {
    this.kafka = new Kafka({ clientId: 'sarwatch-test', brokers: [brokers], logLevel: logLevel.NOTHING });
    // read_committed (kafkajs' default), as the subscribers exactly-once is promised to.
    this.consumer = this.kafka.consumer({ groupId: `sarwatch-test-${randomUUID()}` });
  }

  /** Collects from the test broker, or from `brokers` when a test runs its own. */
  static async start(topics: string[], brokers: string = inject('kafkaBrokers')): Promise<TopicCollector> {
    const collector = new TopicCollector(brokers);
    await collector.begin(topics);
    return collector;
  }

  private async begin(topics: string[]) {
    // The enricher creates its topics with their production settings; wait for them rather than pre-empt it.
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const existing = new Set(await admin.listTopics());
        if (topics.every((topic) => existing.has(topic))) break;
        if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} never appeared`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await admin.disconnect();
    }
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({
          topic,
          partition,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: stringHeaders(message.headers),
        });
      },
    });
  }

  on(topic: string): CollectedMessage[] {
    return this.messages.filter((message) => message.topic === topic);
  }

  /** Waits until the condition holds; fails with what was collected if it does not in time. */
  async waitFor(describe: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${describe}; collected ${this.messages.length} messages`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}
