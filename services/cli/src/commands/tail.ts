import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import {
  EXIT_KAFKA_ACCESS,
  KafkaAccessGuard,
  type KafkaConnection,
  parseKafkaConnection,
} from '@sarwatch/kafka';
import { ConfigError, listenForStop } from '@sarwatch/runtime';
import { type Command, EXIT_USAGE } from '../command.js';
import { followTopics, MissingTopicsError } from '../kafka/topic-follower.js';

const EXIT_FAILED = 1;
const REACH_TIMEOUT_MS = 3_000;

export const tailCommand: Command = {
  name: 'tail',
  help: `Usage: sarwatch tail [TOPIC...] [--from-beginning] [--until-end] [--max N] [--headers] [--brokers HOST:PORT,...]

Prints each message of the topics (default: sarwatch.events.v1) as one JSON line: topic, key, headers if asked,
and the value (parsed when it is JSON, else as text). It reads committed transactions only, as an observer that
commits no offsets.

Options:
  --from-beginning   start at the oldest message instead of new ones
  --until-end        stop once every message there was at the start has been printed (with --from-beginning)
  --max N            stop after N messages
  --headers          include the message headers (the dead-letter reason is in a header)
  --brokers          default: $KAFKA_BROKERS, else 127.0.0.1:9092

TLS and SASL come from the same variables as the enricher's: KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE,
KAFKA_SSL_KEY_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE,
KAFKA_SASL_OAUTHBEARER_TOKEN_FILE (README.md, "Connecting to your Kafka").

Exit codes: 0 stopped by Ctrl-C or SIGTERM, by --max or --until-end, or by the reader going away (| head: noticed
when the next message is printed);
1 a topic does not exist or no broker answers; 2 bad usage or configuration; 3 Kafka refused access.
`,
  async run(args) {
    let parsed: ReturnType<typeof parse>;
    let max: number | undefined;
    try {
      parsed = parse(args);
      max = parsed.values.max === undefined ? undefined : Number(parsed.values.max);
      if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
        throw new Error(`--max takes a whole number above 0, got ${parsed.values.max}`);
      }
    } catch (error) {
      process.stderr.write(`sarwatch tail: ${(error as Error).message}; see 'sarwatch tail --help'\n`);
      return EXIT_USAGE;
    }
    const { values, positionals } = parsed;
    let connection: KafkaConnection;
    try {
      connection = parseKafkaConnection({
        ...process.env,
        KAFKA_BROKERS: values.brokers ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`sarwatch tail: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const unreachable = await firstReachable(connection.brokers);
    if (unreachable !== null) {
      process.stderr.write(`sarwatch tail: ${unreachable}\n`);
      return EXIT_FAILED;
    }
    const stop = listenForStop();
    const done = new AbortController();
    // The reader went away (| head): nothing more can be shown, which is no failure.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') done.abort();
    });
    let printed = 0;
    const follow = followTopics({
      connection,
      topics: positionals.length > 0 ? positionals : ['sarwatch.events.v1'],
      fromBeginning: values['from-beginning'] ?? false,
      untilEnd: values['until-end'] ?? false,
      onMessage: (topic, message) => {
        if (done.signal.aborted) return;
        const headers = values.headers
          ? Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
            )
          : undefined;
        const text = message.value?.toString('utf8') ?? null;
        process.stdout.write(
          `${JSON.stringify({ topic, key: message.key?.toString() ?? null, headers, value: jsonOrText(text) })}\n`,
        );
        printed += 1;
        if (printed === max) done.abort();
      },
    });
    const follower = await follow.catch((error: unknown) => {
      const denied = new KafkaAccessGuard(connection).check(error);
      if (denied) {
        process.stderr.write(`sarwatch tail: ${denied.message}\n`);
        return EXIT_KAFKA_ACCESS;
      }
      if (error instanceof MissingTopicsError) {
        process.stderr.write(
          `sarwatch tail: ${error.message} at ${connection.brokers.join(',')}; the enricher creates its topics when it starts\n`,
        );
        return EXIT_FAILED;
      }
      throw error;
    });
    if (typeof follower === 'number') {
      stop.dispose();
      return follower;
    }
    void follower.caughtUp.then(() => done.abort());
    await new Promise((resolve) => {
      for (const signal of [stop.signal, done.signal])
        signal.addEventListener('abort', resolve, { once: true });
    });
    await follower.stop();
    stop.dispose();
    return 0;
  },
};

/** Null when a broker of the list accepts a connection; else why none did, in one line, after a few seconds at most. */
async function firstReachable(brokers: readonly string[]): Promise<string | null> {
  const reasons: string[] = [];
  for (const broker of brokers) {
    const separator = broker.lastIndexOf(':');
    const reason = await tcpReason(broker.slice(0, separator), Number(broker.slice(separator + 1)));
    if (reason === null) return null;
    reasons.push(`${broker} (${reason})`);
  }
  return `cannot reach Kafka: ${reasons.join(', ')}`;
}

function tcpReason(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: REACH_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer within ${REACH_TIMEOUT_MS / 1000} s`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      'from-beginning': { type: 'boolean' },
      'until-end': { type: 'boolean' },
      max: { type: 'string' },
      headers: { type: 'boolean' },
      brokers: { type: 'string' },
    },
  });

function jsonOrText(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
