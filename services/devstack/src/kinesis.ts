import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '@sarwatch/runtime';
import { type ChildProcesses, defaultChildProcesses } from './children.js';
import { DevstackError } from './errors.js';
import { lastLines } from './exec.js';
import type { DevstackLog } from './log.js';
import {
  hasExited,
  ownedProcess,
  type RunningProcess,
  reuseIfListening,
  terminate,
} from './running-process.js';
import { LOCALHOST } from './tcp.js';
import { waitUntil } from './wait.js';

export interface StartKinesisOptions {
  port?: number;
  log: DevstackLog;
  /** Above the real default of 10 so tests can create many streams; kinesalite only uses it for error checks. */
  shardLimit?: number;
  /** How long a stream stays CREATING/DELETING/UPDATING; kinesalite's 500 ms default slows every test. */
  transitionMs?: number;
  readyTimeoutMs?: number;
  /** For fault tests: shard iterators expire this long after they are issued, instead of after 5 minutes. */
  iteratorTtlMs?: number;
  /** Who kills the child if this process exits without stop(); defaults to the shared registry. */
  children?: ChildProcesses;
}

/**
 * The launcher is compiled next to this module in dist/. When this module runs from src/ (vitest), fall back to
 * the built copy: Node 20 cannot run the .ts source as a child process.
 */
function launcherPath(): string {
  const candidates = [
    fileURLToPath(new URL('./kinesalite-server.js', import.meta.url)),
    fileURLToPath(new URL('../dist/kinesalite-server.js', import.meta.url)),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new DevstackError(
      'LAUNCHER_MISSING',
      `kinesalite launcher not built (looked for ${candidates.join(', ')}); run: npx tsc -b services/devstack`,
    );
  }
  return found;
}

async function kinesisAnswers(endpoint: string): Promise<boolean> {
  const client = createKinesisClient({ region: 'us-east-1', endpoint });
  try {
    await client.send(new ListStreamsCommand({}));
    return true;
  } finally {
    client.destroy();
  }
}

/** Keeps the child's last output lines for error messages without holding its whole output. */
function captureOutput(child: ChildProcess): () => string {
  let recent = '';
  const keep = (chunk: Buffer) => {
    recent = lastLines(recent + chunk.toString('utf8'), 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => recent;
}

/** Starts the Kinesis emulator on 127.0.0.1, or reuses whatever already serves the Kinesis API on `port`. */
export async function startKinesis(options: StartKinesisOptions): Promise<RunningProcess> {
  const { log } = options;
  const port = options.port ?? 4567;
  const children = options.children ?? defaultChildProcesses;
  const address = `${LOCALHOST}:${port}`;
  const endpoint = `http://${address}`;

  const reused = await reuseIfListening({
    name: 'Kinesis',
    address,
    port,
    answers: () => kinesisAnswers(endpoint),
    timeoutMs: 5_000,
    log,
  });
  if (reused) return reused;

  const transitionMs = String(options.transitionMs ?? 50);
  const args = [
    launcherPath(),
    '--host',
    LOCALHOST,
    '--port',
    String(port),
    '--shardLimit',
    String(options.shardLimit ?? 100),
    '--createStreamMs',
    transitionMs,
    '--deleteStreamMs',
    transitionMs,
    '--updateStreamMs',
    transitionMs,
    ...(options.iteratorTtlMs === undefined ? [] : ['--iteratorTtlMs', String(options.iteratorTtlMs)]),
  ];
  const startedAt = Date.now();
  // stdin stays an open pipe: the launcher exits when it closes, i.e. when this process dies.
  // Own process group, like the broker: stopped by its owner after the clients, not by the terminal's Ctrl-C.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  children.track(child);
  const output = captureOutput(child);

  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const outcome = await waitUntil(() => kinesisAnswers(endpoint), {
    timeoutMs: readyTimeoutMs,
    intervalMs: 100,
    giveUpIf: () => spawnError !== undefined || hasExited(child),
  });
  if (!outcome.ready) {
    await terminate(child);
    const detail = `output:\n${output() || '(none)'}`;
    if (outcome.reason === 'timeout') {
      throw new DevstackError(
        'NOT_READY',
        `kinesalite was not ready within ${readyTimeoutMs} ms; ${detail}`,
        {
          cause: outcome.lastError,
        },
      );
    }
    throw new DevstackError('EXITED_EARLY', `kinesalite exited before it was ready; ${detail}`, {
      cause: spawnError,
    });
  }
  log.info({ address, pid: child.pid, ms: Date.now() - startedAt }, 'Kinesis emulator ready');
  return ownedProcess('kinesis', address, child, log);
}
