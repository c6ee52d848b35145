import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number | null;
  /** stdout and stderr interleaved, as a developer would have seen them in a terminal. */
  output: string;
}

/**
 * Runs a short-lived command to completion. Rejects only when it cannot start (the spawn error, e.g. ENOENT, is
 * passed through unchanged so callers can tell "not installed" from "failed").
 */
export function runCommand(command: string, args: readonly string[], cwd?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ exitCode, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

export function isNotFound(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
