import { z } from 'zod';

/** KAFKA_BROKERS: `host:port` pairs separated by commas. */
export const KafkaBrokersSchema = z
  .string()
  .transform((value) => value.split(',').map((broker) => broker.trim()))
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each broker must be host:port'))
      .min(1, 'at least one broker is required'),
  );
