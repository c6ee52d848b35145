import type { ChildProcess } from 'node:child_process';

/**
 * Remembers the processes devstack spawned so none outlives its parent. A broker left running after a crashed test
 * run holds its ports and its data-dir lock, and the next run then "reuses" a broker nobody owns.
 */
export class ChildProcesses {
  readonly #children = new Set<ChildProcess>();
  #exitHookInstalled = false;

  track(child: ChildProcess): void {
    this.#children.add(child);
    const forget = () => this.#children.delete(child);
    child.once('exit', forget);
    child.once('error', forget);
    this.#installExitHook();
  }

  /** How many tracked children are still running. */
  get size(): number {
    return this.#children.size;
  }

  /** Synchronous on purpose: it runs inside process 'exit', where nothing asynchronous gets a turn. */
  killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const child of this.#children) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    }
  }

  #installExitHook(): void {
    if (this.#exitHookInstalled) return;
    this.#exitHookInstalled = true;
    // 'exit' fires on process.exit() and on an uncaught exception, but not when the parent is itself killed by a
    // signal it does not handle; the composition root's own SIGTERM/SIGINT handler should call stop() or killAll().
    process.once('exit', () => this.killAll('SIGKILL'));
  }
}

/** The registry startKafka/startKinesis use unless a caller injects its own. */
export const defaultChildProcesses = new ChildProcesses();
