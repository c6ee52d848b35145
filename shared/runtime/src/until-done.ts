import { Backoff } from './backoff.js';
import type { Logger } from './logger.js';
import { sleep } from './sleep.js';

/**
 * Runs a start-up step (connect to Kafka, create topics) until it succeeds, backing off between attempts: services
 * wait for their dependencies to come up rather than crash. A stop request ends the wait with undefined; an error
 * that `permanent` turns into one (a refused password will not be accepted later) is thrown.
 */
export async function untilDone<T>(
  what: string,
  log: Logger,
  stop: AbortSignal,
  step: () => Promise<T>,
  permanent: (error: unknown) => Error | null = () => null,
): Promise<T | undefined> {
  const backoff = new Backoff({ initialMs: 500, maxMs: 15_000 });
  while (!stop.aborted) {
    try {
      return await step();
    } catch (error) {
      const fatal = permanent(error);
      if (fatal) throw fatal;
      const retryInMs = backoff.next();
      log.warn({ err: error, retryInMs }, `could not ${what}, retrying`);
      await sleep(retryInMs, stop);
    }
  }
  return undefined;
}
