import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { type DevstackLog, defaultCacheDir, ensureMavenJars, findRepoRoot } from '@sarwatch/devstack';
import { completeMarker, isNotFound, jarsIn, runCommand, runOrThrow } from './java-build.js';

/** The Event Ruler release the oracle runs: the open-source matching engine behind EventBridge. */
export const EVENT_RULER_VERSION = '2.0.1';
// Eclipse's compiler, a plain jar: compiles the oracle where only a Java runtime is installed (CI installs a JRE).
const ECJ_VERSION = '3.38.0';

const ORACLE_SOURCE = join(findRepoRoot(), 'test', 'event-ruler', 'RulerOracle.java');
const ORACLE_CLASS = 'RulerOracle';

/** One question for the oracle. `pattern` and `event` are sent as the JSON they serialize to. */
export interface RulerQuestion {
  pattern: unknown;
  event: unknown;
}

/** What Event Ruler makes of one question. */
export interface RulerJudgement {
  /** `JsonRuleCompiler.check` accepted the pattern (the compiler `Machine.addRule` uses, the one that knows `$or`). */
  valid: boolean;
  /** Why the pattern is invalid, or why matching failed; null when all went well. */
  error: string | null;
  /** Whether a Machine holding only this rule matched the event; null when invalid or when matching threw. */
  matches: boolean | null;
  /**
   * Set when the modern compiler rejects the pattern but the legacy `RuleCompiler` accepts it: `Machine.addRule`
   * falls back to it, reading `$or` as a plain field name. Such patterns have no EventBridge meaning to compare.
   */
  legacyOnly?: true;
  /** Fresh Machines answered this question both ways (Event Ruler's hash-order dependence); `matches` is null. */
  unstable?: true;
}

export interface RulerOracle {
  /** Judgements in the order of the questions. Calls may overlap; they share one JVM. */
  judge(questions: readonly RulerQuestion[]): Promise<RulerJudgement[]>;
  /** Ends the JVM. Idempotent. */
  stop(): Promise<void>;
}

// Progress lines would only clutter the test report; failures still throw with Maven's output.
const quietLog: DevstackLog = { info: () => {}, warn: () => {} };

/** Event Ruler's jars (with jackson and fastdoubleparser) in `<cache>/event-ruler/lib`, fetched once. */
export function ensureEventRulerJars(cacheDir: string = defaultCacheDir()): Promise<string> {
  return ensureMavenJars({
    home: join(cacheDir, 'event-ruler'),
    artifacts: [
      { groupId: 'software.amazon.event.ruler', artifactId: 'event-ruler', version: EVENT_RULER_VERSION },
    ],
    purpose: `Event Ruler ${EVENT_RULER_VERSION}`,
    log: quietLog,
  });
}

async function hasJavac(): Promise<boolean> {
  try {
    return (await runCommand('javac', ['-version'])).exitCode === 0;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** `javac` when there is one, else ECJ run by `java`, fetched once into `<cache>/event-ruler/compiler`. */
async function javaCompiler(cacheDir: string): Promise<{ command: string; args: string[] }> {
  if (await hasJavac()) return { command: 'javac', args: [] };
  const libDir = await ensureMavenJars({
    home: join(cacheDir, 'event-ruler', 'compiler'),
    artifacts: [{ groupId: 'org.eclipse.jdt', artifactId: 'ecj', version: ECJ_VERSION }],
    purpose: 'the Eclipse Java compiler',
    log: quietLog,
  });
  return { command: 'java', args: ['-jar', join(libDir, `ecj-${ECJ_VERSION}.jar`), '-17', '-nowarn'] };
}

async function mtime(path: string): Promise<number> {
  return (await stat(path)).mtimeMs;
}

/** Compiles the oracle when its class is missing or older than its source or the jars. Returns the class folder. */
export async function ensureOracleCompiled(
  libDir: string,
  cacheDir: string = defaultCacheDir(),
): Promise<string> {
  const classesDir = join(cacheDir, 'event-ruler', 'classes');
  const classFile = join(classesDir, `${ORACLE_CLASS}.class`);
  if (existsSync(classFile)) {
    const built = await mtime(classFile);
    const inputs = Math.max(await mtime(ORACLE_SOURCE), await mtime(completeMarker(libDir)));
    if (built >= inputs) return classesDir;
  }
  await rm(classesDir, { recursive: true, force: true });
  await mkdir(classesDir, { recursive: true });
  const compiler = await javaCompiler(cacheDir);
  const classpath = (await jarsIn(libDir)).join(delimiter);
  await runOrThrow(
    compiler.command,
    [...compiler.args, '-encoding', 'UTF-8', '-cp', classpath, '-d', classesDir, ORACLE_SOURCE],
    'compiling the Event Ruler oracle',
  );
  return classesDir;
}

interface Pending {
  resolve: (judgement: RulerJudgement) => void;
  reject: (error: Error) => void;
}

function parseJudgement(line: string): { id: number; judgement: RulerJudgement } {
  const parsed = JSON.parse(line) as { id: number } & RulerJudgement;
  const { id, valid, error, matches, legacyOnly, unstable } = parsed;
  return {
    id,
    judgement: {
      valid,
      error,
      matches,
      ...(legacyOnly ? { legacyOnly } : {}),
      ...(unstable ? { unstable } : {}),
    },
  };
}

export interface RulerOracleOptions {
  cacheDir?: string;
  /** How many fresh Machines answer each question; answers that differ make the judgement `unstable`. */
  tries?: number;
}

/** Starts one JVM running the oracle. Fetches and compiles what is missing first. */
export async function startRulerOracle(options: RulerOracleOptions = {}): Promise<RulerOracle> {
  const { cacheDir = defaultCacheDir(), tries = 3 } = options;
  const libDir = await ensureEventRulerJars(cacheDir);
  const classesDir = await ensureOracleCompiled(libDir, cacheDir);
  const child: ChildProcessWithoutNullStreams = spawn(
    'java',
    [
      '-Xss8m',
      '-cp',
      [classesDir, join(libDir, '*')].join(delimiter),
      ORACLE_CLASS,
      '--tries',
      String(tries),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stderr = '';
  let failure: Error | undefined;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const waiter of pending.values()) waiter.reject(failure);
    pending.clear();
  };
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  // The JVM may die while we write; the exit handler reports why.
  child.stdin.on('error', () => {});
  child.once('error', (error) => failAll(new Error('java could not start', { cause: error })));
  const exited = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      failAll(new Error(`the Event Ruler oracle exited (code ${code}, signal ${signal}):\n${stderr}`));
      resolve();
    }),
  );
  createInterface({ input: child.stdout }).on('line', (line) => {
    let answer: { id: number; judgement: RulerJudgement };
    try {
      answer = parseJudgement(line);
    } catch (error) {
      failAll(new Error(`the oracle printed something that is not a judgement: ${line}`, { cause: error }));
      return;
    }
    const waiter = pending.get(answer.id);
    pending.delete(answer.id);
    waiter?.resolve(answer.judgement);
  });

  const send = async (line: string) => {
    if (!child.stdin.write(line)) {
      await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), exited]);
    }
  };

  let stopped: Promise<void> | undefined;
  return {
    async judge(questions) {
      if (failure) throw failure;
      const answers = questions.map((question) => {
        const id = nextId++;
        const line = `${JSON.stringify({ id, pattern: question.pattern, event: question.event })}\n`;
        const answer = new Promise<RulerJudgement>((resolve, reject) => pending.set(id, { resolve, reject }));
        return { line, answer };
      });
      // Written in chunks with back-pressure: the JVM answers while we write.
      const CHUNK = 256;
      for (let start = 0; start < answers.length; start += CHUNK) {
        await send(
          answers
            .slice(start, start + CHUNK)
            .map((entry) => entry.line)
            .join(''),
        );
      }
      return Promise.all(answers.map((entry) => entry.answer));
    },
    stop() {
      stopped ??= (async () => {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          child.stdin.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopped;
    },
  };
}
