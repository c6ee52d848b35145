#!/usr/bin/env node
// Makes a fresh clone ready before `npm run local`, `npm test` and `npm run bench`: installs dependencies when they
// are missing or older than the lock file, then compiles TypeScript (incremental, so a no-op when nothing changed).
// Plain JavaScript with no dependencies, because it runs before anything is installed. Installing and building need
// Node 20.19 or newer; sarwatch itself runs on the Node that scripts/node-runtime.mjs picks.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

export function ensureSetup() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(
      `sarwatch needs Node.js 20.19 or newer to install and build; this is ${process.versions.node}.`,
    );
    process.exit(1);
  }
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
    console.error('sarwatch: installing dependencies…');
    // Not `npm ci`: see .ci/run; a mirror may lack optional per-platform packages, which npm ci refuses.
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureSetup();
