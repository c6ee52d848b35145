import { spawn } from 'node:child_process';
import { SARWATCH_ALLOCATOR_ENV, SARWATCH_NODE_FLAGS } from '@sarwatch/runtime';
import { ProcessUsage, SARWATCH_CLI } from '../pipeline/enricher-process.js';

const SAMPLE_MS = 100;

export interface MeasuredRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the spawn to the exit: start-up, connecting and the work, as an operator waits for it. */
  wallSeconds: number;
  /** User + system, the whole process's up to its exit. */
  cpuSeconds: number;
  peakRssBytes: number;
  /** Log lines at warn or above, and the first few different messages of them. */
  warnLines: number;
  warnMessages: string[];
}

/**
 * Runs `sarwatch <args>` to its end as a process of its own, measured from outside: memory sampled from /proc while
 * it runs (with the kernel's high-water mark), CPU time from the bench's own ended-children counters once it has
 * been waited for, so that the last moments before its exit are counted too.
 */
export async function runMeasured(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<MeasuredRun> {
  const self = new ProcessUsage('self');
  const cpuBefore = self.endedChildrenCpuSeconds();
  const started = performance.now();
  const child = spawn(process.execPath, [...SARWATCH_NODE_FLAGS, SARWATCH_CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, ...SARWATCH_ALLOCATOR_ENV },
  });
  const usage = new ProcessUsage(child.pid ?? 0);
  const sample = () => {
    try {
      usage.rssBytes();
    } catch {
      // Ended between two samples: the peak stays what was last read.
    }
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  try {
    // 'close' comes after the exit and after both pipes have been read to their end.
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, closedBy) => resolve([code, closedBy]));
      },
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const warnings = stdout.split('\n').filter((line) => /"level":(40|50|60)\b/.test(line));
    return {
      exitCode,
      signal,
      stdout,
      stderr,
      wallSeconds,
      cpuSeconds: self.endedChildrenCpuSeconds() - cpuBefore,
      peakRssBytes: usage.peakRss(),
      warnLines: warnings.length,
      warnMessages: [
        ...new Set(warnings.map((line) => /"msg":"([^"]{0,120})/.exec(line)?.[1] ?? line.slice(0, 120))),
      ].slice(0, 5),
    };
  } finally {
    clearInterval(sampler);
    clearTimeout(killer);
  }
}
