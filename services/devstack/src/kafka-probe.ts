import { Kafka, logLevel } from 'kafkajs';

/**
 * True when a Kafka broker at `address` answers a metadata request and reports itself. An open port alone is not
 * enough: the socket server accepts connections a moment before the broker can serve requests.
 */
export async function kafkaAnswers(address: string): Promise<boolean> {
  // No retries and no logging: the caller polls, and every refused connection is expected while the JVM boots.
  const kafka = new Kafka({
    clientId: 'sarwatch-devstack-probe',
    brokers: [address],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } finally {
    await admin.disconnect();
  }
}
