import type { Logger } from '@sarwatch/runtime';
import { Kafka, type LogEntry, logLevel } from 'kafkajs';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs warnings that do not apply to how sarwatch uses it, logged at debug instead:
 * - limited retries on a transactional producer: a failed transaction is aborted, and the shard is acquired
 *   again under a new producer epoch, so nothing given up on can be resent as a duplicate;
 * - the partitioner change of kafkajs 2.0: sarwatch has always used the 2.x default.
 */
const NOT_APPLICABLE = [
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
  'KafkaJS v2.0.0 switched default partitioner',
];

/** kafkajs logs through our logger so its lines carry the same format and level as ours. */
export function createKafka({
  brokers,
  clientId,
  log,
}: {
  brokers: string[];
  clientId: string;
  log: Logger;
}): Kafka {
  const kafkaLog = log.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    // Our callers retry with their own backoff; kafkajs' own retries stay short so failures surface.
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        const applies = !NOT_APPLICABLE.some((known) => message.startsWith(known));
        kafkaLog[applies ? (LEVEL_NAMES[level] ?? 'info') : 'debug'](rest, message);
      },
  });
}
