import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ChildProcesses, defaultChildProcesses } from './children.js';
import { DevstackError } from './errors.js';
import { lastLines, runCommand } from './exec.js';
import {
  LOG4J_PROPERTIES,
  newClusterId,
  renderServerProperties,
  type SecureListeners,
} from './kafka-config.js';
import { ensureKafkaDistribution, KAFKA_VERSION } from './kafka-distribution.js';
import { kafkaAnswers } from './kafka-probe.js';
import type { DevstackLog } from './log.js';
import {
  describeExit,
  hasExited,
  ownedProcess,
  type RunningProcess,
  reuseIfListening,
  terminate,
} from './running-process.js';
import { isPortOpen, LOCALHOST } from './tcp.js';
import { waitUntil } from './wait.js';

export interface StartKafkaOptions {
  port?: number;
  controllerPort?: number;
  /** Holds the broker's config, its log (`broker.log`) and its data; reuse it to restart with the same topics. */
  dataDir: string;
  /** Where the broker jars are cached; see defaultCacheDir(). */
  cacheDir: string;
  log: DevstackLog;
  heapMb?: number;
  readyTimeoutMs?: number;
  /** Who kills the child if this process exits without stop(); defaults to the shared registry. */
  children?: ChildProcesses;
  /** The Kafka release to run; KAFKA_VERSION unless given. */
  version?: string;
  /** TLS and SASL listeners besides the plaintext one, and the SCRAM users to create with a new storage. */
  secure?: SecureListeners & { scramUsers?: readonly ScramUser[] };
}

export interface ScramUser {
  name: string;
  password: string;
}

const LOG_TAIL_LINES = 40;

interface BrokerFiles {
  serverProperties: string;
  log4jProperties: string;
  brokerLog: string;
  logDir: string;
}

function brokerFiles(dataDir: string): BrokerFiles {
  return {
    serverProperties: join(dataDir, 'server.properties'),
    log4jProperties: join(dataDir, 'log4j.properties'),
    brokerLog: join(dataDir, 'broker.log'),
    logDir: join(dataDir, 'kraft'),
  };
}

/** The broker's output since `fromByte`, so an error shows this run's failure rather than an older one. */
async function logTail(brokerLog: string, fromByte: number): Promise<string> {
  try {
    const text = (await readFile(brokerLog)).subarray(fromByte).toString('utf8');
    return lastLines(text, LOG_TAIL_LINES);
  } catch {
    return '(no broker log)';
  }
}

function brokerArgs(classpath: string, files: BrokerFiles, heapMb: number): string[] {
  return [
    `-Xmx${heapMb}m`,
    '-Djava.awt.headless=true',
    '-cp',
    classpath,
    `-Dlog4j.configuration=file:${files.log4jProperties}`,
    'kafka.Kafka',
    files.serverProperties,
  ];
}

async function formatStorageIfNew(
  classpath: string,
  files: BrokerFiles,
  scramUsers: readonly ScramUser[],
  log: DevstackLog,
): Promise<void> {
  // meta.properties is what `kafka-storage format` writes; its presence means this data dir has a cluster id.
  if (existsSync(join(files.logDir, 'meta.properties'))) return;
  const clusterId = newClusterId();
  const result = await runCommand('java', [
    '-cp',
    classpath,
    `-Dlog4j.configuration=file:${files.log4jProperties}`,
    'kafka.tools.StorageTool',
    'format',
    '--ignore-formatted',
    '-t',
    clusterId,
    '-c',
    files.serverProperties,
    // KRaft keeps SCRAM credentials in its metadata log: they are added with the storage, before the first start.
    ...scramUsers.flatMap(({ name, password }) => [
      '--add-scram',
      `SCRAM-SHA-512=[name=${name},password=${password}]`,
    ]),
  ]);
  if (result.exitCode !== 0) {
    throw new DevstackError(
      'COMMAND_FAILED',
      `formatting Kafka storage in ${files.logDir} failed (exit ${result.exitCode}):\n${lastLines(result.output, 20)}`,
    );
  }
  log.info({ logDir: files.logDir, clusterId }, 'formatted new Kafka storage');
}

/**
 * Starts a single-node KRaft broker on 127.0.0.1, or reuses one already listening on `port`. Calling it again
 * with the same dataDir after stop() brings the same broker (same cluster id, topics and offsets) back.
 */
export async function startKafka(options: StartKafkaOptions): Promise<RunningProcess> {
  const { dataDir, cacheDir, log } = options;
  const port = options.port ?? 9092;
  const controllerPort = options.controllerPort ?? 9093;
  const heapMb = options.heapMb ?? 512;
  const version = options.version ?? KAFKA_VERSION;
  const children = options.children ?? defaultChildProcesses;
  const address = `${LOCALHOST}:${port}`;

  // The port may belong to a broker still booting (a parallel run started it), so allow it a while to answer.
  const reused = await reuseIfListening({
    name: 'Kafka',
    address,
    port,
    answers: () => kafkaAnswers(address),
    timeoutMs: 15_000,
    log,
  });
  if (reused) return reused;
  if (await isPortOpen(controllerPort)) {
    throw new DevstackError(
      'PORT_TAKEN',
      `Kafka controller port ${LOCALHOST}:${controllerPort} is already in use`,
    );
  }

  const { libDir } = await ensureKafkaDistribution({ cacheDir, log, version });
  const classpath = join(libDir, '*');
  const files = brokerFiles(dataDir);
  await mkdir(files.logDir, { recursive: true });
  await writeFile(
    files.serverProperties,
    renderServerProperties({ port, controllerPort, logDir: files.logDir, secure: options.secure }),
  );
  await writeFile(files.log4jProperties, LOG4J_PROPERTIES);
  await formatStorageIfNew(classpath, files, options.secure?.scramUsers ?? [], log);

  await appendFile(
    files.brokerLog,
    `\n=== sarwatch devstack: starting broker ${new Date().toISOString()} ===\n`,
  );
  const logStart = (await stat(files.brokerLog)).size;
  // The broker writes straight to the file (not through a pipe to us), so its log survives our exit and a
  // chatty broker never waits on our event loop.
  const logFd = openSync(files.brokerLog, 'a');
  let child: ChildProcess;
  try {
    child = spawn('java', brokerArgs(classpath, files, heapMb), {
      cwd: dataDir,
      // Its own process group: a Ctrl-C in the terminal reaches the clients first, and the owner stops the broker
      // last, once they have flushed. The exit hook in ChildProcesses still kills it if the owner dies.
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
  const startedAt = Date.now();
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  children.track(child);

  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const outcome = await waitUntil(async () => (await isPortOpen(port)) && (await kafkaAnswers(address)), {
    timeoutMs: readyTimeoutMs,
    giveUpIf: () => spawnError !== undefined || hasExited(child),
  });
  if (!outcome.ready) {
    await terminate(child);
    const tail = await logTail(files.brokerLog, logStart);
    const message = (why: string) => `Kafka broker ${why}; last lines of ${files.brokerLog}:\n${tail}`;
    if (outcome.reason === 'timeout') {
      throw new DevstackError('NOT_READY', message(`was not ready within ${readyTimeoutMs} ms`), {
        cause: outcome.lastError,
      });
    }
    const how = spawnError?.message ?? describeExit(child);
    throw new DevstackError('EXITED_EARLY', message(`exited before it was ready (${how})`), {
      cause: spawnError,
    });
  }
  log.info({ address, version, pid: child.pid, dataDir, ms: Date.now() - startedAt }, 'Kafka broker ready');
  return ownedProcess('kafka', address, child, log);
}
