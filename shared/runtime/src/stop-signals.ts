export const EXIT_INTERRUPTED = 130;

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
