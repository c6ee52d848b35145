import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before every attempt; true stops waiting at once (e.g. the process being waited for has died). */
  giveUpIf?: () => boolean;
}

export type WaitOutcome =
  | { ready: true }
  | { ready: false; reason: 'timeout'; lastError: unknown }
  | { ready: false; reason: 'gave-up' };

/**
 * Polls `check` until it resolves true or the deadline passes. A throwing check counts as "not yet": readiness
 * probes fail with connection errors until the server is up, and the last one is kept for the error message.
 */
export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 250;
  let lastError: unknown;
  for (;;) {
    if (options.giveUpIf?.()) return { ready: false, reason: 'gave-up' };
    try {
      if (await check()) return { ready: true };
    } catch (err) {
      lastError = err;
    }
    if (Date.now() + intervalMs > deadline) return { ready: false, reason: 'timeout', lastError };
    await sleep(intervalMs);
  }
}
