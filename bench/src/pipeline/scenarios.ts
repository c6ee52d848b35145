import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, parseKafkaConnection } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import type { BenchStack } from './bench-stack.js';
import { benchTopics, EnricherUnderBench } from './enricher-process.js';
import { benchRecords, prefill, putAtRate } from './put-events.js';

const POLL_MS = 250;
const SHARDS = 8;

async function until(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs: number,
  onPoll?: () => void,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    onPoll?.();
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function startEnricher(stack: BenchStack, name: string, shards = SHARDS) {
  const topics = benchTopics(`${name}-${randomUUID().slice(0, 6)}`);
  await stack.createStream(topics.stream, shards);
  const enricher = EnricherUnderBench.start(stack.brokers, stack.kinesisEndpoint, topics);
  return { enricher, topics };
}

/** Where the measured span of a drain begins. */
interface FirstCommit {
  at: number;
  cpu: number;
  committed: number;
  errors: number;
}

export interface DrainResult {
  events: number;
  shards: number;
  prefillSeconds: number;
  drainSeconds: number;
  eventsPerSecond: number;
  alerts: number;
  cpuSeconds: number;
  cpuMicrosPerEvent: number;
  eventsPerCpuSecond: number;
  peakRssMiB: number;
  deadLetters: number;
  /** Error log lines once events flowed; those of start-up (Kafka still electing coordinators) are apart. */
  errorLines: number;
  startupErrorLines: number;
  errorMessages: string[];
}

/**
 * A stream pre-filled with `events` over 8 shards, drained by one enricher into the broker (transactions, acks from
 * all replicas, the SAR rule pack on). Timed from the first committed event to the last, so start-up is not counted;
 * CPU is the enricher's own over the same span. With `skipEnrichment`, the same drain publishes the records as
 * read: what the Kinesis reading and Kafka producing libraries cost alone.
 */
export async function drainPrefilledStream(
  stack: BenchStack,
  events: number,
  { profileDir, skipEnrichment = false }: { profileDir?: string; skipEnrichment?: boolean } = {},
): Promise<DrainResult> {
  const topics = benchTopics(`bench-drain-${randomUUID().slice(0, 6)}`);
  await stack.createStream(topics.stream, SHARDS);
  const prefillSeconds = await prefill(stack.kinesis, topics.stream, benchRecords(events, 8));
  const enricher = EnricherUnderBench.start(
    stack.brokers,
    stack.kinesisEndpoint,
    topics,
    profileDir,
    skipEnrichment,
  );
  try {
    let first: FirstCommit | null = null;
    let committed = { events: 0, deadLetters: 0, alerts: 0 };
    await until(
      `${events} events committed`,
      async () => {
        committed = await enricher.committed();
        const total = committed.events + committed.deadLetters;
        if (first === null && total > 0) {
          first = {
            at: performance.now(),
            cpu: enricher.cpuSeconds(),
            committed: total,
            errors: enricher.errors,
          };
        }
        return total >= events;
      },
      30 * 60_000,
      () => enricher.rssBytes(),
    );
    const start = first as FirstCommit | null;
    if (!start) throw new Error('unreachable: the loop ends after the first commit');
    const drainSeconds = (performance.now() - start.at) / 1000;
    const cpuSeconds = enricher.cpuSeconds() - start.cpu;
    const counted = events - start.committed;
    return {
      events,
      shards: SHARDS,
      prefillSeconds: round(prefillSeconds),
      drainSeconds: round(drainSeconds),
      eventsPerSecond: Math.round(counted / drainSeconds),
      alerts: committed.alerts,
      cpuSeconds: round(cpuSeconds),
      cpuMicrosPerEvent: round((cpuSeconds * 1e6) / counted),
      eventsPerCpuSecond: Math.round(counted / cpuSeconds),
      peakRssMiB: mib(enricher.peakRss()),
      deadLetters: committed.deadLetters,
      errorLines: enricher.errors - start.errors,
      startupErrorLines: start.errors,
      errorMessages: enricher.errorMessages,
    };
  } finally {
    await enricher.stop();
  }
}

export interface LatencyResult {
  ratePerSecond: number;
  shards: number;
  seconds: number;
  measured: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  peakRssMiB: number;
}

/**
 * A steady `rate` of PutRecords calls into an idle, caught-up enricher; each event's latency runs from its
 * PutRecords call to the moment a read_committed consumer of the events topic receives it. The first seconds
 * (connections, JIT) are left out.
 */
export async function latencyAtSteadyRate(
  stack: BenchStack,
  {
    rate,
    seconds,
    warmUpSeconds,
    shards = SHARDS,
  }: { rate: number; seconds: number; warmUpSeconds: number; shards?: number },
): Promise<LatencyResult> {
  const { enricher, topics } = await startEnricher(stack, 'bench-latency', shards);
  const kafka = createKafka({
    connection: parseKafkaConnection({ KAFKA_BROKERS: stack.brokers }),
    clientId: 'sarwatch-bench',
    log: createLogger({ name: 'sarwatch-bench', level: 'silent', format: 'json' }),
  });
  const consumer = kafka.consumer({
    groupId: `sarwatch-bench-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
  });
  const receivedAt = new Map<string, number>();
  try {
    await until('the enricher to be ready', () => enricher.ready(), 120_000);
    await consumer.connect();
    await consumer.subscribe({ topic: topics.events, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = Date.now();
        const eventId = JSON.parse(message.value?.toString('utf8') ?? '{}').eventId as string;
        receivedAt.set(eventId, at);
      },
    });
    const sampler = setInterval(() => enricher.rssBytes(), POLL_MS);
    const put = await putAtRate(stack.kinesis, topics.stream, {
      rate,
      seconds: seconds + warmUpSeconds,
      seed: 9,
    })
      .then(async (put) => {
        await until(`all ${put.put} events on the topic`, async () => receivedAt.size >= put.put, 120_000);
        return put;
      })
      .finally(() => clearInterval(sampler));
    const warmUpEnds = Math.min(...put.sentAt.values()) + warmUpSeconds * 1000;
    const latencies = [...put.sentAt]
      .filter(([, sentAt]) => sentAt >= warmUpEnds)
      .map(([eventId, sentAt]) => (receivedAt.get(eventId) ?? Number.NaN) - sentAt)
      .sort((a, b) => a - b);
    const at = (fraction: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))] ?? 0;
    return {
      ratePerSecond: round(put.put / put.seconds),
      shards,
      seconds,
      measured: latencies.length,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      maxMs: latencies.at(-1) ?? 0,
      peakRssMiB: mib(enricher.peakRss()),
    };
  } finally {
    await consumer.disconnect();
    await enricher.stop();
  }
}

/** How a run that must commit every event it put ended. */
export interface BacklogOutcome {
  peakRssMiB: number;
  deadLetters: number;
  errorLines: number;
  errorMessages: string[];
}

/** Waits until each of the `put` events is committed or dead-lettered, then stops sampling memory. */
async function untilAllCommitted(
  enricher: EnricherUnderBench,
  sampler: NodeJS.Timeout,
  put: number,
  what: string,
  timeoutMs: number,
): Promise<BacklogOutcome> {
  let committed = { events: 0, deadLetters: 0, alerts: 0 };
  // Stopped whichever way the wait ends: the sampler must not read /proc for a process the caller then stops.
  await until(
    what,
    async () => {
      committed = await enricher.committed();
      return committed.events + committed.deadLetters >= put;
    },
    timeoutMs,
  ).finally(() => clearInterval(sampler));
  return {
    peakRssMiB: mib(enricher.peakRss()),
    deadLetters: committed.deadLetters,
    errorLines: enricher.errors,
    errorMessages: enricher.errorMessages,
  };
}

export interface OverloadResult extends BacklogOutcome {
  offeredPerSecond: number;
  achievedPutPerSecond: number;
  seconds: number;
  put: number;
  drainSecondsAfterLoad: number;
}

/**
 * `rate` events a second (ten times the latency run's) for `seconds`: the enricher falls behind, reads no faster
 * than its in-flight budget lets it, and must catch up afterwards without errors and in bounded memory.
 */
export async function overload(
  stack: BenchStack,
  { rate, seconds }: { rate: number; seconds: number },
): Promise<OverloadResult> {
  const { enricher, topics } = await startEnricher(stack, 'bench-overload');
  try {
    await until('the enricher to be ready', () => enricher.ready(), 120_000);
    const sampler = setInterval(() => enricher.rssBytes(), POLL_MS);
    const put = await putAtRate(stack.kinesis, topics.stream, { rate, seconds, seed: 10, maxInFlight: 16 });
    const loadEnded = performance.now();
    const outcome = await untilAllCommitted(
      enricher,
      sampler,
      put.put,
      `the backlog of ${put.put} events to drain`,
      30 * 60_000,
    );
    return {
      offeredPerSecond: rate,
      achievedPutPerSecond: Math.round(put.put / put.seconds),
      seconds,
      put: put.put,
      drainSecondsAfterLoad: round((performance.now() - loadEnded) / 1000),
      ...outcome,
    };
  } finally {
    await enricher.stop();
  }
}

export interface OutageResult extends BacklogOutcome {
  ratePerSecond: number;
  seconds: number;
  outageSeconds: number;
  put: number;
  /** From the broker answering again to the last event committed. */
  caughtUpSecondsAfterReturn: number;
}

/**
 * A steady `rate` while the broker is stopped for `outageSeconds`, `outageAfterSeconds` into the load: the enricher
 * holds its pages in flight and retries, the stream keeps filling, and once the broker is back it must catch up
 * with every event, in bounded memory.
 */
export async function brokerOutage(
  stack: BenchStack,
  {
    rate,
    seconds,
    outageAfterSeconds,
    outageSeconds,
  }: { rate: number; seconds: number; outageAfterSeconds: number; outageSeconds: number },
): Promise<OutageResult> {
  const { enricher, topics } = await startEnricher(stack, 'bench-outage');
  try {
    await until('the enricher to be ready', () => enricher.ready(), 120_000);
    const sampler = setInterval(() => enricher.rssBytes(), POLL_MS);
    const load = putAtRate(stack.kinesis, topics.stream, { rate, seconds, seed: 11 });
    await sleep(outageAfterSeconds * 1000);
    await stack.stopBroker();
    await sleep(outageSeconds * 1000);
    await stack.startBroker();
    const returnedAt = performance.now();
    const put = await load;
    const outcome = await untilAllCommitted(
      enricher,
      sampler,
      put.put,
      `all ${put.put} events committed after the outage`,
      10 * 60_000,
    );
    return {
      ratePerSecond: rate,
      seconds,
      outageSeconds,
      put: put.put,
      caughtUpSecondsAfterReturn: round((performance.now() - returnedAt) / 1000),
      ...outcome,
    };
  } finally {
    await enricher.stop();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
