import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const CLI = fileURLToPath(new URL('../../services/cli/dist/bin.js', import.meta.url));

/** Names unique to one test, so tests sharing the broker and emulator never see each other's data. */
export function isolatedNames(prefix: string) {
  const id = `${prefix}-${randomUUID().slice(0, 8)}`;
  return {
    stream: id,
    eventsTopic: `${id}.events`,
    alertsTopic: `${id}.alerts`,
    dlqTopic: `${id}.dlq`,
    checkpointTopic: `${id}.checkpoints`,
    eventIndexTopic: `${id}.event-index`,
  };
}

export type Names = ReturnType<typeof isolatedNames>;

export function enricherEnv(names: Names, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KINESIS_STREAM_NAME: names.stream,
    KINESIS_ENDPOINT: inject('kinesisEndpoint'),
    KAFKA_BROKERS: inject('kafkaBrokers'),
    KAFKA_EVENTS_TOPIC: names.eventsTopic,
    KAFKA_ALERTS_TOPIC: names.alertsTopic,
    KAFKA_DLQ_TOPIC: names.dlqTopic,
    KAFKA_CHECKPOINT_TOPIC: names.checkpointTopic,
    KAFKA_EVENT_INDEX_TOPIC: names.eventIndexTopic,
    KAFKA_TOPIC_PARTITIONS: '4',
    KINESIS_IDLE_MAX_MS: '500',
    LOG_LEVEL: 'info',
    // Tests run several instances at once: each takes a free port for its metrics and logs it.
    METRICS_PORT: '0',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

export interface RunningCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `sarwatch <args>` as a real process, exactly as an operator would. */
export function runCli(args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Stops a process the test started, whatever state the test left it in. */
export async function ensureStopped(cli: RunningCli | undefined): Promise<void> {
  if (!cli || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  cli.child.kill('SIGKILL');
  await cli.exited;
}
