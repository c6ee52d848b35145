import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, parseKafkaConnection } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';
import { CLI } from './support/enricher-process.js';

const brokers = () => inject('kafkaBrokers');
// Nothing listens on the discard port on a test machine: connections are refused at once.
const CLOSED = '127.0.0.1:9';

/** No stack trace for an expected condition: one line, naming the command. */
function expectOneLine(stderr: string, command: string, pattern: RegExp) {
  const text = stderr.trim();
  expect(text.split('\n')).toHaveLength(1);
  expect(text.startsWith(`sarwatch ${command}: `) || text.startsWith('sarwatch: ')).toBe(true);
  expect(text).toMatch(pattern);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
}

describe('the command line, as a user meets its errors', () => {
  let dir: string;
  const topic = `cli-errors-${Date.now()}`;
  // More output than a pipe holds (64 KiB): tail is still writing when head has gone, which is when it notices.
  const longTopic = `${topic}-long`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sarwatch-cli-errors-'));
    // Six messages in two transactions: the topic ends with transaction markers, as the enricher's topics do.
    const kafka = createKafka({
      connection: parseKafkaConnection({ KAFKA_BROKERS: brokers() }),
      clientId: 'cli-errors-test',
      log: createLogger({ name: 'cli-errors-test', level: 'silent', format: 'json' }),
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 2 },
        { topic: longTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const plain = kafka.producer();
    await plain.connect();
    const lines = Array.from({ length: 5_000 }, (_, n) => ({
      value: JSON.stringify({ n, pad: 'x'.repeat(40) }),
    }));
    await plain.send({ topic: longTopic, messages: lines });
    await plain.disconnect();
    const producer = kafka.producer({
      transactionalId: `${topic}-writer`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    for (const batch of [0, 1]) {
      const transaction = await producer.transaction();
      await transaction.send({
        topic,
        messages: [0, 1, 2].map((n) => ({
          key: `k${batch}${n}`,
          value: JSON.stringify({ n: batch * 3 + n }),
        })),
      });
      await transaction.commit();
    }
    await producer.disconnect();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  describe('tail', () => {
    it('reads to the end of what is there and stops (--until-end), transaction markers included', async () => {
      const run = await runSarwatch([
        'tail',
        topic,
        '--from-beginning',
        '--until-end',
        '--brokers',
        brokers(),
      ]);
      expect(run.code).toBe(0);
      const values = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).value.n);
      expect(values.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('stops after --max messages', async () => {
      const run = await runSarwatch([
        'tail',
        topic,
        '--from-beginning',
        '--max',
        '2',
        '--brokers',
        brokers(),
      ]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n')).toHaveLength(2);
    });

    it('ends quietly with 0 when its reader goes away (| head)', async () => {
      const pipeline = spawn(
        'bash',
        [
          '-c',
          `set -o pipefail; "${process.execPath}" "${CLI}" tail "${longTopic}" --from-beginning --brokers ${brokers()} | head -n 1`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      pipeline.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
      });
      pipeline.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk;
      });
      const code = await new Promise((resolve) => pipeline.once('close', resolve));
      expect(stdout.trim().split('\n')).toHaveLength(1);
      expect(stderr).toBe('');
      expect(code).toBe(0);
    });

    it('says a topic does not exist, in one line, exit 1', async () => {
      const run = await runSarwatch(['tail', 'no.such.topic', '--brokers', brokers()]);
      expect(run.code).toBe(1);
      expectOneLine(
        run.stderr,
        'tail',
        /no topic no\.such\.topic on this cluster at .*; the enricher creates its topics/,
      );
    });

    it('says no broker answers within seconds, exit 1', async () => {
      const started = Date.now();
      const run = await runSarwatch(['tail', '--brokers', CLOSED]);
      expect(run.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expectOneLine(run.stderr, 'tail', /cannot reach Kafka: 127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    });

    it('refuses a bad --max with a hint, exit 2', async () => {
      const run = await runSarwatch(['tail', '--max', 'lots']);
      expect(run.code).toBe(2);
      expectOneLine(
        run.stderr,
        'tail',
        /--max takes a whole number above 0, got lots; see 'sarwatch tail --help'/,
      );
    });
  });

  describe('feed', () => {
    it('a stream that does not exist: one line with the hint, exit 1', async () => {
      const run = await runSarwatch(['feed'], {
        KINESIS_STREAM_NAME: 'no-such-stream',
        KINESIS_ENDPOINT: inject('kinesisEndpoint'),
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        FEED_LIMIT: '50',
        FEED_RATE: '500',
      });
      expect(run.code).toBe(1);
      expectOneLine(
        run.stderr,
        'feed',
        /stream no-such-stream does not exist there; --create-stream creates it/,
      );
    });

    it('no AWS credentials at all: one line with the hint, exit 1', async () => {
      // Real AWS (no KINESIS_ENDPOINT), and nowhere to find credentials: no variables, no profile file, no instance
      // metadata. The credential chain fails before any request leaves the machine.
      const run = await runSarwatch(['feed'], {
        KINESIS_STREAM_NAME: 'any-stream',
        HOME: dir,
        AWS_EC2_METADATA_DISABLED: 'true',
        FEED_LIMIT: '50',
        FEED_RATE: '500',
      });
      expect(run.code).toBe(1);
      expectOneLine(
        run.stderr,
        'feed',
        /no AWS credentials were found; set AWS_PROFILE or AWS_ACCESS_KEY_ID/,
      );
    });
  });

  describe('sarwatch itself', () => {
    it('--version', async () => {
      const run = await runSarwatch(['--version']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^sarwatch \d+\.\d+\.\d+ \(Node\.js \d+\.\d+\.\d+\)\n$/);
    });

    it('help <command> prints that command’s help, with its exit codes', async () => {
      const run = await runSarwatch(['help', 'tail']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: sarwatch tail');
      expect(run.stdout).toContain('Exit codes:');
    });

    it('every command’s --help states its exit codes', async () => {
      for (const command of ['run', 'notify', 'local', 'feed', 'tail', 'classify', 'rules', 'infra']) {
        const run = await runSarwatch([command, '--help']);
        expect(run.code, command).toBe(0);
        expect(run.stdout, command).toMatch(/Exit codes: 0 /);
      }
    });

    it('an unknown command: one line with a hint, exit 2', async () => {
      const run = await runSarwatch(['tial']);
      expect(run.code).toBe(2);
      expectOneLine(
        run.stderr,
        '',
        /^sarwatch: unknown command 'tial'; run 'sarwatch --help' for the commands$/,
      );
    });

    it('infra plan without --role-arn names the missing option, exit 2', async () => {
      const run = await runSarwatch(['infra', 'plan']);
      expect(run.code).toBe(2);
      expectOneLine(run.stderr, 'infra', /--role-arn \(or SARWATCH_TARGET_ROLE_ARN\) is required/);
    });
  });

  describe('classify', () => {
    it('reads log files and arrays concatenated in any mix', async () => {
      const record = (id: string) => ({
        eventVersion: '1.09',
        userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/a', accountId: '111122223333' },
        eventTime: '2026-12-01T10:00:00Z',
        eventSource: 'serverlessrepo.amazonaws.com',
        eventName: 'ListApplications',
        awsRegion: 'us-east-1',
        sourceIPAddress: '52.94.133.131',
        eventID: id,
        recipientAccountId: '111122223333',
      });
      const file = join(dir, 'mixed.json');
      await writeFile(
        file,
        `${JSON.stringify({ Records: [record('a')] })}${JSON.stringify([record('b'), record('c')])}\n${JSON.stringify({ Records: [record('d')] })}`,
      );
      const run = await runSarwatch(['classify', file]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(
        run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line).eventId),
      ).toEqual(['a', 'b', 'c', 'd']);
    });

    it('says when the input held no record', async () => {
      const file = join(dir, 'empty.json');
      await writeFile(file, '{"Records":[]}');
      const run = await runSarwatch(['classify', file]);
      expect(run.code).toBe(0);
      expectOneLine(run.stderr, 'classify', /the input held no record/);
    });
  });

  describe('backfill and reconcile', () => {
    const trailEnv = () => ({ KAFKA_BROKERS: brokers(), KINESIS_STREAM_NAME: 'cli-errors' });

    it('lists every problem of the flags in one line, and exits 2', async () => {
      const run = await runSarwatch(
        [
          'backfill',
          '--from',
          'yesterday',
          '--to',
          '2026-12-01',
          '--accounts',
          '12,111122223333',
          '--settle',
          '1y',
        ],
        trailEnv(),
      );
      expect(run.code).toBe(2);
      expectOneLine(
        run.stderr,
        'backfill',
        /--bucket is required; --from must be an ISO 8601 date or time with a zone, got yesterday; --settle must be a duration.*; --accounts takes 12-digit account ids, got 12/,
      );
    });

    it('refuses a window that has not settled, before touching Kafka or S3', async () => {
      const now = new Date();
      const run = await runSarwatch(
        [
          'reconcile',
          '--bucket',
          'b',
          '--from',
          new Date(now.getTime() - 60_000).toISOString(),
          '--to',
          now.toISOString(),
        ],
        { KINESIS_STREAM_NAME: 'cli-errors', KAFKA_BROKERS: CLOSED },
      );
      expect(run.code).toBe(2);
      expectOneLine(
        run.stderr,
        'reconcile',
        /the window has not settled yet: trail files arrive up to 30m after their events/,
      );
    });

    it('says which topics are missing when the enricher never ran', async () => {
      const run = await runSarwatch(
        ['reconcile', '--bucket', 'b', '--from', '2026-11-01', '--to', '2026-11-02'],
        { ...trailEnv(), KAFKA_EVENT_INDEX_TOPIC: 'cli-errors-no-index' },
      );
      expect(run.code).toBe(1);
      expectOneLine(run.stderr, 'reconcile', /no topic cli-errors-no-index.* start `sarwatch run` once/);
    });
  });
});
