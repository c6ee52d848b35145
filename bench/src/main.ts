import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCorePath, type CorePathResult } from './core-path.js';
import { BenchStack } from './pipeline/bench-stack.js';
import {
  type BacklogOutcome,
  brokerOutage,
  type DrainResult,
  drainPrefilledStream,
  type LatencyResult,
  latencyAtSteadyRate,
  type OutageResult,
  type OverloadResult,
  overload,
} from './pipeline/scenarios.js';
import { benchTrail, type TrailResult } from './trail/trail-scenario.js';

// `npm run bench` prints figures and writes the same to bench/results/latest.json. It asserts nothing: targets are
// judged by people reading the figures, never by a timed test. `--quick` is a smoke run with tiny numbers;
// `--only core,latency` runs some parts (core, e2e, latency, sparse, overload, outage, trail; pipeline is all but core
// and trail;
// trail needs moto: pip install "moto[server]"); `--profile` writes the end-to-end enricher's CPU profile to
// bench/results/profiles/ (open it in Chrome DevTools or speedscope); `--events N` sets the end-to-end drain's size;
// `--output FILE` writes the JSON elsewhere.
// The SDK's notice about a future Node.js floor is noise in a table of figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    events: { type: 'string' },
    output: { type: 'string' },
  },
});
const quick = values.quick;
const PARTS = ['core', 'e2e', 'latency', 'sparse', 'overload', 'outage', 'trail'] as const;
const chosen = (values.only ?? PARTS.join(','))
  .split(',')
  .flatMap((part) => (part === 'pipeline' ? ['e2e', 'latency', 'sparse', 'overload', 'outage'] : [part]));
const unknown = chosen.filter((part) => !(PARTS as readonly string[]).includes(part));
if (unknown.length > 0) {
  process.stderr.write(
    `npm run bench: --only takes a list of ${PARTS.join(', ')} or pipeline, got ${unknown.join(', ')}\n`,
  );
  process.exit(2);
}
const runs = (part: (typeof PARTS)[number]) => chosen.includes(part);

const SIZES = quick
  ? {
      core: { events: 2_000, rounds: 3, roundMs: 300 },
      drainEvents: 5_000,
      latency: { rate: 200, seconds: 5, warmUpSeconds: 2 },
      sparse: { rate: 1, seconds: 8, warmUpSeconds: 2, shards: 4 },
      overload: { rate: 2_000, seconds: 5 },
      outage: { rate: 200, seconds: 15, outageAfterSeconds: 3, outageSeconds: 3 },
      trail: { records: 5_000 },
    }
  : {
      core: { events: 10_000, rounds: 7, roundMs: 2_000 },
      drainEvents: 200_000,
      latency: { rate: 1_000, seconds: 30, warmUpSeconds: 5 },
      // The rate real SAR traffic has: each shard idle most of the time, so the reader's idle backoff shows.
      sparse: { rate: 1, seconds: 180, warmUpSeconds: 10, shards: 4 },
      overload: { rate: 10_000, seconds: 60 },
      // Half a minute without the broker at the latency run's rate: 30,000 events wait in the stream.
      outage: { rate: 1_000, seconds: 60, outageAfterSeconds: 15, outageSeconds: 30 },
      trail: { records: 100_000 },
    };

const drainEvents = values.events === undefined ? SIZES.drainEvents : Number(values.events);
if (!Number.isInteger(drainEvents) || drainEvents < 1) {
  process.stderr.write(`npm run bench: --events takes a positive whole number, got ${values.events}\n`);
  process.exit(2);
}

const TARGETS = {
  coreRatioToJsonParse: 0.6,
  cpuMicrosPerEvent: 60,
  p99Ms: 300,
  sparseP99Ms: 1_200,
  rssMiB: 256,
};

interface Results {
  generatedAt: string;
  machine: { node: string; cpus: number; cpu: string; memoryGiB: number };
  mode: 'quick' | 'full';
  targets: typeof TARGETS;
  corePath?: CorePathResult;
  corePathWholeMix?: CorePathResult;
  endToEnd?: DrainResult;
  libraryFloor?: DrainResult;
  latency?: LatencyResult;
  sparseLatency?: LatencyResult;
  overload?: OverloadResult;
  outage?: OutageResult;
  trail?: TrailResult;
}

const results: Results = {
  generatedAt: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  },
  mode: quick ? 'quick' : 'full',
  targets: TARGETS,
};

if (runs('core')) {
  // The target is set on 2–3 KB records; the whole mix (about 1–4 KB) is shown beside it.
  results.corePath = benchCorePath({ ...SIZES.core, sizeRange: { min: 2_048, max: 3_072 } });
  results.corePathWholeMix = benchCorePath({
    ...SIZES.core,
    sizeRange: { min: 0, max: Number.MAX_SAFE_INTEGER },
  });
}
if (['e2e', 'latency', 'sparse', 'overload', 'outage', 'trail'].some((part) => chosen.includes(part))) {
  process.stderr.write(
    'starting a Kafka broker and a Kinesis emulator for the pipeline and trail figures...\n',
  );
  const stack = await BenchStack.start();
  try {
    if (runs('e2e')) {
      process.stderr.write(`end to end: ${drainEvents} events over 8 shards...\n`);
      const profileDir = values.profile
        ? fileURLToPath(new URL('../results/profiles', import.meta.url))
        : undefined;
      results.endToEnd = await drainPrefilledStream(stack, drainEvents, { profileDir });
      process.stderr.write(`the libraries' floor: the same drain with enrichment switched off...\n`);
      results.libraryFloor = await drainPrefilledStream(stack, drainEvents, { skipEnrichment: true });
    }
    if (runs('latency')) {
      process.stderr.write(`latency: ${SIZES.latency.rate} events/s for ${SIZES.latency.seconds} s...\n`);
      results.latency = await latencyAtSteadyRate(stack, SIZES.latency);
    }
    if (runs('sparse')) {
      process.stderr.write(
        `sparse latency: ${SIZES.sparse.rate} event/s over ${SIZES.sparse.shards} shards for ${SIZES.sparse.seconds} s...\n`,
      );
      results.sparseLatency = await latencyAtSteadyRate(stack, SIZES.sparse);
    }
    if (runs('overload')) {
      process.stderr.write(`overload: ${SIZES.overload.rate} events/s for ${SIZES.overload.seconds} s...\n`);
      results.overload = await overload(stack, SIZES.overload);
    }
    if (runs('outage')) {
      const { outageSeconds, rate } = SIZES.outage;
      process.stderr.write(`broker outage: ${outageSeconds} s without the broker at ${rate} events/s...\n`);
      results.outage = await brokerOutage(stack, SIZES.outage);
    }
    if (runs('trail')) {
      process.stderr.write(
        `trail: ${SIZES.trail.records} records in moto's S3, then sarwatch backfill and reconcile...\n`,
      );
      results.trail = await benchTrail(stack, SIZES.trail);
    }
  } finally {
    await stack.stop();
  }
}

const rows: [string, string][] = [];
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
const round1 = (value: number) => Math.round(value * 10) / 10;
if (results.corePath && results.corePathWholeMix) {
  rows.push(...corePathRows('2-3 KB records', results.corePath), ['', '']);
  rows.push(...corePathRows("the generator's whole mix", results.corePathWholeMix), ['', '']);
}
if (results.endToEnd) {
  const e = results.endToEnd;
  rows.push(
    [
      `end to end: ${e.events.toLocaleString('en')} events, ${e.shards} shards, prefilled in`,
      `${e.prefillSeconds} s`,
    ],
    ['  drained in (first commit to last)', `${e.drainSeconds} s`],
    ['  events/s', e.eventsPerSecond.toLocaleString('en')],
    ['  alerts raised on the way', e.alerts.toLocaleString('en')],
    [
      `  enricher CPU per event (user + sys)   target <= ${TARGETS.cpuMicrosPerEvent} µs`,
      `${e.cpuMicrosPerEvent} µs, ${(e.cpuMicrosPerEvent).toFixed(1)} ms CPU per 1,000 events, ${verdict(e.cpuMicrosPerEvent <= TARGETS.cpuMicrosPerEvent)}`,
    ],
    ['  events per second of enricher CPU', e.eventsPerCpuSecond.toLocaleString('en')],
    [
      `  peak RSS   target <= ${TARGETS.rssMiB} MiB`,
      `${e.peakRssMiB} MiB ${verdict(e.peakRssMiB <= TARGETS.rssMiB)}`,
    ],
    ['  dead letters', String(e.deadLetters)],
    [
      '  error log lines while draining (at start-up)',
      `${e.errorLines} (${e.startupErrorLines})${describeErrors(e.errorMessages)}`,
    ],
    ['', ''],
  );
}
if (results.endToEnd && results.libraryFloor) {
  const floor = results.libraryFloor;
  rows.push(
    [
      "the libraries' floor: the same drain, records published as read (BENCH_SKIP_ENRICHMENT)",
      `${floor.eventsPerSecond.toLocaleString('en')} records/s`,
    ],
    ['  CPU per record: Kinesis reading and Kafka transactions alone', `${floor.cpuMicrosPerEvent} µs`],
    [
      "  sarwatch's own work per event (end to end minus floor)",
      `${round1(results.endToEnd.cpuMicrosPerEvent - floor.cpuMicrosPerEvent)} µs`,
    ],
    ['  peak RSS', `${floor.peakRssMiB} MiB`],
    ['', ''],
  );
}
function latencyRows(l: LatencyResult, p99TargetMs: number) {
  rows.push(
    [
      `latency at ${l.ratePerSecond.toLocaleString('en')} events/s over ${l.shards} shards, PutRecords to read_committed`,
      `${l.measured.toLocaleString('en')} events over ${l.seconds} s`,
    ],
    ['  p50 / p95 / max', `${l.p50Ms} / ${l.p95Ms} / ${l.maxMs} ms`],
    [`  p99   target <= ${p99TargetMs} ms`, `${l.p99Ms} ms ${verdict(l.p99Ms <= p99TargetMs)}`],
    [
      `  peak RSS   target <= ${TARGETS.rssMiB} MiB`,
      `${l.peakRssMiB} MiB ${verdict(l.peakRssMiB <= TARGETS.rssMiB)}`,
    ],
    ['', ''],
  );
}
if (results.latency) latencyRows(results.latency, TARGETS.p99Ms);
if (results.sparseLatency) latencyRows(results.sparseLatency, TARGETS.sparseP99Ms);
if (results.overload) {
  const o = results.overload;
  rows.push(
    [
      `overload: ${o.offeredPerSecond.toLocaleString('en')} events/s offered for ${o.seconds} s, put`,
      `${o.put.toLocaleString('en')} at ${o.achievedPutPerSecond.toLocaleString('en')}/s`,
    ],
    ['  backlog drained after the load stopped, in', `${o.drainSecondsAfterLoad} s`],
    ...backlogRows(o),
  );
}
if (results.outage) {
  const o = results.outage;
  rows.push(
    [
      `broker outage: ${o.outageSeconds} s without the broker, ${o.ratePerSecond.toLocaleString('en')} events/s for ${o.seconds} s, put`,
      o.put.toLocaleString('en'),
    ],
    ['  every event committed, after the broker came back, in', `${o.caughtUpSecondsAfterReturn} s`],
    ...backlogRows(o),
  );
}
if (results.trail) {
  const { backfill: b, reconcile: r, ...t } = results.trail;
  const c = r.counts;
  rows.push(
    [
      `trail: ${t.records.toLocaleString('en')} records (${t.sarRecords.toLocaleString('en')} SAR), ${t.files.toLocaleString('en')} files, written in`,
      `${t.writeSeconds} s`,
    ],
    [
      '  backfill: wall time (process start to exit)',
      `${b.wallSeconds} s, ${b.recordsRead.toLocaleString('en')} records read`,
    ],
    [
      '  backfill: events published (of those the rule delivers)',
      `${b.published.toLocaleString('en')} (${b.delivered.toLocaleString('en')}), ${b.alerts} alerts, ${b.deadLetters} dead letters`,
    ],
    ['  backfill: events/s (published / wall time)', b.eventsPerSecond.toLocaleString('en')],
    ['  backfill: records read/s', b.recordsPerSecond.toLocaleString('en')],
    [
      '  backfill: CPU per published event (user + sys)',
      `${b.cpuMicrosPerEvent.toLocaleString('en')} µs (${b.cpuSeconds} s in all)`,
    ],
    ['  backfill: peak RSS', `${b.peakRssMiB} MiB`],
    ['  backfill: log lines at warn or above', `${b.warnLines}${describeErrors(b.warnMessages)}`],
    ['  reconcile --json: wall time', `${r.wallSeconds} s, ${r.peakRssMiB} MiB peak RSS`],
    [
      '  reconcile: expected / matched / missing / unexpected',
      `${c.expected.toLocaleString('en')} / ${c.matched.toLocaleString('en')} / ${c.missing} / ${c.unexpected}: ${r.complete ? 'complete' : 'NOT complete'}`,
    ],
  );
}

while (rows.at(-1)?.[0] === '') rows.pop();
const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(
  `\nsarwatch bench (${results.mode}), ${results.machine.node}, ${results.machine.cpus} × ${results.machine.cpu}\n${quick ? 'quick: tiny sizes to show the bench works; the figures are not measurements\n' : ''}\n`,
);
for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);

/** The rows every run that must commit all it put ends with. */
function backlogRows(o: BacklogOutcome): [string, string][] {
  return [
    [
      `  peak RSS   target <= ${TARGETS.rssMiB} MiB`,
      `${o.peakRssMiB} MiB ${verdict(o.peakRssMiB <= TARGETS.rssMiB)}`,
    ],
    ['  dead letters', String(o.deadLetters)],
    ['  error log lines', `${o.errorLines}${describeErrors(o.errorMessages)}`],
    ['', ''],
  ];
}

function describeErrors(messages: string[]): string {
  return messages.length === 0 ? '' : `: ${messages.join('; ')}`;
}

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
    [
      `core path / (UTF-8 decode + JSON.parse)   target >= ${TARGETS.coreRatioToJsonParse}`,
      `${result.ratioToJsonParse.toFixed(3)} ${verdict(result.ratioToJsonParse >= TARGETS.coreRatioToJsonParse)}`,
    ],
    ['core path / JSON.parse only', result.ratioToJsonParseOnly.toFixed(3)],
  ];
}

const output = values.output ?? fileURLToPath(new URL('../results/latest.json', import.meta.url));
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nwrote ${output}\n`);
