import { parseArgs } from 'node:util';
import {
  EXIT_KAFKA_ACCESS,
  KafkaAccessGuard,
  type KafkaConnection,
  parseKafkaConnection,
} from '@sarwatch/kafka';
import { ConfigError, listenForStop } from '@sarwatch/runtime';
import { type Command, EXIT_USAGE } from '../command.js';
import { followTopics } from '../kafka/topic-follower.js';

export const tailCommand: Command = {
  name: 'tail',
  summary: 'print the messages of Kafka topics as they arrive',
  help: `Usage: sarwatch tail [TOPIC...] [--from-beginning] [--headers] [--brokers HOST:PORT,...]

Prints each message of the topics (default: sarwatch.events.v1) as one JSON line: topic, key, headers if asked,
and the value (parsed when it is JSON, else as text). It reads as an observer that commits no offsets.

Options:
  --from-beginning   start at the oldest message instead of new ones
  --headers          include the message headers (the dead-letter reason is in a header)
  --brokers          default: $KAFKA_BROKERS, else 127.0.0.1:9092

TLS and SASL come from the same variables as the enricher's: KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE,
KAFKA_SSL_KEY_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE,
KAFKA_SASL_OAUTHBEARER_TOKEN_FILE (README.md, "Connecting to your Kafka").

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 2 bad usage or configuration, 3 Kafka refused access.
`,
  async run(args) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      process.stderr.write(`sarwatch tail: ${(error as Error).message}\n`);
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
    const stop = listenForStop();
    const follow = followTopics({
      connection,
      topics: positionals.length > 0 ? positionals : ['sarwatch.events.v1'],
      fromBeginning: values['from-beginning'] ?? false,
      onMessage: (topic, message) => {
        const headers = values.headers
          ? Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
            )
          : undefined;
        const text = message.value?.toString('utf8') ?? null;
        process.stdout.write(
          `${JSON.stringify({ topic, key: message.key?.toString() ?? null, headers, value: jsonOrText(text) })}\n`,
        );
      },
    });
    const follower = await follow.catch((error: unknown) => {
      const denied = new KafkaAccessGuard(connection).check(error);
      if (!denied) throw error;
      process.stderr.write(`sarwatch tail: ${denied.message}\n`);
      return null;
    });
    if (follower === null) {
      stop.dispose();
      return EXIT_KAFKA_ACCESS;
    }
    await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
    await follower.stop();
    return 0;
  },
};

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      'from-beginning': { type: 'boolean' },
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
