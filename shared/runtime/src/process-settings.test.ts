import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SARWATCH_ALLOCATOR_ENV, SARWATCH_NODE_FLAGS } from './process-settings.js';

const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');

describe('process settings', () => {
  it('are the flags the image starts node with', () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint).toBeDefined();
    const command = JSON.parse(entrypoint ?? '[]') as string[];
    expect(command).toEqual(['node', ...SARWATCH_NODE_FLAGS, 'services/cli/dist/bin.js']);
  });

  it('are the allocator settings the image sets', () => {
    const set = [...dockerfile.matchAll(/^ENV (MALLOC_\w+)=(\S+)$/gm)].map(([, name, value]) => [
      name,
      value,
    ]);
    expect(Object.fromEntries(set)).toEqual(SARWATCH_ALLOCATOR_ENV);
  });
});
