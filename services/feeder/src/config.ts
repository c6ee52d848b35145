import { AwsRegionSchema, LoggingConfigSchema } from '@sarwatch/runtime';
import { z } from 'zod';

/** The feeder's settings, from the environment; connection names match the enricher's. */
export const FeederConfigSchema = LoggingConfigSchema.extend({
  KINESIS_STREAM_NAME: z.string().regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be a Kinesis stream name'),
  KINESIS_ENDPOINT: z.url().optional(),
  AWS_REGION: AwsRegionSchema.default('us-east-1'),
  FEED_RATE: z.coerce.number().positive().max(100_000).default(20),
  FEED_SEED: z.coerce.number().int().optional(),
  FEED_MALFORMED_RATIO: z.coerce.number().min(0).max(1).default(0.01),
  FEED_LIMIT: z.coerce.number().int().positive().optional(),
});
export type FeederConfig = z.infer<typeof FeederConfigSchema>;
