import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DevstackError } from './errors.js';
import { lastLines, runCommand } from './exec.js';
import { requireJava, requireMaven } from './java-toolchain.js';
import type { DevstackLog } from './log.js';

export const KAFKA_VERSION = '3.9.1';

// Maven Central has the broker jars but no "distribution" artifact; a throwaway pom lets Maven resolve the
// transitive runtime classpath for us. slf4j-reload4j gives the broker a logging backend we configure by file.
const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sarwatch</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
`;

const COMPLETE_MARKER = '.complete';

export interface EnsureKafkaDistributionOptions {
  cacheDir: string;
  log: DevstackLog;
}

export interface KafkaDistribution {
  /** Folder of jars; the broker classpath is `<libDir>/*`. */
  libDir: string;
}

/**
 * Makes sure the Kafka broker jars are on disk, fetching them with Maven the first time. Jars land in a scratch
 * folder that is renamed into place only once complete, so an interrupted download is never mistaken for a cache.
 */
export async function ensureKafkaDistribution(
  options: EnsureKafkaDistributionOptions,
): Promise<KafkaDistribution> {
  const { cacheDir, log } = options;
  const home = join(cacheDir, `kafka-${KAFKA_VERSION}`);
  const libDir = join(home, 'lib');

  await requireJava();
  if (existsSync(join(libDir, COMPLETE_MARKER))) return { libDir };

  await requireMaven();
  await mkdir(home, { recursive: true });
  const pomPath = join(home, 'pom.xml');
  await writeFile(pomPath, POM);
  // A lib folder without the marker predates it or was left half-written by hand; it cannot be trusted.
  await rm(libDir, { recursive: true, force: true });

  const staging = await mkdtemp(join(home, 'lib.partial-'));
  const startedAt = Date.now();
  log.info({ libDir, kafkaVersion: KAFKA_VERSION }, 'fetching Kafka broker jars with Maven (first run only)');
  try {
    const result = await runCommand('mvn', [
      '-q',
      '-B',
      '-f',
      pomPath,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ]);
    if (result.exitCode !== 0) {
      throw new DevstackError(
        'MAVEN_FAILED',
        `Maven could not fetch Kafka ${KAFKA_VERSION} (exit ${result.exitCode}); is Maven Central reachable?\n` +
          lastLines(result.output, 30),
      );
    }
    await writeFile(join(staging, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    await rename(staging, libDir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    // Another process finished the same download first: its copy is as good as ours.
    if (existsSync(join(libDir, COMPLETE_MARKER))) return { libDir };
    throw err;
  }
  log.info({ libDir, ms: Date.now() - startedAt }, 'Kafka broker jars ready');
  return { libDir };
}
