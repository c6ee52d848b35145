import { parseArgs } from 'node:util';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { RuleState } from '@sarwatch/core';
import { ensureStream } from '@sarwatch/devstack';
import {
  createEventGenerator,
  type FeederConfig,
  FeederConfigSchema,
  FeedImpossibleError,
  impossibleFeed,
  KinesisFeeder,
} from '@sarwatch/feeder';
import {
  createKinesisClient,
  createLogger,
  type Logger,
  listenForStop,
  parseEnvironment,
} from '@sarwatch/runtime';
import { type Command, EXIT_USAGE } from '../command.js';
import { LOCAL_OTHER_SERVICE_RATIO, localSarRule } from '../infra/sar-rule.js';
import { parseRuleState } from './local.js';

export const feedCommand: Command = {
  name: 'feed',
  help: `Usage: sarwatch feed [--create-stream] [--shards N] [--rule-state STATE]

Generates CloudTrail records of every Serverless Application Repository call, from a mix of identities, plus
a few calls to other services. A local EventBridge wraps each exactly as EventBridge does and applies the
rule's state and pattern (infra/eventbridge/sar-cloudtrail-pattern.json); matching events go into
KINESIS_STREAM_NAME keyed by $.account, as the deployed target keys them. A small share of records is
malformed on purpose, to exercise the dead-letter path. FEED_RATE counts generated calls, delivered or not.

Options:
  --create-stream     create the stream if it does not exist
  --shards N          shard count when creating it (default 4)
  --rule-state STATE  ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (default), ENABLED (write calls only)
                      or DISABLED

Environment: KINESIS_STREAM_NAME (required), KINESIS_ENDPOINT, AWS_REGION, FEED_RATE (events/s, default 20),
FEED_SEED, FEED_MALFORMED_RATIO (default 0.01), FEED_LIMIT (stop after this many), LOG_LEVEL, LOG_FORMAT.

Exit codes: 0 stopped by Ctrl-C or SIGTERM, or FEED_LIMIT reached; 1 the stream cannot be fed as configured (it does
not exist, no credentials, credentials refused); 2 bad usage or configuration.
`,
  async run(args) {
    let options: { createStream: boolean; shards: number; ruleState: RuleState };
    let config: FeederConfig;
    let bus: ReturnType<typeof localSarRule>;
    try {
      const { values } = parseArgs({
        args,
        options: {
          'create-stream': { type: 'boolean' },
          shards: { type: 'string', default: '4' },
          'rule-state': { type: 'string', default: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
        },
      });
      options = {
        createStream: values['create-stream'] ?? false,
        shards: Number(values.shards),
        ruleState: parseRuleState(values['rule-state']),
      };
      if (!Number.isInteger(options.shards) || options.shards < 1)
        throw new Error('--shards takes a whole number');
      config = parseEnvironment(FeederConfigSchema, process.env);
      bus = localSarRule(options.ruleState);
    } catch (error) {
      process.stderr.write(`sarwatch feed: ${(error as Error).message}; see 'sarwatch feed --help'\n`);
      return EXIT_USAGE;
    }
    const log = createLogger({ name: 'sarwatch-feeder', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
    const client = createKinesisClient({ region: config.AWS_REGION, endpoint: config.KINESIS_ENDPOINT });
    const stop = listenForStop();
    try {
      return await feed(config, options, bus, client, log, stop.signal);
    } catch (error) {
      const impossible =
        error instanceof FeedImpossibleError
          ? error.message
          : impossibleFeed(error, config.KINESIS_STREAM_NAME);
      if (impossible === null) throw error;
      process.stderr.write(`sarwatch feed: ${impossible}\n`);
      return EXIT_FEED_IMPOSSIBLE;
    } finally {
      stop.dispose();
      client.destroy();
    }
  },
};

const EXIT_FEED_IMPOSSIBLE = 1;

async function feed(
  config: FeederConfig,
  options: { createStream: boolean; shards: number },
  bus: ReturnType<typeof localSarRule>,
  client: KinesisClient,
  log: Logger,
  stop: AbortSignal,
): Promise<number> {
  if (options.createStream) {
    await ensureStream({ client, streamName: config.KINESIS_STREAM_NAME, shardCount: options.shards, log });
  }
  const generator = createEventGenerator({
    seed: config.FEED_SEED ?? Date.now(),
    malformedRatio: config.FEED_MALFORMED_RATIO,
    otherServiceRatio: LOCAL_OTHER_SERVICE_RATIO,
  });
  const feeder = new KinesisFeeder(
    client,
    () => bus.route(generator.next()),
    { streamName: config.KINESIS_STREAM_NAME, ratePerSecond: config.FEED_RATE, limit: config.FEED_LIMIT },
    log,
  );
  log.info({ stream: config.KINESIS_STREAM_NAME, rate: config.FEED_RATE }, 'feeding');
  const stats = await feeder.run(stop);
  log.info({ ...stats, eventBridge: bus.counts }, 'feeder stopped');
  return 0;
}
