/**
 * Child-process entry point that serves the Kinesis API with kinesalite on 127.0.0.1 only. kinesalite's own CLI
 * has no host flag and listens on every interface, which would expose the emulator to the network.
 * Usage: node kinesalite-server.js --port 4567 [--shardLimit 100] [--createStreamMs 50] [--iteratorTtlMs N] ...
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

interface KinesaliteOptions {
  createStreamMs: number;
  deleteStreamMs: number;
  updateStreamMs: number;
  shardLimit: number;
}

// kinesalite is CommonJS without type declarations; this is the one call we make into it.
type CreateKinesalite = (options: KinesaliteOptions) => Server;

const NUMERIC_FLAGS = [
  'port',
  'shardLimit',
  'createStreamMs',
  'deleteStreamMs',
  'updateStreamMs',
  'iteratorTtlMs',
] as const;

/** What Kinesis, and kinesalite, allow between getting a shard iterator and using it. */
const KINESIS_ITERATOR_TTL_MS = 300_000;

/**
 * Makes shard iterators expire `ttlMs` after they were issued instead of Kinesis's five minutes, for fault tests
 * that need an iterator to outlive an outage without waiting five minutes. kinesalite checks the age against a
 * fixed 300,000 ms with the clock it reads as GetRecords starts; the clock is moved forward just for that
 * synchronous check, so nothing stored or returned carries the shifted time.
 */
function shortenIteratorLifetime(require: NodeRequire, ttlMs: number): void {
  const path = require.resolve('kinesalite/actions/getRecords');
  type Action = (store: unknown, data: unknown, callback: unknown) => unknown;
  const getRecords = require(path) as Action;
  const module = require.cache[path];
  if (!module) throw new Error('kinesalite getRecords is not in the module cache');
  module.exports = (store: unknown, data: unknown, callback: unknown) => {
    const clock = Date.now;
    Date.now = () => clock() + KINESIS_ITERATOR_TTL_MS - ttlMs;
    try {
      return getRecords(store, data, callback);
    } finally {
      Date.now = clock;
    }
  };
}

function numberFlag(values: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
  return value;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      ...Object.fromEntries(NUMERIC_FLAGS.map((name) => [name, { type: 'string' as const }])),
    },
  });
  const host = values.host ?? '127.0.0.1';
  const port = numberFlag(values, 'port', 4567);
  const require = createRequire(import.meta.url);
  const iteratorTtlMs = numberFlag(values, 'iteratorTtlMs', KINESIS_ITERATOR_TTL_MS);
  if (iteratorTtlMs < KINESIS_ITERATOR_TTL_MS) shortenIteratorLifetime(require, iteratorTtlMs);
  const createKinesalite = require('kinesalite') as CreateKinesalite;
  const server = createKinesalite({
    createStreamMs: numberFlag(values, 'createStreamMs', 50),
    deleteStreamMs: numberFlag(values, 'deleteStreamMs', 50),
    updateStreamMs: numberFlag(values, 'updateStreamMs', 50),
    shardLimit: numberFlag(values, 'shardLimit', 100),
  });
  // Node closes idle keep-alive connections after 5 s; a client reusing one at that moment gets ECONNRESET. AWS keeps
  // them for minutes, and so does the emulator now, so a client idle for a few seconds behaves as against AWS.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.once('error', (err) => {
    console.error(`kinesalite could not listen on ${host}:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => console.log(`kinesalite listening on ${host}:${port}`));

  // The parent holds our stdin open; EOF means it died without stopping us (even by SIGKILL, where its own exit
  // hook never ran), so we go too instead of holding the port as an orphan.
  process.stdin.once('end', () => process.exit(0));
  process.stdin.resume();
}

main();
