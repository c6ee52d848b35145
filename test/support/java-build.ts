import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type CommandResult, runCommand } from '@sarwatch/devstack';

export { runCommand };

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

/** The file ensureMavenJars writes last: its age is the age of the jars. */
export const completeMarker = (libDir: string) => join(libDir, '.complete');

/** Every jar in a folder, as paths (ecj, unlike javac and java, does not expand `dir/*` in a classpath). */
export async function jarsIn(libDir: string): Promise<string[]> {
  return (await readdir(libDir))
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(libDir, name));
}
