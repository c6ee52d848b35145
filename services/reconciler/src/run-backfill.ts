import { listenForStop } from '@sarwatch/runtime';
import { type BackfillCounts, backfill } from './backfill.js';
import { EXIT_FAILED, EXIT_OK, type TrailOptions, withTrailContext } from './main.js';
import { backfillText } from './report.js';

const PROGRESS_EVERY_MS = 250;

/**
 * `sarwatch backfill`: 0 when every trail file was read and every missing event published (or, with dryRun,
 * counted); 1 when a file could not be read or publishing failed; 2 bad configuration; 3 Kafka refused access.
 */
export async function runBackfill(
  env: Readonly<Record<string, string | undefined>>,
  options: TrailOptions & { dryRun: boolean },
): Promise<number> {
  const command = 'sarwatch backfill';
  return withTrailContext(command, env, options, async (context) => {
    const stop = listenForStop();
    try {
      const signal = AbortSignal.any([stop.signal, context.guard.signal]);
      const deps = options.dryRun ? context.dryRunDeps() : (await context.publishing(signal)).deps;
      const progress = terminalProgress(options.dryRun);
      const result = await backfill(
        { ...deps, onProgress: progress.update },
        { window: options.window, bucketForSlice: context.bucketForSlice, dryRun: options.dryRun },
        signal,
      );
      progress.clear();
      process.stdout.write(backfillText(result, context.location, options.dryRun));
      return result.unreadable.length === 0 ? EXIT_OK : EXIT_FAILED;
    } finally {
      stop.dispose();
    }
  });
}

/** One line that rewrites itself on a terminal; nothing when stderr is a file or a pipe (logs say it there). */
function terminalProgress(dryRun: boolean) {
  if (!process.stderr.isTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  return {
    update: (counts: BackfillCounts) => {
      if (Date.now() - last < PROGRESS_EVERY_MS) return;
      last = Date.now();
      const verb = dryRun ? 'to publish' : 'published';
      process.stderr.write(
        `\r${counts.files} files, ${counts.records} records, ${counts.delivered} delivered by the rule, ${counts.alreadyHandled} already handled, ${counts.published} ${verb}   `,
      );
    },
    clear: () => process.stderr.write('\r\x1b[K'),
  };
}
