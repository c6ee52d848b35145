import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SARWATCH_NODE_FLAGS } from './node-flags.js';

describe('SARWATCH_NODE_FLAGS', () => {
  it('are the flags the image starts node with', () => {
    const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint).toBeDefined();
    const command = JSON.parse(entrypoint ?? '[]') as string[];
    expect(command).toEqual(['node', ...SARWATCH_NODE_FLAGS, 'services/cli/dist/bin.js']);
  });
});
