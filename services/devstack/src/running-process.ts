import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { DevstackError } from './errors.js';
import type { DevstackLog } from './log.js';
import { isPortOpen } from './tcp.js';
import { waitUntil } from './wait.js';

export interface RunningProcess {
  readonly name: string;
  /** host:port clients should use, e.g. `127.0.0.1:9092`. */
  readonly address: string;
  /** True when an already-running server was found on the port; stop() then leaves it alone. */
  readonly reused: boolean;
  readonly pid?: number;
  /**
   * Settles, with how it ended (`exit code 1`, `killed by SIGKILL`), when a process started here exits, whether
   * asked to or not. Never settles for a reused server: it is not ours to watch.
   */
  readonly exited: Promise<string>;
  /** Idempotent: later calls wait for the same shutdown. */
  stop(): Promise<void>;
}

export function describeExit(child: ChildProcess): string {
  return child.signalCode ? `killed by ${child.signalCode}` : `exit code ${child.exitCode}`;
}

const STOP_GRACE_MS = 10_000;

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return true;
  const controller = new AbortController();
  const exited = once(child, 'exit', { signal: controller.signal }).then(() => true);
  const timedOut = sleep(timeoutMs, false, { signal: controller.signal });
  try {
    return await Promise.race([exited, timedOut]);
  } finally {
    controller.abort();
    // Whichever lost the race rejects with AbortError; nobody is waiting for it any more.
    exited.catch(() => {});
    timedOut.catch(() => {});
  }
}

/** SIGTERM, then SIGKILL if the process has not exited after the grace period. */
export async function terminate(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<'exited' | 'killed'> {
  if (hasExited(child)) return 'exited';
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return 'exited';
  child.kill('SIGKILL');
  await waitForExit(child, graceMs);
  return 'killed';
}

export function ownedProcess(
  name: string,
  address: string,
  child: ChildProcess,
  log: DevstackLog,
): RunningProcess {
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const startedAt = Date.now();
    const how = await terminate(child);
    const fields = { name, pid: child.pid, ms: Date.now() - startedAt };
    if (how === 'killed') log.warn(fields, `${name} ignored SIGTERM; killed`);
    else log.info(fields, `${name} stopped`);
  };
  const exited = hasExited(child)
    ? Promise.resolve(describeExit(child))
    : once(child, 'exit').then(() => describeExit(child));
  return {
    name,
    address,
    reused: false,
    pid: child.pid,
    exited,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

export interface ReuseProbe {
  name: string;
  address: string;
  port: number;
  /** Whether the server on the port answers as the expected kind (a Kafka metadata call, a ListStreams call). */
  answers: () => Promise<boolean>;
  /** How long a server that is still booting may take to answer. */
  timeoutMs: number;
  log: DevstackLog;
}

/**
 * A server already on the port is reused, and left running on stop(), but only if it answers as what we expect:
 * anything else there is an error rather than a silent mix-up.
 */
export async function reuseIfListening(probe: ReuseProbe): Promise<RunningProcess | null> {
  if (!(await isPortOpen(probe.port))) return null;
  const outcome = await waitUntil(probe.answers, { timeoutMs: probe.timeoutMs, intervalMs: 250 });
  if (!outcome.ready) {
    throw new DevstackError(
      'PORT_TAKEN',
      `${probe.address} is in use by something that does not answer as ${probe.name}`,
      {
        cause: outcome.reason === 'timeout' ? outcome.lastError : undefined,
      },
    );
  }
  probe.log.info({ address: probe.address }, `reusing the ${probe.name} server already listening`);
  return {
    name: probe.name.toLowerCase(),
    address: probe.address,
    reused: true,
    exited: new Promise<string>(() => {}),
    stop: async () => {},
  };
}
