import { formatDuration, type TimeWindow } from '@sarwatch/core';
import { listenForStop } from '@sarwatch/runtime';
import { reconcileContinuously } from './continuous.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type TrailOptions, withTrailContext } from './main.js';
import { judgeWindow } from './reconcile.js';
import { isComplete, reconciliationJson, reconciliationText } from './report.js';

export interface ReconcileOptions extends TrailOptions {
  repair: boolean;
  json: boolean;
  /** Only windows that ended this long ago are judged: the trail's delivery delay. */
  settleMs: number;
  /** Run as a service that judges each window of this length once it has settled. */
  everyMs?: number;
  /** With everyMs: stop once windows up to window.to are judged (else run until stopped). */
  until?: Date;
}

/**
 * `sarwatch reconcile`: 0 complete; 1 anything missing (after --repair: still unrepaired), unexpected, or a trail
 * file unreadable; 2 bad usage or configuration, or nothing settled yet; 3 Kafka refused access.
 */
export async function runReconcile(
  env: Readonly<Record<string, string | undefined>>,
  options: ReconcileOptions,
): Promise<number> {
  const command = 'sarwatch reconcile';
  const settledEnd = Date.now() - options.settleMs;
  if (options.everyMs === undefined && options.window.from.getTime() >= settledEnd) {
    process.stderr.write(
      `${command}: the window has not settled yet: trail files arrive up to ${formatDuration(options.settleMs)} after their events (--settle); judge windows that start before ${new Date(settledEnd).toISOString()}\n`,
    );
    return EXIT_USAGE;
  }
  return withTrailContext(command, env, options, async (context) => {
    const stop = listenForStop();
    try {
      const signal = AbortSignal.any([stop.signal, context.guard.signal]);
      if (options.everyMs !== undefined) {
        return await reconcileContinuously(context, { ...options, everyMs: options.everyMs }, signal);
      }
      const window: TimeWindow = {
        from: options.window.from,
        to: new Date(Math.min(options.window.to.getTime(), settledEnd)),
      };
      if (window.to < options.window.to) {
        process.stderr.write(
          `${command}: judging up to ${window.to.toISOString()} only; later events may still be on their way (--settle ${formatDuration(options.settleMs)})\n`,
        );
      }
      const found = await judgeWindow(
        context,
        window,
        { repair: options.repair, alert: options.repair },
        signal,
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(reconciliationJson(found, context.location))}\n`
          : reconciliationText(found, context.location),
      );
      return isComplete(found) ? EXIT_OK : EXIT_FAILED;
    } finally {
      stop.dispose();
    }
  });
}
