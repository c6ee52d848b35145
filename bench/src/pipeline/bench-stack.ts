import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  defaultCacheDir,
  ensureStream,
  type RunningProcess,
  startKafka,
  startKinesis,
} from '@sarwatch/devstack';
import { createKinesisClient } from '@sarwatch/runtime';

/** Ports of the bench's own broker and emulator: apart from `npm run local` and the tests, so all three can run. */
const KAFKA_PORT = 29_092;
const KINESIS_PORT = 24_567;

const quiet = { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} };

/** A broker and a Kinesis emulator on this machine, as the benchmark's figures assume: started here, stopped after. */
export class BenchStack {
  private constructor(
    readonly brokers: string,
    readonly kinesisEndpoint: string,
    readonly kinesis: KinesisClient,
    private readonly emulator: RunningProcess,
    private broker: RunningProcess | null,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<BenchStack> {
    const dataDir = await mkdtemp(join(tmpdir(), 'sarwatch-bench-'));
    let emulator: RunningProcess | undefined;
    try {
      emulator = await startKinesis({
        port: KINESIS_PORT,
        log: quiet,
        shardLimit: 1_000,
        transitionMs: 50,
      });
      const broker = await startBroker(dataDir);
      const endpoint = `http://${emulator.address}`;
      const kinesis = createKinesisClient({ region: 'us-east-1', endpoint });
      return new BenchStack(broker.address, endpoint, kinesis, emulator, broker, dataDir);
    } catch (error) {
      await emulator?.stop();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the broker, as an outage would; `startBroker` brings the same one back, with its topics and offsets. */
  async stopBroker(): Promise<void> {
    await this.broker?.stop();
    this.broker = null;
  }

  async startBroker(): Promise<void> {
    this.broker ??= await startBroker(this.dataDir);
  }

  createStream(streamName: string, shardCount: number): Promise<void> {
    return ensureStream({ client: this.kinesis, streamName, shardCount, log: quiet });
  }

  async stop(): Promise<void> {
    this.kinesis.destroy();
    await this.stopBroker();
    await this.emulator.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

const startBroker = (dataDir: string) =>
  startKafka({
    port: KAFKA_PORT,
    controllerPort: KAFKA_PORT + 1,
    dataDir: join(dataDir, 'kafka'),
    cacheDir: defaultCacheDir(),
    log: quiet,
  });
