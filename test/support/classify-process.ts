import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './enricher-process.js';

// Loaded into the child before the CLI: on exit it writes the process's peak resident set size (KiB), which only
// the process itself can read exactly, to the file the test names.
const PEAK_RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    'const file = process.env.SARWATCH_TEST_PEAK_RSS_FILE;' +
    "process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));",
)}`;

export interface ClassifyRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Everything written to stdout, unless lines were handed to `onLine` instead. */
  stdout: string;
  stderr: string;
  peakRssBytes: number;
  seconds: number;
}

export interface ClassifyOptions {
  /** Bytes piped to stdin; without them stdin is empty. */
  stdin?: string | Uint8Array;
  /** Receives each stdout line as it arrives, for outputs too large to keep. */
  onLine?: (line: string) => void;
  /** Called with the running process, e.g. to close its stdout early. */
  started?: (child: ChildProcess) => void;
}

/** Runs `sarwatch classify <args>` as a real process, with stdout and stderr apart and its peak memory measured. */
export async function runClassify(args: string[], options: ClassifyOptions = {}): Promise<ClassifyRun> {
  const rssFile = join(tmpdir(), `sarwatch-classify-rss-${randomUUID()}`);
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['--import', PEAK_RSS_HOOK, CLI, 'classify', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SARWATCH_TEST_PEAK_RSS_FILE: rssFile },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (!options.onLine) {
      stdout += text;
      return;
    }
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  // The process may stop reading stdin early (bad usage): that is its right, not a test failure.
  child.stdin.on('error', () => {});
  child.stdin.end(options.stdin ?? '');
  options.started?.(child);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  if (options.onLine && pending) options.onLine(pending);
  const peakRssKib = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
  await rm(rssFile, { force: true });
  return {
    code,
    signal,
    stdout,
    stderr,
    peakRssBytes: peakRssKib * 1024,
    seconds: (performance.now() - startedAt) / 1000,
  };
}
