import type { Logger } from './logger.js';

export const EXIT_INTERRUPTED = 130;
/** The shutdown deadline passed before the service had drained. */
export const EXIT_FORCED = 1;

export interface StopSignals {
  /** Aborts on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  dispose(): void;
}

/**
 * The first SIGINT/SIGTERM asks the program to wind down (drain, flush, stop children); a second one means the
 * operator has stopped waiting, so the process exits at once.
 */
export function listenForStop(onFirst?: (signal: NodeJS.Signals) => void): StopSignals {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    onFirst?.(signal);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/**
 * listenForStop for a long-running service: the first signal asks it to drain (`draining` says what it finishes),
 * and if it has not exited `timeoutMs` later the process exits with EXIT_FORCED. Whatever was not finished is
 * picked up again after the restart, so the deadline loses nothing.
 */
export function listenForStopWithDeadline(log: Logger, timeoutMs: number, draining: string): StopSignals {
  return listenForStop((signal) => {
    log.info({ signal, timeoutMs }, `stopping: ${draining}`);
    setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown deadline passed, exiting without finishing');
      process.exit(EXIT_FORCED);
    }, timeoutMs).unref();
  });
}
