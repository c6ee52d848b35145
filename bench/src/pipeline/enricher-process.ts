import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SARWATCH_ALLOCATOR_ENV, SARWATCH_NODE_FLAGS } from '@sarwatch/runtime';

/** The built `sarwatch` command, which the bench runs as a process of its own. */
export const SARWATCH_CLI = fileURLToPath(new URL('../../../services/cli/dist/bin.js', import.meta.url));
const METRICS_PORT = 29_464;
/** Tuning of `sarwatch run` that the bench takes from its own environment, to measure other settings. */
const PASSED_THROUGH = [
  'MAX_IN_FLIGHT_RECORDS',
  'KINESIS_MAX_RECORDS_PER_CALL',
  'KINESIS_IDLE_MIN_MS',
  'KINESIS_IDLE_MAX_MS',
  'ALERT_RULES_FILE',
  'NODE_OPTIONS',
];
/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * A process's CPU time and resident memory, read from /proc from outside it (Linux only). `self` is the bench's own
 * process, whose stat also counts the CPU time of its ended children.
 */
export class ProcessUsage {
  private peakRssBytes = 0;

  constructor(readonly pid: number | 'self') {}

  /** User + system CPU seconds the process has used. */
  cpuSeconds(): number {
    const fields = this.statFields();
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  }

  /**
   * User + system CPU seconds of the process's children that have ended and been waited for (cutime, cstime): a
   * child's whole CPU time, up to its exit, which no sampling of its own stat can see.
   */
  endedChildrenCpuSeconds(): number {
    const fields = this.statFields();
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  }

  /** Resident memory now; also kept, with the kernel's high-water mark, as the peak seen by any call. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    const rss = kib('VmRSS');
    this.peakRssBytes = Math.max(this.peakRssBytes, rss, kib('VmHWM'));
    return rss;
  }

  /**
   * The kernel's high-water mark of resident memory, which no sampling can miss while the process runs; once it has
   * ended, the last mark read.
   */
  peakRss(): number {
    try {
      this.rssBytes();
    } catch {
      // The process has ended and /proc no longer has it: the peak stays what was last read.
    }
    return this.peakRssBytes;
  }

  private statFields(): string[] {
    // Fields after the command name (which may hold spaces, hence the last parenthesis): utime is the 12th, stime
    // the 13th, cutime and cstime the 14th and 15th.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  }
}

export interface EnricherTopics {
  stream: string;
  events: string;
  alerts: string;
  deadLetters: string;
  checkpoints: string;
  eventIndex: string;
}

/**
 * `sarwatch run` as production runs it, one process, measured from outside: CPU time and memory from /proc, what it
 * published from its own /metrics. Nothing in the process is instrumented for the bench.
 */
export class EnricherUnderBench {
  private errorLines = 0;
  private readonly errorKinds = new Set<string>();
  private readonly usage: ProcessUsage;

  private constructor(
    private readonly child: ChildProcess,
    private readonly skipEnrichment: boolean,
  ) {
    this.usage = new ProcessUsage(child.pid ?? 0);
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!/"level":(50|60)/.test(line)) continue;
        this.errorLines += 1;
        const message = /"msg":"([^"]{0,120})/.exec(line)?.[1];
        if (message && this.errorKinds.size < 10) this.errorKinds.add(message);
      }
    });
  }

  /** With `profileDir`, the process writes a V8 CPU profile there when it exits (`node --cpu-prof`). */
  static start(
    brokers: string,
    kinesisEndpoint: string,
    topics: EnricherTopics,
    profileDir?: string,
    skipEnrichment = false,
  ): EnricherUnderBench {
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...SARWATCH_NODE_FLAGS, ...profile, SARWATCH_CLI, 'run'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...sarwatchEnv(brokers, topics, PASSED_THROUGH),
        ...SARWATCH_ALLOCATOR_ENV,
        KINESIS_ENDPOINT: kinesisEndpoint,
        KINESIS_START_POSITION: 'TRIM_HORIZON',
        BENCH_SKIP_ENRICHMENT: String(skipEnrichment),
        METRICS_PORT: String(METRICS_PORT),
      },
    });
    return new EnricherUnderBench(child, skipEnrichment);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Error and fatal log lines so far. */
  get errors(): number {
    return this.errorLines;
  }

  /** The first few different messages of those lines, to tell what they were. */
  get errorMessages(): string[] {
    return [...this.errorKinds];
  }

  /** User + system CPU seconds the process has used. */
  cpuSeconds(): number {
    return this.usage.cpuSeconds();
  }

  /** Resident memory now; also kept as the peak seen by any call. */
  rssBytes(): number {
    return this.usage.rssBytes();
  }

  /** The kernel's high-water mark of resident memory, which no sampling can miss. */
  peakRss(): number {
    return this.usage.peakRss();
  }

  async ready(): Promise<boolean> {
    return fetch(`http://127.0.0.1:${METRICS_PORT}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
  }

  /** Events and dead letters committed so far, by the enricher's own counters. */
  async committed(): Promise<{ events: number; deadLetters: number; alerts: number }> {
    const text = await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`).then(
      (response) => response.text(),
      () => '',
    );
    const sum = (name: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
        .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    return {
      // Records published as read are no events of the contract: the pages' record counts say how many went.
      events: sum(this.skipEnrichment ? 'sarwatch_batch_records_sum' : 'sarwatch_events_published_total'),
      deadLetters: sum('sarwatch_dead_letters_total'),
      alerts: sum('sarwatch_alerts_total'),
    };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const forced = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  }
}

export function benchTopics(name: string): EnricherTopics {
  return {
    stream: name,
    events: `${name}.events`,
    alerts: `${name}.alerts`,
    deadLetters: `${name}.dlq`,
    checkpoints: `${name}.checkpoints`,
    eventIndex: `${name}.event-index`,
  };
}

/** What every `sarwatch` process of the bench is given: the broker, its topics, quiet logs, and `passedThrough`. */
export function sarwatchEnv(
  brokers: string,
  topics: EnricherTopics,
  passedThrough: readonly string[],
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    KINESIS_STREAM_NAME: topics.stream,
    KAFKA_BROKERS: brokers,
    KAFKA_EVENTS_TOPIC: topics.events,
    KAFKA_ALERTS_TOPIC: topics.alerts,
    KAFKA_DLQ_TOPIC: topics.deadLetters,
    KAFKA_CHECKPOINT_TOPIC: topics.checkpoints,
    KAFKA_EVENT_INDEX_TOPIC: topics.eventIndex,
    LOG_LEVEL: 'warn',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...Object.fromEntries(
      passedThrough.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
    ),
  };
}
