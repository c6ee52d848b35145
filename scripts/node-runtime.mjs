// Which Node.js runs sarwatch's processes. sarwatch supports Node 22.12 and newer and ships on Node 24 LTS. When the
// machine's own Node is another line, the official binary comes from the npm registry, where Node.js publishes it
// as `node-<platform>-<arch>`, and is kept in the git-ignored .cache/node/. Plain JavaScript, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Node.js releases sarwatch is tested on: the oldest line it supports, and the one it ships on. */
export const NODE_RELEASES = { oldest: '22.23.5', shipped: '24.22.3' };
export const SUPPORTED_NODE = '>=22.12';

const major = (version) => Number(version.split('.')[0]);
const [currentMajor, currentMinor] = process.versions.node.split('.').map(Number);

/** Whether the running Node is one sarwatch supports. */
export const currentIsSupported = () => currentMajor > 22 || (currentMajor === 22 && currentMinor >= 12);

/** The path of a Node binary of `version`'s major line: this one when it is that line, else the registry's. */
export function nodeBinary(version) {
  if (currentMajor === major(version)) return process.execPath;
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const name = `node-${platform}-${process.arch}`;
  const prefix = join(root, '.cache', 'node', version);
  const binary = join(
    prefix,
    'node_modules',
    name,
    'bin',
    process.platform === 'win32' ? 'node.exe' : 'node',
  );
  if (!existsSync(binary)) {
    console.error(`sarwatch: fetching Node.js ${version} (${name}) into .cache/node/, once`);
    const result = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        `${name}@${version}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (result.status !== 0 || !existsSync(binary)) {
      console.error(
        `sarwatch: could not install ${name}@${version} from the npm registry; install Node.js ${version} yourself`,
      );
      process.exit(1);
    }
  }
  return binary;
}
