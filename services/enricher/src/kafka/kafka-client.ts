import type { Logger } from '@sarwatch/runtime';
import { Kafka, type LogEntry, logLevel } from 'kafkajs';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

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
        kafkaLog[LEVEL_NAMES[level] ?? 'info'](rest, message);
      },
  });
}
