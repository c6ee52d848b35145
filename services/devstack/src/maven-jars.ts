import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DevstackError } from './errors.js';
import { lastLines, runCommand } from './exec.js';
import { requireMaven } from './java-toolchain.js';
import type { DevstackLog } from './log.js';

export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
}

export interface EnsureMavenJarsOptions {
  /** The folder the pom and the `lib/` of jars live in, under the git-ignored cache. */
  home: string;
  /** The artifacts whose runtime classpath is wanted; Maven resolves what they depend on. */
  artifacts: readonly MavenArtifact[];
  /** What the jars are for, in log lines and errors. */
  purpose: string;
  log: DevstackLog;
}

const COMPLETE_MARKER = '.complete';

/**
 * The jars of some Maven Central artifacts and their runtime dependencies, in `<home>/lib`, fetched the first time
 * with a throwaway pom and `dependency:copy-dependencies` (Maven Central has no "distribution" artifact to take).
 * They land in a scratch folder renamed into place only when complete, and the marker names what was fetched, so
 * neither an interrupted download nor one of other versions is taken for the cache.
 */
export async function ensureMavenJars({
  home,
  artifacts,
  purpose,
  log,
}: EnsureMavenJarsOptions): Promise<string> {
  const libDir = join(home, 'lib');
  const marker = join(libDir, COMPLETE_MARKER);
  const stamp = artifacts
    .map(({ groupId, artifactId, version }) => `${groupId}:${artifactId}:${version}`)
    .join(' ');
  const cached = async () => (await readFile(marker, 'utf8').catch(() => '')).trim() === stamp;
  if (await cached()) return libDir;

  await requireMaven();
  await mkdir(home, { recursive: true });
  const pomPath = join(home, 'pom.xml');
  await writeFile(pomPath, pomFor(artifacts));
  const staging = await mkdtemp(join(home, 'lib.partial-'));
  const startedAt = Date.now();
  log.info({ libDir, artifacts: stamp }, `fetching ${purpose} jars with Maven (first run only)`);
  try {
    const args = ['-q', '-B', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`];
    const result = await runCommand('mvn', [...args, '-DincludeScope=runtime']);
    if (result.exitCode !== 0) {
      throw new DevstackError(
        'MAVEN_FAILED',
        `Maven could not fetch ${purpose} (exit ${result.exitCode}); is Maven Central reachable?\n` +
          lastLines(result.output, 30),
      );
    }
    await writeFile(join(staging, COMPLETE_MARKER), `${stamp}\n`);
    await rm(libDir, { recursive: true, force: true });
    await rename(staging, libDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process finished the same download first: its copy is as good as ours.
    if (await cached()) return libDir;
    throw error;
  }
  log.info({ libDir, ms: Date.now() - startedAt }, `${purpose} jars ready`);
  return libDir;
}

function pomFor(artifacts: readonly MavenArtifact[]): string {
  const dependencies = artifacts
    .map(
      ({ groupId, artifactId, version }) => `    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${version}</version>
    </dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sarwatch</groupId>
  <artifactId>cached-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}
