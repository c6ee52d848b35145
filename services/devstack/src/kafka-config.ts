import { randomBytes } from 'node:crypto';

/** Listeners that take TLS and SASL, beside the plaintext one the devstack itself probes and brokers talk on. */
export interface SecureListeners {
  /** SASL_SSL with SCRAM-SHA-512; its users are created when the storage is formatted. */
  scramPort?: number;
  /**
   * SASL_SSL with OAUTHBEARER, validating unsecured JWS tokens (Kafka's development validator): the client code path
   * of Amazon MSK IAM and any OAuth provider, without one.
   */
  oauthPort?: number;
  /** Forces clients on every SASL listener to authenticate again this often (`connections.max.reauth.ms`). */
  reauthenticateMs?: number;
  keystore: { file: string; password: string };
}

export interface BrokerConfigInput {
  port: number;
  controllerPort: number;
  /** Where the broker keeps its partitions and KRaft metadata (Kafka's `log.dirs`). */
  logDir: string;
  secure?: SecureListeners;
}

// Java .properties treats a backslash as an escape; only matters for Windows-style paths.
const escapeValue = (value: string) => value.replaceAll('\\', '\\\\');

/** A single-node KRaft broker that is also its own controller, reachable on 127.0.0.1 only. */
export function renderServerProperties({ port, controllerPort, logDir, secure }: BrokerConfigInput): string {
  const served = { PLAINTEXT: port, ...(secure && secureListenerPorts(secure)) };
  const addresses = Object.entries(served).map(
    ([name, listenerPort]) => `${name}://127.0.0.1:${listenerPort}`,
  );
  const entries: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: [...addresses, `CONTROLLER://127.0.0.1:${controllerPort}`].join(','),
    'advertised.listeners': addresses.join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map':
      'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SCRAM:SASL_SSL,OAUTH:SASL_SSL',
    'log.dirs': escapeValue(logDir),
    'num.partitions': 1,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    // Consumers in tests join alone; the default 3 s wait for more members only slows every test down.
    'group.initial.rebalance.delay.ms': 0,
    // After a crash the restarted broker may not register until its previous session expires (default 9 s).
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 3_000,
    // Topics are declared by ensureTopics; a typo in a topic name should fail, not silently create a topic.
    'auto.create.topics.enable': false,
    // The dead-letter topic carries the original record, and Kinesis records may be up to 10 MB.
    'message.max.bytes': 10_485_760,
    'replica.fetch.max.bytes': 10_485_760,
    ...(secure && secureListenerProperties(secure)),
  };
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

function secureListenerPorts(secure: SecureListeners): Record<string, number> {
  return {
    ...(secure.scramPort !== undefined && { SCRAM: secure.scramPort }),
    ...(secure.oauthPort !== undefined && { OAUTH: secure.oauthPort }),
  };
}

function secureListenerProperties(secure: SecureListeners): Record<string, string | number> {
  return {
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': escapeValue(secure.keystore.file),
    'ssl.keystore.password': secure.keystore.password,
    'listener.name.scram.sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'listener.name.scram.scram-sha-512.sasl.jaas.config':
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.oauth.sasl.enabled.mechanisms': 'OAUTHBEARER',
    // With no callback handler configured, the broker validates unsecured JWS tokens: fine for tests only.
    'listener.name.oauth.oauthbearer.sasl.jaas.config':
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
    ...(secure.reauthenticateMs !== undefined && { 'connections.max.reauth.ms': secure.reauthenticateMs }),
  };
}

/** Quiet by default; the KafkaRaftServer INFO lines are the ones that say when the broker started or stopped. */
export const LOG4J_PROPERTIES = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
`;

// Kafka's Uuid.toString: 16 random bytes as unpadded base64url. Kafka itself rejects ids starting with '-' (they
// read as CLI flags) and the two reserved all-zero / ...01 ids, which random bytes will not produce in practice.
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
