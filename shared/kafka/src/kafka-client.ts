import type { Logger } from '@sarwatch/runtime';
import { Kafka, type KafkaConfig, type LogEntry, logLevel } from 'kafkajs';
import { mskIamTokens, tokenFile } from './bearer-tokens.js';
import type { KafkaConnection, KafkaSasl } from './connection-config.js';
import { oauthBearerMechanism } from './sasl-oauthbearer.js';

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
 * A fresh object for every client: kafkajs writes its authenticator into the object it is given, so one built for
 * another client (or before a password change) would keep that client's credentials.
 */
function saslOptions(sasl: KafkaSasl, log: Logger): NonNullable<KafkaConfig['sasl']> {
  switch (sasl.mechanism) {
    case 'aws-msk-iam':
      return oauthBearerMechanism(mskIamTokens(sasl.region, log));
    case 'oauthbearer':
      return oauthBearerMechanism(tokenFile(sasl.tokenFile, log));
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}

/** kafkajs logs through our logger so its lines carry the same format and level as ours. */
export function createKafka({
  connection,
  clientId,
  log,
}: {
  connection: KafkaConnection;
  clientId: string;
  log: Logger;
}): Kafka {
  const kafkaLog = log.child({ component: 'kafkajs' });
  if (connection.sasl?.mechanism === 'plain' && !connection.ssl) {
    log.warn(
      'KAFKA_SASL_MECHANISM=plain without KAFKA_SSL=true sends the password over the network unencrypted',
    );
  }
  return new Kafka({
    clientId,
    brokers: connection.brokers,
    ssl: connection.ssl === false ? false : { ...connection.ssl },
    ...(connection.sasl && { sasl: saslOptions(connection.sasl, log.child({ component: 'kafka-auth' })) }),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    // Our callers retry with their own backoff; kafkajs' own retries stay short so failures surface.
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator: () => {
      const levelOf = createLeveller();
      return ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        kafkaLog[levelOf(level, entry)](rest, message);
      };
    },
  });
}
