import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevstackError } from './errors.js';

function declaresWorkspaces(packageJsonPath: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'workspaces' in parsed;
  } catch {
    return false;
  }
}

/** The monorepo root: the nearest folder above `from` whose package.json declares npm workspaces. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && declaresWorkspaces(candidate)) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new DevstackError(
        'REPO_ROOT_NOT_FOUND',
        `no package.json with "workspaces" above ${from}; pass cacheDir explicitly`,
      );
    }
    dir = parent;
  }
}

/** `<repoRoot>/.cache`: git-ignored, shared by `sarwatch local` and the test harness so jars download once. */
export function defaultCacheDir(): string {
  return join(findRepoRoot(), '.cache');
}
