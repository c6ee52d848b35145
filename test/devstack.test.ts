import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import {
  type DevstackLog,
  defaultCacheDir,
  ensureStream,
  ensureTopics,
  isPortOpen,
  type RunningProcess,
  startKafka,
  startKinesis,
} from '@sarwatch/devstack';
import { createKinesisClient } from '@sarwatch/runtime';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';

// Ports away from the defaults so a developer's running `sarwatch local` is neither reused nor disturbed.
const KAFKA_PORT = 19392;
const KAFKA_CONTROLLER_PORT = 19393;
const KINESIS_PORT = 14667;

const lines: string[] = [];
const log: DevstackLog = {
  info: (obj, msg) => lines.push(`INFO ${msg} ${JSON.stringify(obj)}`),
  warn: (obj, msg) => lines.push(`WARN ${msg} ${JSON.stringify(obj)}`),
};

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  if (process.env.DEVSTACK_TEST_VERBOSE) console.log(lines.join('\n'));
});

function externalIpv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((nic) => nic?.family === 'IPv4' && !nic.internal)?.address;
}

async function roundTrip(address: string, topic: string, value: string): Promise<string> {
  const kafka = new Kafka({ clientId: 'devstack-test', brokers: [address], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'k', value }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `devstack-test-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received = new Promise<string>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => resolve(message.value?.toString('utf8') ?? ''),
    });
  });
  try {
    return await received;
  } finally {
    await consumer.disconnect();
  }
}

describe('devstack', () => {
  it('runs a Kafka broker that survives a stop and restart on the same data dir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'devstack-kafka-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const options = {
      port: KAFKA_PORT,
      controllerPort: KAFKA_CONTROLLER_PORT,
      dataDir,
      cacheDir: defaultCacheDir(),
      log,
    };

    let broker: RunningProcess = await startKafka(options);
    cleanups.push(() => broker.stop());
    expect(broker).toMatchObject({ name: 'kafka', address: `127.0.0.1:${KAFKA_PORT}`, reused: false });

    const topic = `devstack-test-${randomUUID()}`;
    const topics = [{ topic, numPartitions: 2 }];
    await ensureTopics({ brokers: [broker.address], topics, log });
    await ensureTopics({ brokers: [broker.address], topics, log });
    expect(await roundTrip(broker.address, topic, 'hello')).toBe('hello');

    // A dead-letter record carries the original Kinesis record, which may be close to 10 MB.
    const producer = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: Buffer.alloc(9 * 1024 * 1024, 'x') }] });
    await producer.disconnect();

    await broker.stop();
    await broker.stop();
    expect(await isPortOpen(KAFKA_PORT)).toBe(false);
    expect(await isPortOpen(KAFKA_CONTROLLER_PORT)).toBe(false);

    broker = await startKafka(options);
    const admin = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain(topic);
    await admin.disconnect();

    await broker.stop();
    expect(await isPortOpen(KAFKA_PORT)).toBe(false);
    expect(await isPortOpen(KAFKA_CONTROLLER_PORT)).toBe(false);
  }, 180_000);

  it('runs a Kinesis emulator on loopback only, reusing one already listening', async () => {
    const emulator = await startKinesis({ port: KINESIS_PORT, log });
    cleanups.push(() => emulator.stop());
    expect(emulator).toMatchObject({ name: 'kinesis', reused: false });

    const again = await startKinesis({ port: KINESIS_PORT, log });
    expect(again.reused).toBe(true);
    await again.stop();
    expect(await isPortOpen(KINESIS_PORT)).toBe(true);

    const external = externalIpv4();
    if (external) expect(await isPortOpen(KINESIS_PORT, external)).toBe(false);

    const client = createKinesisClient({ region: 'us-east-1', endpoint: `http://${emulator.address}` });
    cleanups.push(async () => client.destroy());
    const streamName = `devstack-test-${randomUUID()}`;
    await ensureStream({ client, streamName, shardCount: 2, log });
    await ensureStream({ client, streamName, shardCount: 2, log });

    const put = await client.send(
      new PutRecordCommand({ StreamName: streamName, PartitionKey: 'pk', Data: Buffer.from('record-1') }),
    );
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: put.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await client.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records?.map((record) => Buffer.from(record.Data ?? []).toString('utf8'))).toEqual(['record-1']);

    await emulator.stop();
    expect(await isPortOpen(KINESIS_PORT)).toBe(false);
  }, 60_000);
});
