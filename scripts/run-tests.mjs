#!/usr/bin/env node
// `npm test`: the unit tests on the oldest Node line sarwatch supports, then the integration tests (and the Kafka 3
// compatibility run) on the Node it ships on. `--unit` runs the unit tests only. Other arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureSetup, root } from './ensure-setup.mjs';
import { NODE_RELEASES, nodeBinary } from './node-runtime.mjs';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const passed = args.filter((arg) => arg !== '--unit');
ensureSetup();
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// A file filter names files of one project; the other then has none, which is no failure.
const filters = passed.length > 0 ? ['--passWithNoTests', ...passed] : [];

const runs = [{ node: NODE_RELEASES.oldest, projects: ['unit'] }];
if (!unitOnly) runs.push({ node: NODE_RELEASES.shipped, projects: ['integration', 'kafka-3'] });
for (const { node, projects } of runs) {
  const binary = nodeBinary(node);
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.error(`sarwatch: ${projects.join(' and ')} tests on Node.js ${version}`);
  // kafkajs arms a negative timer that Node 24 warns about; services/cli/src/bin.ts drops the warning the same way.
  const quiet = '--disable-warning=TimeoutNegativeWarning';
  const result = spawnSync(
    binary,
    [quiet, vitest, 'run', ...projects.flatMap((name) => ['--project', name]), ...filters],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
