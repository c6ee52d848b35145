import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CommandResult {
  exitCode: number | null;
  /** stdout and stderr interleaved. */
  output: string;
}

/** Runs a short command to completion; rejects with the spawn error itself (e.g. ENOENT) when it cannot start. */
export function runCommand(command: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ exitCode, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** Runs a command and throws, with the tail of its output, unless it exits 0. */
export async function runOrThrow(command: string, args: readonly string[], what: string): Promise<void> {
  let result: CommandResult;
  try {
    result = await runCommand(command, args);
  } catch (error) {
    const hint = isNotFound(error) ? `: ${command} is not on PATH (a JDK 17+ and Maven are needed)` : '';
    throw new Error(`${what} failed${hint}`, { cause: error });
  }
  if (result.exitCode !== 0) {
    const tail = result.output.trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (${command} exit ${result.exitCode}):\n${tail}`);
  }
}

export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
}

const COMPLETE_MARKER = '.complete';

function pomFor({ groupId, artifactId, version }: MavenArtifact): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sarwatch.test</groupId>
  <artifactId>${artifactId}-jars</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * The jars of `artifact` and its runtime dependencies in `<home>/lib`, fetched with Maven the first time (a
 * throwaway pom, `dependency:copy-dependencies`). They land in a scratch folder renamed into place only when
 * complete, and the marker names the version, so neither an interrupted download nor an old one is taken for a cache.
 */
export async function ensureMavenJars(home: string, artifact: MavenArtifact): Promise<string> {
  const libDir = join(home, 'lib');
  const marker = join(libDir, COMPLETE_MARKER);
  const stamp = `${artifact.groupId}:${artifact.artifactId}:${artifact.version}`;
  const cached = async () => (await readFile(marker, 'utf8').catch(() => '')).trim() === stamp;
  if (await cached()) return libDir;

  await mkdir(home, { recursive: true });
  const pomPath = join(home, 'pom.xml');
  await writeFile(pomPath, pomFor(artifact));
  const staging = await mkdtemp(join(home, 'lib.partial-'));
  try {
    await runOrThrow(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        pomPath,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${staging}`,
        '-DincludeScope=runtime',
      ],
      `fetching ${stamp} with Maven (is Maven Central reachable?)`,
    );
    await writeFile(join(staging, COMPLETE_MARKER), `${stamp}\n`);
    await rm(libDir, { recursive: true, force: true });
    await rename(staging, libDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another run finished the same download first: its copy is as good as ours.
    if (await cached()) return libDir;
    throw error;
  }
  return libDir;
}

export function completeMarker(libDir: string): string {
  return join(libDir, COMPLETE_MARKER);
}

/** Every jar in a folder, as paths (ecj, unlike javac and java, does not expand `dir/*` in a classpath). */
export async function jarsIn(libDir: string): Promise<string[]> {
  return (await readdir(libDir))
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(libDir, name));
}
