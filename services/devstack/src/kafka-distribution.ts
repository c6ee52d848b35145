import { join } from 'node:path';
import { requireJava } from './java-toolchain.js';
import type { DevstackLog } from './log.js';
import { ensureMavenJars, type MavenArtifact } from './maven-jars.js';

/** The broker sarwatch runs and tests against: the newest Kafka 4 release on Maven Central that kafkajs works with. */
export const KAFKA_VERSION = '4.4.0';
/** The 3.x line many Amazon MSK clusters still run; the delivery tests run against it too. */
export const KAFKA_3_VERSION = '3.9.1';

// slf4j-reload4j gives the broker a logging backend we configure by file (Kafka 3 and 4 both log through slf4j 1.7).
const brokerArtifacts = (version: string): readonly MavenArtifact[] => [
  { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version },
  { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
];

export interface EnsureKafkaDistributionOptions {
  cacheDir: string;
  log: DevstackLog;
  /** KAFKA_VERSION unless given. */
  version?: string;
}

export interface KafkaDistribution {
  /** Folder of jars; the broker classpath is `<libDir>/*`. */
  libDir: string;
}

/** Makes sure the Kafka broker jars are on disk, fetching them with Maven the first time. */
export async function ensureKafkaDistribution({
  cacheDir,
  log,
  version = KAFKA_VERSION,
}: EnsureKafkaDistributionOptions): Promise<KafkaDistribution> {
  await requireJava();
  const home = join(cacheDir, `kafka-${version}`);
  return {
    libDir: await ensureMavenJars({
      home,
      artifacts: brokerArtifacts(version),
      purpose: `Kafka ${version} broker`,
      log,
    }),
  };
}
