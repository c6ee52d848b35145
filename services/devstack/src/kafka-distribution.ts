import { join } from 'node:path';
import { requireJava } from './java-toolchain.js';
import type { DevstackLog } from './log.js';
import { ensureMavenJars, type MavenArtifact } from './maven-jars.js';

export const KAFKA_VERSION = '3.9.1';

// slf4j-reload4j gives the broker a logging backend we configure by file.
const BROKER_ARTIFACTS: readonly MavenArtifact[] = [
  { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: KAFKA_VERSION },
  { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
];

export interface EnsureKafkaDistributionOptions {
  cacheDir: string;
  log: DevstackLog;
}

export interface KafkaDistribution {
  /** Folder of jars; the broker classpath is `<libDir>/*`. */
  libDir: string;
}

/** Makes sure the Kafka broker jars are on disk, fetching them with Maven the first time. */
export async function ensureKafkaDistribution({
  cacheDir,
  log,
}: EnsureKafkaDistributionOptions): Promise<KafkaDistribution> {
  await requireJava();
  const home = join(cacheDir, `kafka-${KAFKA_VERSION}`);
  return {
    libDir: await ensureMavenJars({
      home,
      artifacts: BROKER_ARTIFACTS,
      purpose: `Kafka ${KAFKA_VERSION} broker`,
      log,
    }),
  };
}
