import { randomUUID } from 'node:crypto';
import type { ReconciliationCounts } from '@sarwatch/core';
import type { BenchStack } from '../pipeline/bench-stack.js';
import { benchTopics, type EnricherTopics, sarwatchEnv } from '../pipeline/enricher-process.js';
import { type MeasuredRun, runMeasured } from './measured-command.js';
import { BenchTrailBucket, lastSettledDay, type TrailWindow } from './trail-bucket.js';
import { createTrailTopics } from './trail-topics.js';

const COMMAND_TIMEOUT_MS = 30 * 60_000;
/** The trail writer delivers some files up to 65 minutes after their events. */
const SETTLE = '90m';
/** Tuning of the commands that the bench takes from its own environment, to measure other settings. */
const PASSED_THROUGH = ['ALERT_RULES_FILE', 'NODE_OPTIONS'];

export interface BackfillFigures {
  wallSeconds: number;
  filesRead: number;
  recordsRead: number;
  /** Events of the trail that the rule delivers. */
  delivered: number;
  published: number;
  deadLetters: number;
  alerts: number;
  eventsPerSecond: number;
  recordsPerSecond: number;
  cpuSeconds: number;
  cpuMicrosPerEvent: number;
  peakRssMiB: number;
  warnLines: number;
  warnMessages: string[];
}

/** What `reconcile --json` counts: the comparison's own counts, and the trail's files and records. */
export type ReconcileCounts = ReconciliationCounts & {
  unrepaired: number;
  trailFiles: number;
  trailRecords: number;
  unreadableFiles: number;
};

export interface ReconcileFigures {
  wallSeconds: number;
  complete: boolean;
  counts: ReconcileCounts;
  cpuSeconds: number;
  peakRssMiB: number;
}

export interface TrailResult {
  window: { from: string; to: string };
  records: number;
  sarRecords: number;
  files: number;
  regions: number;
  /** Generating and uploading the trail to moto: setup, not a figure of sarwatch. */
  writeSeconds: number;
  backfill: BackfillFigures;
  reconcile: ReconcileFigures;
}

/**
 * A generated day of CloudTrail trail in moto's S3, read by `sarwatch backfill` into fresh topics of the bench's
 * broker (nothing handled yet, so every event the rule delivers is published), then judged by
 * `sarwatch reconcile --json` over the same day. Each runs as the operator runs it, measured from outside.
 */
export async function benchTrail(stack: BenchStack, { records }: { records: number }): Promise<TrailResult> {
  const topics = benchTopics(`bench-trail-${randomUUID().slice(0, 6)}`);
  const window = lastSettledDay();
  const bucket = await BenchTrailBucket.start();
  try {
    const written = await bucket.write(records, window);
    await createTrailTopics(stack.brokers, topics);
    const env = commandEnv(stack.brokers, topics, bucket.env());
    const args = windowArgs(bucket, window);
    const backfill = backfillFigures(await runMeasured(['backfill', ...args], env, COMMAND_TIMEOUT_MS));
    const reconcile = reconcileFigures(
      await runMeasured(['reconcile', ...args, '--json'], env, COMMAND_TIMEOUT_MS),
    );
    return {
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      ...written,
      writeSeconds: round(written.writeSeconds),
      backfill,
      reconcile,
    };
  } finally {
    await bucket.stop();
  }
}

function commandEnv(
  brokers: string,
  topics: EnricherTopics,
  s3: Record<string, string>,
): Record<string, string> {
  return { ...sarwatchEnv(brokers, topics, PASSED_THROUGH), ...s3 };
}

const windowArgs = (bucket: BenchTrailBucket, window: TrailWindow) => [
  '--bucket',
  bucket.bucket,
  '--prefix',
  bucket.prefix,
  '--from',
  window.from.toISOString(),
  '--to',
  window.to.toISOString(),
  '--settle',
  SETTLE,
];

/** From the command's own summary: "… N files, N records, N events the rule delivers", "… published: N events, …". */
function backfillFigures(run: MeasuredRun): BackfillFigures {
  const read = /([\d,]+) files, ([\d,]+) records, ([\d,]+) events the rule delivers/.exec(run.stdout);
  const published = /published: ([\d,]+) events, ([\d,]+) dead letters, ([\d,]+) alerts/.exec(run.stdout);
  if (!read || !published) throw commandFailed('sarwatch backfill', run);
  const events = count(published[1]);
  const recordsRead = count(read[2]);
  return {
    wallSeconds: round(run.wallSeconds),
    filesRead: count(read[1]),
    recordsRead,
    delivered: count(read[3]),
    published: events,
    deadLetters: count(published[2]),
    alerts: count(published[3]),
    eventsPerSecond: Math.round(events / run.wallSeconds),
    recordsPerSecond: Math.round(recordsRead / run.wallSeconds),
    cpuSeconds: round(run.cpuSeconds),
    cpuMicrosPerEvent: events === 0 ? 0 : round((run.cpuSeconds * 1e6) / events),
    peakRssMiB: mib(run.peakRssBytes),
    warnLines: run.warnLines,
    warnMessages: run.warnMessages,
  };
}

/** The one JSON object `reconcile --json` prints; log lines, if any, are other lines of the same stdout. */
function reconcileFigures(run: MeasuredRun): ReconcileFigures {
  const line = run.stdout.split('\n').findLast((text) => text.startsWith('{"trail"'));
  if (line === undefined) throw commandFailed('sarwatch reconcile', run);
  const report = JSON.parse(line) as { complete: boolean; counts: ReconcileCounts };
  return {
    wallSeconds: round(run.wallSeconds),
    complete: report.complete,
    counts: report.counts,
    cpuSeconds: round(run.cpuSeconds),
    peakRssMiB: mib(run.peakRssBytes),
  };
}

function commandFailed(command: string, run: MeasuredRun): Error {
  const ended = run.signal ? `was killed by ${run.signal}` : `exited ${run.exitCode}`;
  return new Error(
    `${command} ${ended} without its summary:\n${run.stderr.slice(-2_000)}${run.stdout.slice(-2_000)}`,
  );
}

const count = (digits: string | undefined) => Number((digits ?? '').replaceAll(',', ''));
const round = (value: number) => Math.round(value * 100) / 100;
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
