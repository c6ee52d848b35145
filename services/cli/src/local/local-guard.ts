import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPortOpen } from '@sarwatch/devstack';

/** Why `sarwatch local` will not start as asked; the message is the one line the user sees. */
export class LocalStackRefused extends Error {
  override readonly name = 'LocalStackRefused';
}

export interface PortClaim {
  port: number;
  /** What the stack would run there, for the message. */
  purpose: string;
}

/**
 * Refuses before anything starts when a port the stack would bind is taken: reusing whatever listens there would
 * mix another stack's data into this one's counts, or worse, wipe the data of a broker still running.
 */
export async function refuseTakenPorts(claims: readonly PortClaim[]): Promise<void> {
  const taken: PortClaim[] = [];
  for (const claim of claims) if (await isPortOpen(claim.port)) taken.push(claim);
  if (taken.length === 0) return;
  const list = taken.map(({ port, purpose }) => `127.0.0.1:${port} (${purpose})`).join(', ');
  throw new LocalStackRefused(
    `${list} ${taken.length === 1 ? 'is' : 'are'} already in use, by another sarwatch local or another program; ` +
      'stop it, or run beside it with --kafka-port, --kinesis-port and METRICS_PORT',
  );
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Holds a stack's data folder for this process, so that a second stack on the same ports can never wipe or reuse
 * it, even in the moments before the first one's broker listens. A lock left by a process that died is taken over.
 */
export async function lockDataFolder(folder: string): Promise<{ release(): Promise<void> }> {
  await mkdir(folder, { recursive: true });
  const lockFile = join(folder, 'sarwatch-local.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      // Created only if absent: of two stacks starting at once, exactly one gets it.
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return { release: () => rm(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && alive(holder)) {
        throw new LocalStackRefused(
          `another sarwatch local (pid ${holder}) is using ${folder}; stop it first`,
        );
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new LocalStackRefused(`could not take ${lockFile}; is another sarwatch local starting?`);
}
