import { settledWindows, type TimeWindow } from '@sarwatch/core';
import { type ReconciledRecord, ReconciledRecordSchema } from '@sarwatch/enricher';
import { keyPartitioner, messageJson, readTopicRange } from '@sarwatch/kafka';
import { MetricsUnavailableError, sleep, startMetricsServer } from '@sarwatch/runtime';
import { EXIT_OK, EXIT_USAGE, type TrailContext } from './main.js';
import { ReconcilerMetrics } from './metrics.js';
import { judgeWindow } from './reconcile.js';
import { isComplete, reconciliationJson, reconciliationText } from './report.js';
import type { ReconcileOptions } from './run-reconcile.js';

/** Windows judged in one go after a pause, before the service looks at the clock again. */
const CATCH_UP_LIMIT = 24;
const RETRY_AFTER_FAILURE_MS = 60_000;
const LONGEST_SLEEP_MS = 60_000;

/**
 * `sarwatch reconcile --every`: judges each window of `everyMs` once it has settled, oldest first, and records how
 * far it got on the checkpoint topic, so a restart goes on from there rather than judging a window twice. Runs until
 * stopped, or until `until`. One runs per stream (the Helm chart and the ECS template run one): a second one's repairs
 * would fence the first's, which then fails its window and tries it again a minute later; nothing is published twice.
 */
export async function reconcileContinuously(
  context: TrailContext,
  options: ReconcileOptions & { everyMs: number },
  signal: AbortSignal,
): Promise<number> {
  const { config, log, checkpointLog, kafka } = context;
  const metrics = new ReconcilerMetrics();
  let ready = { ready: false, reason: 'starting' };
  let server: Awaited<ReturnType<typeof startMetricsServer>>;
  try {
    server = await startMetricsServer({
      host: config.METRICS_HOST,
      port: config.METRICS_PORT,
      registry: metrics.registry,
      readiness: () => ready,
      fatal: () =>
        checkpointLog.failure ? `the checkpoint view stopped: ${checkpointLog.failure.message}` : null,
    });
  } catch (error) {
    if (!(error instanceof MetricsUnavailableError)) throw error;
    process.stderr.write(`sarwatch reconcile: ${error.message}\n`);
    return EXIT_USAGE;
  }
  log.info({ address: server.address }, `metrics on http://${server.address}/metrics, /healthz, /readyz`);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: keyPartitioner,
  });
  try {
    await producer.connect();
    let after = new Date(
      Math.max(options.window.from.getTime(), (await reconciledUntil(context))?.getTime() ?? 0),
    );
    ready = { ready: true, reason: `judged up to ${after.toISOString()}` };
    log.info(
      { from: after.toISOString(), every: options.everyMs, settle: options.settleMs },
      'reconciling continuously',
    );
    while (!signal.aborted) {
      const due = settledWindows({
        every: options.everyMs,
        settle: options.settleMs,
        now: new Date(),
        after,
        limit: CATCH_UP_LIMIT,
      }).filter((window) => options.until === undefined || window.to <= options.until);
      if (due.length === 0 && options.until !== undefined && after >= options.until) return EXIT_OK;
      let failed = false;
      for (const window of due) {
        try {
          const found = await judgeWindow(context, window, { repair: options.repair, alert: true }, signal);
          const complete = isComplete(found);
          metrics.windowJudged(found, complete);
          process.stdout.write(
            options.json
              ? `${JSON.stringify(reconciliationJson(found, context.location))}\n`
              : reconciliationText(found, context.location),
          );
          await recordProgress(context, producer, window);
          after = window.to;
          ready = { ready: true, reason: `judged up to ${after.toISOString()}` };
        } catch (error) {
          if (signal.aborted || context.guard.failure) throw error;
          metrics.failed();
          log.warn(
            { err: error, window: describe(window) },
            'reconciling a window failed; trying it again later',
          );
          failed = true;
          break;
        }
      }
      const next = after.getTime() + options.everyMs + options.settleMs - Date.now();
      await sleep(
        failed ? RETRY_AFTER_FAILURE_MS : Math.min(Math.max(next, 1_000), LONGEST_SLEEP_MS),
        signal,
      ).catch(() => undefined);
    }
    return EXIT_OK;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await server.close();
  }
}

/** The end of the last window judged, read from the checkpoint topic to its end; null before the first. */
async function reconciledUntil(context: TrailContext): Promise<Date | null> {
  const key = context.checkpointLog.reconciledKey();
  let until: Date | null = null;
  await readTopicRange(context.kafka, {
    topic: context.config.KAFKA_CHECKPOINT_TOPIC,
    onMessage: (message) => {
      if (message.key?.toString() !== key || !message.value) return;
      const parsed = ReconciledRecordSchema.safeParse(messageJson(message.value));
      if (parsed.success) until = new Date(parsed.data.until);
    },
  });
  return until;
}

async function recordProgress(
  context: TrailContext,
  producer: ReturnType<TrailContext['kafka']['producer']>,
  window: TimeWindow,
) {
  const record: ReconciledRecord = {
    until: window.to.toISOString(),
    at: new Date().toISOString(),
    owner: `${process.pid}`,
  };
  await producer.send({
    topic: context.config.KAFKA_CHECKPOINT_TOPIC,
    acks: -1,
    messages: [{ key: context.checkpointLog.reconciledKey(), value: JSON.stringify(record) }],
  });
}

const describe = (window: TimeWindow) => `${window.from.toISOString()}..${window.to.toISOString()}`;
