import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../test-support/load-fixture.js';
import { EnrichedEventSchema } from './contract/enriched-event.js';
import { DEAD_LETTER_REASONS } from './decode/dead-letter-reason.js';
import { decodeRecord, decodeValue } from './decode/decode-record.js';
import { enrich } from './enrich.js';

const fixtureRoot = fileURLToPath(new URL('../fixtures/', import.meta.url));
const fixtureNames = (dir: string): string[] =>
  readdirSync(join(fixtureRoot, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(fixtureRoot, path)).isDirectory()) return fixtureNames(path);
    return path.endsWith('.json') ? [path] : [];
  });
const realShapedRecords = fixtureNames('cloudtrail').map((name) => loadFixture(name).record);

type Json = unknown;
type Path = (string | number)[];

/** Every path down to a modest depth: enough to choose where to mutate, and safe on the deep values we insert. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (prefix.length >= 32) return [prefix];
  if (Array.isArray(value))
    return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (typeof value === 'object' && value !== null) {
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  }
  return [prefix];
}

/** Replaces (or, with `undefined`, deletes) what stands at `path`, copying only the containers along the path. */
function withValueAt(root: Json, path: Path, replacement: Json | undefined): Json {
  const [key, ...rest] = path;
  if (key === undefined) return replacement;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, Json>;
  const inner = rest.length === 0 ? replacement : withValueAt(copy[key], rest, replacement);
  if (inner === undefined) delete copy[key];
  else copy[key] = inner;
  return copy;
}

const deeplyNested = (depth: number): Json => {
  let value: Json = 'bottom';
  for (let level = 0; level < depth; level++) value = { nested: value };
  return value;
};

/** A mutation: a path chosen among the record's own, and what to put there. */
const mutation = fc.record({
  pathIndex: fc.nat(),
  replacement: fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(null, '', 0, -1, true, [], {}, 'Root', 'ASIA', '*', '1.2.3.4', 'AKIA'),
    fc.string({ unit: 'binary' }),
    // Deeper than the decoder allows, yet shallow enough for the test's own JSON.stringify.
    fc.integer({ min: 100, max: 800 }).map(deeplyNested),
  ),
});

/** The path the enricher takes: bytes in, an event or a dead letter with its reason out. */
function assertHandled(value: Json): void {
  const decoded = decodeRecord(new TextEncoder().encode(JSON.stringify(value) ?? 'undefined'), {
    maxRecordBytes: 1 << 22,
  });
  if (!decoded.ok) {
    expect(DEAD_LETTER_REASONS).toContain(decoded.reason);
    expect(decoded.message.length).toBeGreaterThan(0);
    return;
  }
  const event = enrich(decoded.record, { maxTextLength: 64 });
  expect(() => EnrichedEventSchema.parse(event)).not.toThrow();
  expect(() => JSON.stringify(event)).not.toThrow();
}

describe('classification under random mutation', () => {
  it('never throws: every mutated record is classified or rejected with a reason', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realShapedRecords),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (record, mutations) => {
          let value: Json = record;
          for (const { pathIndex, replacement } of mutations) {
            const paths = pathsOf(value);
            value = withValueAt(value, paths[pathIndex % paths.length] ?? [], replacement);
          }
          assertHandled(value);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('never throws on random byte damage to the serialized record', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realShapedRecords),
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        (record, damage) => {
          const bytes = new TextEncoder().encode(JSON.stringify(record));
          for (const { at, byte } of damage) bytes[at % bytes.length] = byte;
          const decoded = decodeRecord(bytes, { maxRecordBytes: 1 << 20 });
          if (decoded.ok) assertHandled(decodeValue(decoded.record).ok ? decoded.record : null);
          else expect(DEAD_LETTER_REASONS).toContain(decoded.reason);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
