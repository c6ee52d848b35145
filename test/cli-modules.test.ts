import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSarwatch } from './support/cli-process.js';

// Records the URL of every module the process resolves, and writes them out as it exits.
const TRACE_HOOK = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    loaded.add(result.url);
    return result;
  },
});
process.on('exit', () => writeFileSync(process.env.MODULE_TRACE_FILE, [...loaded].join('\\n')));
`)}`;

const traceFiles: string[] = [];

async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const file = join(tmpdir(), `sarwatch-modules-${process.pid}-${traceFiles.length}.txt`);
  traceFiles.push(file);
  const run = await runSarwatch(args, {
    NODE_OPTIONS: `--import=${TRACE_HOOK}`,
    MODULE_TRACE_FILE: file,
  });
  expect(run.code, run.stderr).toBe(0);
  return (await readFile(file, 'utf8')).split('\n');
}

const OTHER_COMMANDS_DEPENDENCIES = [
  '/node_modules/@aws-sdk/client-eventbridge/',
  '/node_modules/@aws-sdk/client-s3/',
  '/services/devstack/',
  '/services/reconciler/',
  '/services/notifier/',
];

afterAll(async () => {
  await Promise.all(traceFiles.map((file) => rm(file, { force: true })));
});

describe('what a command loads', () => {
  it('sarwatch run loads the enricher and none of the other commands’ dependencies', async () => {
    const loaded = await modulesLoadedBy(['run', '--help']);
    expect(loaded.some((url) => url.includes('/services/enricher/'))).toBe(true);
    for (const dependency of OTHER_COMMANDS_DEPENDENCIES) {
      expect(loaded.filter((url) => url.includes(dependency))).toEqual([]);
    }
  });

  it('sarwatch infra loads the EventBridge client it needs', async () => {
    const loaded = await modulesLoadedBy(['infra', '--help']);
    expect(loaded.some((url) => url.includes('/node_modules/@aws-sdk/client-eventbridge/'))).toBe(true);
  });
});
