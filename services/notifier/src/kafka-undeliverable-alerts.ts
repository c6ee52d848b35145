import type { Alert } from '@sarwatch/core';
import type { Delivery } from '@sarwatch/kafka';
import type { Producer } from 'kafkajs';
import type { UndeliverableAlerts } from './alert-notifier.js';

/** Dead-letters alerts to a Kafka topic, keyed like the alert, saying why and where it came from. */
export class KafkaUndeliverableAlerts implements UndeliverableAlerts {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async put(alert: Alert, delivery: Delivery, reason: string, attempts: number): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: alert.dedupKey,
          value: JSON.stringify(alert),
          headers: {
            'content-type': 'application/json',
            'sarwatch-reason': reason.slice(0, 1_000),
            'sarwatch-attempts': String(attempts),
            'sarwatch-source-topic': delivery.topic,
            'sarwatch-source-partition': String(delivery.partition),
            'sarwatch-source-offset': delivery.offset,
          },
        },
      ],
    });
  }
}
