#!/usr/bin/env node
// Makes a fresh clone ready before `npm run local` and `npm test`: installs dependencies when they are missing
// or older than the lock file, then compiles TypeScript (incremental, so a no-op when nothing changed).
// Plain JavaScript with no dependencies, because it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`sarwatch needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.error('sarwatch: installing dependencies…');
  // Not `npm ci`: see .ci/run; a mirror may lack optional per-platform packages, which npm ci refuses.
  run('npm', ['install', '--no-audit', '--no-fund']);
}
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
