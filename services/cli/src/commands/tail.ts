import { parseArgs } from 'node:util';
import { listenForStop } from '@sarwatch/runtime';
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
    const stop = listenForStop();
    const follower = await followTopics({
      brokers: (values.brokers ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
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
