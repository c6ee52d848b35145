import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createEventGenerator, type GeneratedRecord, KinesisFeeder } from '@sarwatch/feeder';
import { keyedByAccount } from './kinesis-fixture.js';

type GeneratedEvent = Extract<GeneratedRecord, { kind: 'event' }>;

const quiet = { info: () => {}, warn: () => {} };

/**
 * Well-formed events put into a stream at a steady rate until stopped, remembered in the order they were put:
 * what a fault test compares the topic with.
 */
export class Load {
  readonly events: GeneratedEvent[] = [];
  private readonly stopper = new AbortController();
  private readonly running: Promise<unknown>;

  constructor(
    kinesis: KinesisClient,
    streamName: string,
    ratePerSecond: number,
    seed: number,
    limit?: number,
  ) {
    const generator = createEventGenerator({ seed, malformedRatio: 0 });
    const feeder = new KinesisFeeder(
      kinesis,
      () => {
        const event = keyedByAccount(generator.next());
        this.events.push(event);
        return event;
      },
      { streamName, ratePerSecond, ...(limit === undefined ? {} : { limit }) },
      quiet,
    );
    this.running = feeder.run(this.stopper.signal);
  }

  /** Resolves once every event generated so far is stored in the stream. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }
}
