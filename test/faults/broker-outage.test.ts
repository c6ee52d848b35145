import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, type RunningProcess, startKafka, startKinesis } from '@sarwatch/devstack';
import { createKinesisClient } from '@sarwatch/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enricherEnv, isolatedNames } from '../support/enricher-process.js';
import { createStream } from '../support/kinesis-fixture.js';
import { Load } from '../support/load.js';
import { outcomeOf, report } from '../support/outcome.js';
import { pipelineFixture, settle } from '../support/pipeline-fixture.js';
import { TEST_PORTS } from '../support/ports.js';
import { RssSampler } from '../support/rss-sampler.js';

const quiet = { info: () => {}, warn: () => {} };
/**
 * The enricher runs at about 125 MiB and peaks at 130 to 300 MiB while it catches up on a backlog: pages of at most
 * 2,000 records and 10,000 in flight, whatever the backlog's size, so a longer outage does not raise the peak.
 */
const MEMORY_BOUND_MIB = 400;

let broker: RunningProcess;
let dataDir: string;
const startBroker = () =>
  startKafka({
    port: TEST_PORTS.faultKafka,
    controllerPort: TEST_PORTS.faultKafkaController,
    dataDir,
    cacheDir: defaultCacheDir(),
    log: quiet,
  });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sarwatch-outage-kafka-'));
  broker = await startBroker();
}, 120_000);

afterAll(async () => {
  await broker?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('fault: the Kafka broker goes away under load', () => {
  const fixture = pipelineFixture();

  async function outage(name: string, outageMs: number, kinesisEndpoint: string) {
    const names = isolatedNames(name);
    const kinesis = createKinesisClient({ region: 'us-east-1', endpoint: kinesisEndpoint });
    try {
      await createStream(kinesis, names.stream, 2);
      const enricher = fixture.enricher(names, {
        ...enricherEnv(names),
        KAFKA_BROKERS: broker.address,
        KINESIS_ENDPOINT: kinesisEndpoint,
      });
      const memory = new RssSampler(enricher.child.pid ?? 0);
      const load = new Load(kinesis, names.stream, 200, 23);
      const before = await fixture.collect([names.eventsTopic], broker.address);
      await before.waitFor(
        'a steady flow before the outage',
        () => before.on(names.eventsTopic).length >= 400,
      );
      await before.stop();
      const peakBeforeMiB = memory.peakMiB;

      await broker.stop();
      await settle(outageMs);
      broker = await startBroker();
      const backAt = Date.now();
      await settle(5_000);
      await load.stop();

      const after = await fixture.collect([names.eventsTopic], broker.address);
      const delivered = () =>
        new Set(after.on(names.eventsTopic).map((m) => JSON.parse(String(m.value)).eventId));
      await after.waitFor(
        'every event after the outage',
        () => delivered().size >= load.events.length,
        120_000,
      );
      const recoveredMs = Date.now() - backAt;
      await settle(3_000);
      memory.stop();

      const outcome = outcomeOf(load.events, after.on(names.eventsTopic));
      report(name, outcome, {
        'outage ms': outageMs,
        'caught up ms after the broker returned': recoveredMs,
        'peak RSS MiB before the outage': peakBeforeMiB,
        'peak RSS MiB': memory.peakMiB,
      });
      expect(enricher.child.exitCode).toBeNull();
      expect(outcome).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0 });
      expect(memory.peakMiB).toBeLessThan(MEMORY_BOUND_MIB);
    } finally {
      kinesis.destroy();
    }
  }

  it('for 60 s: reading pauses, nothing is lost or published twice, memory stays bounded', async () => {
    await outage('outage-60s', 60_000, inject('kinesisEndpoint'));
  }, 240_000);

  it('for longer than a shard iterator lives: iterators are taken again from the checkpoint', async () => {
    // Iterators here expire after 10 s (our kinesalite launcher's test option) instead of Kinesis's 5 minutes.
    const kinesisWithShortIterators = await startKinesis({
      port: TEST_PORTS.faultKinesis,
      iteratorTtlMs: 10_000,
      log: quiet,
    });
    try {
      await outage('outage-past-iterator-ttl', 25_000, `http://${kinesisWithShortIterators.address}`);
    } finally {
      await kinesisWithShortIterators.stop();
    }
  }, 240_000);
});
