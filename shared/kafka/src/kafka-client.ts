import type { Logger } from '@sarwatch/runtime';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { mskIamTokens, tokenFile } from './bearer-tokens.js';
import type { KafkaConnection, KafkaSasl } from './connection-config.js';
import { requestFreeingSockets } from './kafkajs-hot-path.js';
import { kafkajsLogWriter } from './kafkajs-log.js';
import { retryConcurrentTransactionsQuickly } from './kafkajs-transaction-retry.js';
import { oauthBearerMechanism } from './sasl-oauthbearer.js';

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
  retryConcurrentTransactionsQuickly();
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
    logCreator: () => kafkajsLogWriter(kafkaLog),
    socketFactory: requestFreeingSockets(),
  });
}
