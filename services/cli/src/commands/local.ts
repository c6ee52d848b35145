import { parseArgs } from 'node:util';
import { type RuleState, RuleStateSchema } from '@sarwatch/core';
import { type KafkaConnection, parseKafkaConnection } from '@sarwatch/kafka';
import { ConfigError, createLogger, listenForStop } from '@sarwatch/runtime';
import { type Command, EXIT_USAGE } from '../command.js';
import { LocalStackRefused } from '../local/local-guard.js';
import { runLocalStack } from '../local/local-stack.js';

/** How the user set each number, for the message that names a bad one. */
const SETTING_NAMES = {
  rate: '--rate',
  shards: '--shards',
  malformed: '--malformed',
  kafkaPort: '--kafka-port',
  kinesisPort: '--kinesis-port',
  metricsPort: 'METRICS_PORT',
} as const;

export const localCommand: Command = {
  name: 'local',
  help: `Usage: sarwatch local [--rate N] [--shards N] [--stream NAME] [--secure] [--kafka-port P] [--kinesis-port P]

Starts a Kinesis API emulator (kinesalite) on 127.0.0.1:4567 and a single-node Kafka in KRaft mode on
127.0.0.1:9092 (its jars are fetched once from Maven Central with Maven and cached in .cache/), creates the
stream, starts the enricher ('sarwatch run') and feeds it realistic CloudTrail events through a local
EventBridge: each is wrapped as EventBridge wraps it and put through the rule's state and pattern
(infra/eventbridge/sar-cloudtrail-pattern.json); only matching events reach the stream, keyed by $.account
as the deployed target keys them. Calls to other services are in the mix and never reach it. Ctrl-C stops
everything it started.

When KAFKA_BROKERS or KINESIS_ENDPOINT is set, that broker or emulator is used instead of starting one; the
other Kafka variables (KAFKA_SSL, KAFKA_SASL_MECHANISM, ...; README.md, "Connecting to your Kafka") say how to
reach that broker.

Options:
  --rate N            events per second fed into the stream (default 20)
  --shards N          shards of the stream (default 4)
  --stream NAME       stream name (default sarwatch-local)
  --malformed RATIO   share of malformed records fed, 0 to 1 (default 0.02)
  --rule-state STATE  ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (default: read-only calls too),
                      ENABLED (write calls only) or DISABLED
  --secure            the broker started here takes TLS and SCRAM-SHA-512 on port P+2, with a CA and a password
                      made for this run, and everything connects that way; the settings are printed
  --kafka-port P      port of the broker started here (default 9092; P+1 is its controller)
  --kinesis-port P    port of the emulator started here (default 4567)

The enricher serves its metrics on METRICS_PORT (default 9464). A port the stack needs that is already taken, or
a data folder another running stack holds, stops it before it starts anything.

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 one of its processes (emulator, broker, enricher) ended by itself,
2 bad usage, a port in use or a data folder held by another sarwatch local.
`,
  async run(args) {
    let values: ReturnType<typeof parse>['values'];
    let ruleState: RuleState;
    let externalKafka: KafkaConnection | undefined;
    try {
      values = parse(args).values;
      ruleState = parseRuleState(values['rule-state']);
      externalKafka = process.env.KAFKA_BROKERS ? parseKafkaConnection(process.env) : undefined;
      if (externalKafka && values.secure)
        throw new Error('--secure starts a broker; KAFKA_BROKERS names one already');
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`sarwatch local: ${error.message}\n`);
        return EXIT_USAGE;
      }
      process.stderr.write(`sarwatch local: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    const numbers = {
      rate: Number(values.rate),
      shards: Number(values.shards),
      malformed: Number(values.malformed),
      kafkaPort: Number(values['kafka-port']),
      kinesisPort: Number(values['kinesis-port']),
      metricsPort: Number(process.env.METRICS_PORT || 9464),
    };
    const bad = Object.entries(numbers).filter(([, value]) => !Number.isFinite(value) || value < 0);
    if (bad.length > 0 || numbers.malformed > 1) {
      process.stderr.write(
        `sarwatch local: invalid ${bad.map(([name]) => SETTING_NAMES[name as keyof typeof numbers]).join(', ') || '--malformed'}\n`,
      );
      return EXIT_USAGE;
    }
    // A developer tool on a supported Node: the SDK's notice about its future Node floor is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const log = createLogger({
      name: 'sarwatch-local',
      level: process.env.LOG_LEVEL ?? 'info',
      format: 'pretty',
    });
    const stop = listenForStop((signal) =>
      log.info({ signal }, 'stopping (press Ctrl-C again to kill at once)'),
    );
    const run = runLocalStack(
      {
        streamName: values.stream ?? 'sarwatch-local',
        shards: numbers.shards,
        rate: numbers.rate,
        malformedRatio: numbers.malformed,
        ruleState,
        kafkaPort: numbers.kafkaPort,
        kinesisPort: numbers.kinesisPort,
        externalKafka,
        externalKinesis: process.env.KINESIS_ENDPOINT || undefined,
        secure: values.secure ?? false,
        metricsPort: numbers.metricsPort,
        cliPath: process.argv[1] ?? '',
      },
      log,
      stop.signal,
    );
    return run.catch((error: unknown) => {
      if (!(error instanceof LocalStackRefused)) throw error;
      process.stderr.write(`sarwatch local: ${error.message}\n`);
      return EXIT_USAGE;
    });
  },
};

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      rate: { type: 'string', default: '20' },
      shards: { type: 'string', default: '4' },
      stream: { type: 'string' },
      malformed: { type: 'string', default: '0.02' },
      'rule-state': { type: 'string', default: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
      'kafka-port': { type: 'string', default: '9092' },
      'kinesis-port': { type: 'string', default: '4567' },
      secure: { type: 'boolean' },
    },
  });

export function parseRuleState(value: string | undefined): RuleState {
  const parsed = RuleStateSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`--rule-state must be one of ${RuleStateSchema.options.join(', ')}, got ${value}`);
  }
  return parsed.data;
}
