import { BoundedMap } from '@sarwatch/core';
import type { Logger } from '@sarwatch/runtime';
import { type LogEntry, logLevel } from 'kafkajs';

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

/**
 * Broker answers that kafkajs logs as errors and then retries, and that are expected while a broker starts or a
 * coordinator moves: a fresh broker elects its group and transaction coordinators, and new topics elect leaders.
 * A group that rebalances (an instance joins or leaves) answers every heartbeat with a request to rejoin.
 * They are logged at debug; one that persists still surfaces, as the error of the request that gave up.
 */
const EXPECTED_WHILE_STARTING = new Set([
  'The group coordinator is not available',
  "The coordinator is loading and hence can't process requests for this group",
  'This is not the correct coordinator for this group',
  'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
  'This server does not host this topic-partition',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'The group is rebalancing, so a rejoin is needed',
]);

/**
 * A consumer that crashes on one of those answers says so in its message, then that it restarts; a producer retrying
 * a send says so in its message too. A transaction that begins while the broker still writes the last one's markers
 * is answered with CONCURRENT_TRANSACTIONS, which a fast pipeline meets now and then.
 */
const CRASH = /^Crash: \w+: (.*)$/;
const SEND_RETRY = 'Failed to send messages: ';
const RESTARTING = 'Restarting the consumer in';

/**
 * The level sarwatch logs a kafkajs entry at. It keeps, per consumer group, whether the last crash was an expected
 * answer, so the restart that follows it is as quiet as the crash.
 */
function createLeveller(): (level: number, entry: LogEntry['log']) => 'error' | 'warn' | 'info' | 'debug' {
  const expectedCrash = new Set<unknown>();
  return (level, entry) => {
    if (NOT_APPLICABLE.some((known) => entry.message.startsWith(known))) return 'debug';
    if (typeof entry.error === 'string' && EXPECTED_WHILE_STARTING.has(entry.error)) return 'debug';
    if (
      entry.message.startsWith(SEND_RETRY) &&
      EXPECTED_WHILE_STARTING.has(entry.message.slice(SEND_RETRY.length))
    )
      return 'debug';
    const crash = CRASH.exec(entry.message);
    if (crash) {
      const expected = EXPECTED_WHILE_STARTING.has(crash[1] ?? '');
      if (expected) expectedCrash.add(entry.groupId);
      else expectedCrash.delete(entry.groupId);
      if (expected) return 'debug';
    }
    if (entry.message.startsWith(RESTARTING) && expectedCrash.has(entry.groupId)) return 'debug';
    return LEVEL_NAMES[level] ?? 'info';
  };
}

/**
 * A kafkajs warning or error repeated word for word within this long of the last one written is counted instead,
 * and the next one written says how many were not: while a broker is down, every client's every reconnection logs
 * the same lines, hundreds a minute.
 */
export const REPEAT_WINDOW_MS = 30_000;
/** Bounds the lines remembered, whatever text kafkajs puts in its messages. */
const MAX_REMEMBERED_LINES = 1_000;

/** Writes kafkajs' log entries to sarwatch's logger: levelled as above, repeats counted, without stack traces. */
export function kafkajsLogWriter(log: Logger, now: () => number = Date.now): (entry: LogEntry) => void {
  const levelOf = createLeveller();
  const written = new BoundedMap<string, { atMs: number; repeated: number }>(MAX_REMEMBERED_LINES);
  return ({ level, log: entry }) => {
    // kafkajs' stack traces run through its own code; the message names the error, and an unreachable or
    // restarting broker is an expected condition, shown without one.
    const { message, stack: _stack, ...rest } = entry;
    const writeAt = levelOf(level, entry);
    let repeatedSinceLast = 0;
    if (writeAt === 'error' || writeAt === 'warn') {
      const key = `${writeAt} ${message}`;
      const last = written.get(key);
      const atMs = now();
      if (last && atMs - last.atMs < REPEAT_WINDOW_MS) {
        last.repeated += 1;
        return;
      }
      repeatedSinceLast = last?.repeated ?? 0;
      written.set(key, { atMs, repeated: 0 });
    }
    log[writeAt](repeatedSinceLast > 0 ? { ...rest, repeatedSinceLast } : rest, message);
  };
}
