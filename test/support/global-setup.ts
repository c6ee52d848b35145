import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DevstackLog,
  defaultCacheDir,
  KAFKA_3_VERSION,
  KAFKA_VERSION,
  startKafka,
  startKinesis,
} from '@sarwatch/devstack';
import type { TestProject } from 'vitest/node';
import { TEST_PORTS } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    kinesisEndpoint: string;
  }
}

const log: DevstackLog = {
  info: (fields, msg) => process.stderr.write(`[harness] ${msg} ${JSON.stringify(fields)}\n`),
  warn: (fields, msg) => process.stderr.write(`[harness] WARN ${msg} ${JSON.stringify(fields)}\n`),
};

/** The `kafka-3` project runs the delivery tests again on the Kafka 3 line many MSK clusters still run. */
const BROKERS = {
  integration: {
    version: KAFKA_VERSION,
    kafka: TEST_PORTS.kafka,
    controller: TEST_PORTS.kafkaController,
    kinesis: TEST_PORTS.kinesis,
  },
  'kafka-3': {
    version: KAFKA_3_VERSION,
    kafka: TEST_PORTS.kafka3,
    controller: TEST_PORTS.kafka3Controller,
    kinesis: TEST_PORTS.kinesisForKafka3,
  },
} as const;

/**
 * One real Kafka broker and one real Kinesis emulator for the whole run of a project, on test ports away from the
 * local defaults. A server already listening there (a developer's kept-up broker) is reused and left running.
 */
export default async function setup(project: TestProject) {
  const ports = BROKERS[project.name as keyof typeof BROKERS] ?? BROKERS.integration;
  const dataDir = await mkdtemp(join(tmpdir(), 'sarwatch-test-kafka-'));
  // Every test makes streams of its own and none deletes them: the account-wide shard limit must not be what a
  // late test (a split adds shards) runs into.
  const kinesis = await startKinesis({ port: ports.kinesis, log, shardLimit: 10_000 });
  const kafka = await startKafka({
    version: ports.version,
    port: ports.kafka,
    controllerPort: ports.controller,
    dataDir,
    cacheDir: defaultCacheDir(),
    log,
  }).catch(async (error: unknown) => {
    await kinesis.stop();
    throw error;
  });
  project.provide('kafkaBrokers', kafka.address);
  project.provide('kinesisEndpoint', `http://${kinesis.address}`);
  return async () => {
    await kafka.stop();
    await kinesis.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
