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
    private readonly processes: RunningProcess[],
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<BenchStack> {
    const dataDir = await mkdtemp(join(tmpdir(), 'sarwatch-bench-'));
    const processes: RunningProcess[] = [];
    try {
      const emulator = await startKinesis({
        port: KINESIS_PORT,
        log: quiet,
        shardLimit: 1_000,
        transitionMs: 50,
      });
      processes.push(emulator);
      const broker = await startKafka({
        port: KAFKA_PORT,
        controllerPort: KAFKA_PORT + 1,
        dataDir: join(dataDir, 'kafka'),
        cacheDir: defaultCacheDir(),
        log: quiet,
      });
      processes.push(broker);
      const endpoint = `http://${emulator.address}`;
      const kinesis = createKinesisClient({ region: 'us-east-1', endpoint });
      return new BenchStack(broker.address, endpoint, kinesis, processes, dataDir);
    } catch (error) {
      for (const process of processes.reverse()) await process.stop();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  createStream(streamName: string, shardCount: number): Promise<void> {
    return ensureStream({ client: this.kinesis, streamName, shardCount, log: quiet });
  }

  async stop(): Promise<void> {
    this.kinesis.destroy();
    for (const process of this.processes.reverse()) await process.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
