import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchCorePath, type CorePathResult } from './core-path.js';

// `npm run bench` prints figures and writes the same to bench/results/latest.json. It asserts nothing: targets are
// judged by people reading the figures, never by a timed test.
const quick = process.argv.includes('--quick');
const sizing = quick
  ? { events: 2_000, rounds: 3, roundMs: 300 }
  : { events: 10_000, rounds: 7, roundMs: 2_000 };
// The target is set on 2–3 KB records; the whole mix (about 1–4 KB) is shown beside it.
const core = benchCorePath({ ...sizing, sizeRange: { min: 2_048, max: 3_072 } });
const coreMix = benchCorePath({ ...sizing, sizeRange: { min: 0, max: Number.MAX_SAFE_INTEGER } });

const results = {
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
  mode: quick ? 'quick' : 'full',
  corePath: core,
  corePathWholeMix: coreMix,
};

const rows: [string, string][] = [
  ...corePathRows('2-3 KB records', core),
  ['', ''],
  ...corePathRows("the generator's whole mix", coreMix),
];
const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(
  `\nsarwatch bench (${results.mode}), ${results.machine.node}, ${results.machine.cpu}\n\n`,
);
for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);

function corePathRows(title: string, result: CorePathResult): [string, string][] {
  const { bytes } = result;
  return [
    [
      `${title}: events (mean / p10 / median / p90 bytes)`,
      `${result.events} (${bytes.mean} / ${bytes.p10} / ${bytes.median} / ${bytes.p90})`,
    ],
    ['JSON.parse only, events/s', result.jsonParseOnlyPerSecond.toLocaleString('en')],
    ['UTF-8 decode + JSON.parse, events/s', result.utf8DecodeAndJsonParsePerSecond.toLocaleString('en')],
    [
      'core path (decode, validate, classify, serialize), events/s',
      result.corePathPerSecond.toLocaleString('en'),
    ],
    ['core path / (UTF-8 decode + JSON.parse)   target >= 0.5', result.ratioToJsonParse.toFixed(3)],
    ['core path / JSON.parse only', result.ratioToJsonParseOnly.toFixed(3)],
  ];
}

const output = new URL('../results/latest.json', import.meta.url);
mkdirSync(new URL('.', output), { recursive: true });
writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nwrote ${output.pathname}\n`);
