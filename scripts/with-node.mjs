#!/usr/bin/env node
// Runs a script of sarwatch's after making the clone ready: `node scripts/with-node.mjs [--shipped] SCRIPT [ARGS]`.
// The script runs on this Node when sarwatch supports it, else (and always with --shipped) on the Node sarwatch ships
// on, fetched from the npm registry once. Signals reach the script; its exit code is this one's.
import { spawn } from 'node:child_process';
import { ensureSetup, root } from './ensure-setup.mjs';
import { currentIsSupported, NODE_RELEASES, nodeBinary } from './node-runtime.mjs';

const args = process.argv.slice(2);
const shipped = args[0] === '--shipped';
const [script, ...scriptArgs] = shipped ? args.slice(1) : args;
ensureSetup();
const binary = shipped || !currentIsSupported() ? nodeBinary(NODE_RELEASES.shipped) : process.execPath;
// kafkajs arms a negative timer that Node 24 warns about; the CLI drops the warning itself, the bench does not.
const quiet = '--disable-warning=TimeoutNegativeWarning';
const child = spawn(binary, [quiet, script, ...scriptArgs], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the whole process group, the script included; a SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
