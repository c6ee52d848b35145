import { randomBytes } from 'node:crypto';

export interface BrokerConfigInput {
  port: number;
  controllerPort: number;
  /** Where the broker keeps its partitions and KRaft metadata (Kafka's `log.dirs`). */
  logDir: string;
}

// Java .properties treats a backslash as an escape; only matters for Windows-style paths.
const escapeValue = (value: string) => value.replaceAll('\\', '\\\\');

/** A single-node KRaft broker that is also its own controller, reachable on 127.0.0.1 only. */
export function renderServerProperties({ port, controllerPort, logDir }: BrokerConfigInput): string {
  const entries: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
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
  };
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
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
