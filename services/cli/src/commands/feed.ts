import { parseArgs } from 'node:util';
import { ensureStream } from '@sarwatch/devstack';
import { createEventGenerator, FeederConfigSchema, KinesisFeeder } from '@sarwatch/feeder';
import { createKinesisClient, createLogger, listenForStop, parseEnvironment } from '@sarwatch/runtime';
import { type Command, EXIT_USAGE } from '../command.js';

export const feedCommand: Command = {
  name: 'feed',
  summary: 'put realistic SAR CloudTrail events, wrapped as EventBridge does, into a stream',
  help: `Usage: sarwatch feed [--create-stream] [--shards N]

Generates CloudTrail records of every Serverless Application Repository call, from a mix of identities, wraps
each exactly as EventBridge does, and puts it into KINESIS_STREAM_NAME with EventBridge's partition key (the
envelope id). A small share is malformed on purpose, to exercise the dead-letter path.

Options:
  --create-stream   create the stream if it does not exist
  --shards N        shard count when creating it (default 4)

Environment: KINESIS_STREAM_NAME (required), KINESIS_ENDPOINT, AWS_REGION, FEED_RATE (events/s, default 20),
FEED_SEED, FEED_MALFORMED_RATIO (default 0.01), FEED_LIMIT (stop after this many), LOG_LEVEL, LOG_FORMAT.
`,
  async run(args) {
    let options: { createStream: boolean; shards: number };
    let config: ReturnType<typeof FeederConfigSchema.parse>;
    try {
      const { values } = parseArgs({
        args,
        options: { 'create-stream': { type: 'boolean' }, shards: { type: 'string', default: '4' } },
      });
      options = { createStream: values['create-stream'] ?? false, shards: Number(values.shards) };
      if (!Number.isInteger(options.shards) || options.shards < 1)
        throw new Error('--shards takes a whole number');
      config = parseEnvironment(FeederConfigSchema, process.env);
    } catch (error) {
      process.stderr.write(`sarwatch feed: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    const log = createLogger({ name: 'sarwatch-feeder', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
    const client = createKinesisClient({ region: config.AWS_REGION, endpoint: config.KINESIS_ENDPOINT });
    const stop = listenForStop();
    if (options.createStream) {
      await ensureStream({ client, streamName: config.KINESIS_STREAM_NAME, shardCount: options.shards, log });
    }
    const generator = createEventGenerator({
      seed: config.FEED_SEED ?? Date.now(),
      malformedRatio: config.FEED_MALFORMED_RATIO,
    });
    const feeder = new KinesisFeeder(
      client,
      () => generator.next(),
      { streamName: config.KINESIS_STREAM_NAME, ratePerSecond: config.FEED_RATE, limit: config.FEED_LIMIT },
      log,
    );
    log.info({ stream: config.KINESIS_STREAM_NAME, rate: config.FEED_RATE }, 'feeding');
    const stats = await feeder.run(stop.signal);
    log.info(stats, 'feeder stopped');
    client.destroy();
    return 0;
  },
};
