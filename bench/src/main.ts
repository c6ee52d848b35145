import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchCorePath } from './core-path.js';

// `npm run bench` prints figures and writes the same to bench/results/latest.json. It asserts nothing: targets are
// judged by people reading the figures, never by a timed test.
const quick = process.argv.includes('--quick');
const core = benchCorePath(
  quick ? { events: 2_000, rounds: 3, roundMs: 300 } : { events: 10_000, rounds: 7, roundMs: 2_000 },
);

const results = {
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
  mode: quick ? 'quick' : 'full',
  corePath: core,
};

const rows: [string, string][] = [
  [
    'events (mean / p10 / median / p90 bytes)',
    `${core.events} (${core.bytes.mean} / ${core.bytes.p10} / ${core.bytes.median} / ${core.bytes.p90})`,
  ],
  ['JSON.parse only, events/s', core.jsonParseOnlyPerSecond.toLocaleString('en')],
  ['UTF-8 decode + JSON.parse, events/s', core.utf8DecodeAndJsonParsePerSecond.toLocaleString('en')],
  [
    'core path (decode, validate, classify, serialize), events/s',
    core.corePathPerSecond.toLocaleString('en'),
  ],
  ['core path / (UTF-8 decode + JSON.parse)   target >= 0.5', core.ratioToJsonParse.toFixed(3)],
  ['core path / JSON.parse only', core.ratioToJsonParseOnly.toFixed(3)],
];
const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(
  `\nsarwatch bench (${results.mode}), ${results.machine.node}, ${results.machine.cpu}\n\n`,
);
for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);

const output = new URL('../results/latest.json', import.meta.url);
mkdirSync(new URL('.', output), { recursive: true });
writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nwrote ${output.pathname}\n`);
