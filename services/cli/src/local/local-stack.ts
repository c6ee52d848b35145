import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALERTS_TOPIC_V1, AlertSchema, type RuleState } from '@sarwatch/core';
import {
  createBrokerKeystore,
  createCertificateAuthority,
  defaultCacheDir,
  defaultChildProcesses,
  describeExit,
  ensureStream,
  type RunningProcess,
  startKafka,
  startKinesis,
  terminate,
} from '@sarwatch/devstack';
import { type BusCounts, createEventGenerator, KinesisFeeder } from '@sarwatch/feeder';
import { type KafkaConnection, parseKafkaConnection } from '@sarwatch/kafka';
import {
  createKinesisClient,
  type Logger,
  SARWATCH_ALLOCATOR_ENV,
  SARWATCH_NODE_FLAGS,
  sleep,
} from '@sarwatch/runtime';
import { LOCAL_OTHER_SERVICE_RATIO, localSarRule } from '../infra/sar-rule.js';
import { followTopics } from '../kafka/topic-follower.js';
import { lockDataFolder, type PortClaim, refuseTakenPorts } from './local-guard.js';

export interface LocalStackOptions {
  streamName: string;
  shards: number;
  rate: number;
  malformedRatio: number;
  /** The state of the rule the local EventBridge applies: under ENABLED, read-only calls stay out of the stream. */
  ruleState: RuleState;
  kafkaPort: number;
  kinesisPort: number;
  /**
   * Set to use a running broker instead of starting one: the connection from KAFKA_BROKERS and the other Kafka
   * variables, which the enricher inherits.
   */
  externalKafka: KafkaConnection | undefined;
  /** Set to use a running emulator instead of starting one (KINESIS_ENDPOINT). */
  externalKinesis: string | undefined;
  /** Start the broker with a SASL_SSL listener (TLS, SCRAM-SHA-512) and connect everything through it. */
  secure: boolean;
  /** The enricher's METRICS_PORT; 0 lets it pick a free one. */
  metricsPort: number;
  /** The `sarwatch` executable, to start the enricher exactly as production does: `sarwatch run`. */
  cliPath: string;
}

const EVENTS_TOPIC = 'sarwatch.events.v1';
const DLQ_TOPIC = 'sarwatch.dlq.v1';
const ALERTS_TOPIC = ALERTS_TOPIC_V1;
const REPORT_EVERY_MS = 10_000;

/** Exit codes of `sarwatch local`, as its --help states them. */
export const EXIT_STOPPED = 0;
export const EXIT_COMPONENT_FAILED = 1;

/**
 * The whole pipeline on this machine: emulator, broker, enricher (a child process running `sarwatch run`) and a
 * feeder, plus a running count of what comes out. Resolves, once everything it started is gone, with
 * EXIT_STOPPED when `stop` aborted, or EXIT_COMPONENT_FAILED when one of its processes ended by itself.
 * Throws LocalStackRefused, before starting anything, when its ports or data folder are another stack's.
 */
export async function runLocalStack(
  options: LocalStackOptions,
  log: Logger,
  stop: AbortSignal,
): Promise<number> {
  const startedAt = Date.now();
  const started: RunningProcess[] = [];
  const failed = new AbortController();
  const running = AbortSignal.any([stop, failed.signal]);
  // A process that ends on its own ends the stack: counting on without it would only print zeros.
  const watch = (name: string, exited: Promise<string>) =>
    void exited.then((how) => {
      if (running.aborted) return;
      log.error({ name, how }, `${name} ended by itself (${how}); stopping the local stack`);
      failed.abort();
    });
  let enricher: ChildProcess | undefined;
  let feeding: Promise<unknown> = Promise.resolve();
  let stopFollowing: () => Promise<void> = async () => {};
  const folder = localFolder(options.kafkaPort);
  // Before anything starts: a broken pattern file, a taken port or folder is the user's to fix, with nothing to
  // clean up.
  const bus = localSarRule(options.ruleState);
  await refuseTakenPorts(portClaims(options));
  const lock = await lockDataFolder(folder);
  try {
    const kinesis = options.externalKinesis
      ? { endpoint: options.externalKinesis }
      : await startKinesis({ port: options.kinesisPort, log }).then((emulator) => {
          started.push(emulator);
          watch('the Kinesis emulator', emulator.exited);
          return { endpoint: `http://${emulator.address}` };
        });
    const kafka = options.externalKafka
      ? { connection: options.externalKafka, env: {} }
      : await startLocalKafka(options, folder, log, started);
    for (const process of started) if (process.name === 'kafka') watch('the Kafka broker', process.exited);
    const brokers = kafka.connection.brokers.join(',');
    if (stop.aborted) return EXIT_STOPPED;

    const client = createKinesisClient({ region: 'us-east-1', endpoint: kinesis.endpoint });
    await ensureStream({ client, streamName: options.streamName, shardCount: options.shards, log });

    const enricherProcess = startEnricher(options, kinesis.endpoint, kafka.env);
    enricher = enricherProcess;
    watch(
      'the enricher',
      once(enricherProcess, 'exit').then(() => describeExit(enricherProcess)),
    );
    const counts: Counts = { events: 0, deadLetters: 0, alerts: 0, firstEventAfterMs: 0 };
    stopFollowing = await followUntilReady(kafka.connection, counts, startedAt, log, running);

    const generator = createEventGenerator({
      seed: Date.now(),
      malformedRatio: options.malformedRatio,
      otherServiceRatio: LOCAL_OTHER_SERVICE_RATIO,
    });
    const feeder = new KinesisFeeder(
      client,
      () => bus.route(generator.next()),
      { streamName: options.streamName, ratePerSecond: options.rate },
      log,
    );
    feeding = feeder.run(running).finally(() => client.destroy());
    printWhereThingsRun(options, kinesis.endpoint, brokers, kafka.env, enricher.pid);
    await reportUntilStopped(counts, bus.counts, log, running);
    return failed.signal.aborted ? EXIT_COMPONENT_FAILED : EXIT_STOPPED;
  } finally {
    log.info('stopping the local stack');
    await feeding;
    // Watching is a convenience: never let it hold up stopping the things that matter.
    await Promise.race([
      stopFollowing().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 3_000)),
    ]);
    // Its own shutdown deadline is 9 s; past that, terminate() kills it.
    if (enricher) await terminate(enricher);
    for (const process of started.reverse()) await process.stop();
    await lock.release();
  }
}

/** Each broker port has a folder of its own, so stacks on other ports never touch each other's data. */
const localFolder = (kafkaPort: number) => join(defaultCacheDir(), 'local', String(kafkaPort));

function portClaims(options: LocalStackOptions): PortClaim[] {
  const claims: PortClaim[] = [];
  if (!options.externalKinesis) claims.push({ port: options.kinesisPort, purpose: 'the Kinesis emulator' });
  if (!options.externalKafka) {
    claims.push(
      { port: options.kafkaPort, purpose: 'Kafka' },
      { port: options.kafkaPort + 1, purpose: 'the Kafka controller' },
    );
    if (options.secure) claims.push({ port: options.kafkaPort + 2, purpose: 'Kafka over TLS and SCRAM' });
  }
  if (options.metricsPort !== 0)
    claims.push({ port: options.metricsPort, purpose: "the enricher's metrics" });
  return claims;
}

interface LocalKafka {
  connection: KafkaConnection;
  /** The Kafka variables the enricher (and a user's `sarwatch tail`) needs to reach it. */
  env: Record<string, string>;
}

const LOCAL_SCRAM_USER = 'sarwatch';

async function startLocalKafka(
  options: LocalStackOptions,
  folder: string,
  log: Logger,
  started: RunningProcess[],
): Promise<LocalKafka> {
  // The emulator keeps streams in memory, so checkpoints from an earlier run would point at records that no
  // longer exist: each local run starts with an empty broker. The folder is this stack's alone (its lock).
  const dataDir = join(folder, 'kafka');
  await rm(dataDir, { recursive: true, force: true });
  const port = options.kafkaPort;
  const secure = options.secure ? await secureListener(join(folder, 'tls'), port + 2) : undefined;
  const broker = await startKafka({
    port,
    controllerPort: port + 1,
    dataDir,
    cacheDir: defaultCacheDir(),
    log,
    ...(secure && { secure: secure.listener }),
  });
  started.push(broker);
  const env = secure?.env ?? { KAFKA_BROKERS: broker.address };
  return { connection: parseKafkaConnection(env), env };
}

/** A fresh CA, broker certificate and SCRAM password for each secure run, kept in the git-ignored cache. */
async function secureListener(dir: string, scramPort: number) {
  await rm(dir, { recursive: true, force: true });
  const ca = await createCertificateAuthority(dir);
  const keystore = await createBrokerKeystore(dir, ca);
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(dir, 'kafka-password');
  await writeFile(passwordFile, password, { mode: 0o600 });
  return {
    listener: { scramPort, keystore, scramUsers: [{ name: LOCAL_SCRAM_USER, password }] },
    env: {
      KAFKA_BROKERS: `127.0.0.1:${scramPort}`,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: ca.certFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: LOCAL_SCRAM_USER,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    },
  };
}

function startEnricher(
  options: LocalStackOptions,
  kinesisEndpoint: string,
  kafkaEnv: Record<string, string>,
): ChildProcess {
  const child = spawn(process.execPath, [...SARWATCH_NODE_FLAGS, options.cliPath, 'run'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      ...SARWATCH_ALLOCATOR_ENV,
      KINESIS_STREAM_NAME: options.streamName,
      METRICS_PORT: String(options.metricsPort),
      KINESIS_ENDPOINT: kinesisEndpoint,
      ...kafkaEnv,
      KINESIS_START_POSITION: 'TRIM_HORIZON',
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  defaultChildProcesses.track(child);
  return child;
}

interface Counts {
  events: number;
  deadLetters: number;
  alerts: number;
  firstEventAfterMs: number;
}

async function followUntilReady(
  connection: KafkaConnection,
  counts: Counts,
  startedAt: number,
  log: Logger,
  stop: AbortSignal,
): Promise<() => Promise<void>> {
  // The enricher creates the topics; follow them once they exist.
  for (;;) {
    try {
      const follower = await followTopics({
        connection,
        topics: [EVENTS_TOPIC, DLQ_TOPIC, ALERTS_TOPIC],
        fromBeginning: true,
        onMessage: (topic, message) => {
          if (topic === DLQ_TOPIC) counts.deadLetters += 1;
          else if (topic === ALERTS_TOPIC) {
            counts.alerts += 1;
            printAlert(message.value, log);
          } else if (++counts.events === 1) {
            counts.firstEventAfterMs = Date.now() - startedAt;
            log.info({ seconds: counts.firstEventAfterMs / 1000 }, `first enriched event on ${EVENTS_TOPIC}`);
          }
        },
      });
      return () => follower.stop();
    } catch (error) {
      if (stop.aborted) return async () => {};
      log.debug({ err: error }, 'topics not there yet');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** One line per alert as it arrives, the way an on-call channel would show it. */
function printAlert(value: Buffer | null, log: Logger): void {
  const parsed = AlertSchema.safeParse(JSON.parse(value?.toString('utf8') ?? 'null'));
  if (!parsed.success) {
    log.warn({ topic: ALERTS_TOPIC }, 'a message on the alerts topic is not an alert');
    return;
  }
  const alert = parsed.data;
  log.info({ rule: alert.ruleId }, `ALERT ${alert.severity.toUpperCase()} ${alert.title}: ${alert.summary}`);
}

async function reportUntilStopped(
  counts: Counts,
  bus: Readonly<BusCounts>,
  log: Logger,
  stop: AbortSignal,
): Promise<void> {
  let previous = 0;
  while (!stop.aborted) {
    await sleep(REPORT_EVERY_MS, stop);
    const rate = ((counts.events - previous) * 1000) / REPORT_EVERY_MS;
    previous = counts.events;
    log.info(
      {
        enriched: counts.events,
        deadLettered: counts.deadLetters,
        alerts: counts.alerts,
        eventsPerSecond: rate,
        eventBridge: {
          delivered: bus.delivered,
          keptOut: {
            otherServices: bus['pattern-not-matched'],
            readOnlyUnderWriteOnlyRule: bus['read-only-under-write-only-rule'],
            ruleDisabled: bus['rule-disabled'],
          },
          malformedInjected: bus.injected,
        },
      },
      'pipeline',
    );
  }
}

function printWhereThingsRun(
  options: LocalStackOptions,
  kinesis: string,
  brokers: string,
  kafkaEnv: Record<string, string>,
  enricherPid?: number,
) {
  // A secure run needs its settings on the watching commands too; a plain one needs none.
  const settings = kafkaEnv.KAFKA_SSL
    ? `${Object.entries(kafkaEnv)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')} `
    : '';
  const lines = [
    '',
    'sarwatch local is running',
    `  Kinesis API   ${kinesis}   stream ${options.streamName} (${options.shards} shards)`,
    `  Kafka         ${brokers}   topics ${EVENTS_TOPIC}, ${ALERTS_TOPIC}, ${DLQ_TOPIC}, sarwatch.event-index.v1, sarwatch.checkpoints.v1`,
    `  alerts        the SAR rule pack (infra/alerts/sar-rules.json); each alert is printed as it arrives`,
    `  enricher      sarwatch run, pid ${enricherPid ?? '?'}; metrics http://127.0.0.1:${options.metricsPort}/metrics`,
    `  EventBridge   rule ${options.ruleState}, pattern infra/eventbridge/sar-cloudtrail-pattern.json, key $.account`,
    `  feeder        ${options.rate} calls/s (${LOCAL_OTHER_SERVICE_RATIO * 100}% to other services), about ${Math.round(options.malformedRatio * 100)}% malformed on purpose`,
    '',
    'Watch the topics (any Kafka client works):',
    `  ${settings}npx sarwatch tail ${EVENTS_TOPIC}`,
    `  ${settings}npx sarwatch tail ${ALERTS_TOPIC}`,
    `  ${settings}npx sarwatch tail ${DLQ_TOPIC} --headers`,
    settings
      ? '  (kcat: only on librdkafka 2.6.1 or later; older ones fail SCRAM against Kafka 4, librdkafka#4895)'
      : `  kcat -b ${brokers} -t ${EVENTS_TOPIC} -C -o beginning`,
    '',
    'Ctrl-C stops everything started here.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
