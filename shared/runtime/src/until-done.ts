import { Backoff } from './backoff.js';
import type { Logger } from './logger.js';
import { sleep } from './sleep.js';

/**
 * Runs a start-up step (connect to Kafka, create topics) until it succeeds, backing off between attempts: services
 * wait for their dependencies to come up rather than crash. Only a stop request ends the wait, with undefined.
 */
export async function untilDone<T>(
  what: string,
  log: Logger,
  stop: AbortSignal,
  step: () => Promise<T>,
): Promise<T | undefined> {
  const backoff = new Backoff({ initialMs: 500, maxMs: 15_000 });
  while (!stop.aborted) {
    try {
      return await step();
    } catch (error) {
      const retryInMs = backoff.next();
      log.warn({ err: error, retryInMs }, `could not ${what}, retrying`);
      await sleep(retryInMs, stop);
    }
  }
  return undefined;
}
