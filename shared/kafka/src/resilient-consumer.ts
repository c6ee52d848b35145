import type { Logger } from '@sarwatch/runtime';
import type { Consumer } from 'kafkajs';
import { type AccessCheck, accessCheck } from './access-failure.js';

const RESTART_DELAY_MS = 5_000;

/**
 * A kafkajs consumer that is started again when kafkajs gives up on it. kafkajs restarts a crashed consumer only
 * after errors it deems retriable, and a broker restart can end one with others; the process would then sit with
 * a dead consumer. `failure` holds the error while the consumer is down, for /healthz. A consumer refused access
 * (`accessDenied`) is not started again: the same credentials would be refused again.
 */
export class ResilientConsumer {
  private consumer: Consumer;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  failure: Error | null = null;

  constructor(
    private readonly create: () => Consumer,
    private readonly run: (consumer: Consumer) => Promise<void>,
    private readonly log: Logger,
    private readonly name: string,
    private readonly accessDenied: AccessCheck = accessCheck,
  ) {
    this.consumer = this.attach(create());
  }

  start(): Promise<void> {
    return this.run(this.consumer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.consumer.disconnect();
  }

  private attach(consumer: Consumer): Consumer {
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.failure = payload.error;
      const denied = this.accessDenied(payload.error);
      if (denied) {
        this.log.error({ reason: denied.message }, `the ${this.name} was refused access to Kafka`);
        return;
      }
      this.log.error({ err: payload.error }, `the ${this.name} stopped; starting it again`);
      this.restartSoon();
    });
    return consumer;
  }

  private restartSoon(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.consumer = this.attach(this.create());
      this.start().then(
        () => {
          this.failure = null;
        },
        (error: unknown) => {
          this.log.warn({ err: error }, `the ${this.name} could not start again; retrying`);
          this.restartSoon();
        },
      );
    }, RESTART_DELAY_MS);
  }
}
