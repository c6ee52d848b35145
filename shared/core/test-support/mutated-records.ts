import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadFixture } from './load-fixture.js';

const fixtureRoot = fileURLToPath(new URL('../fixtures/', import.meta.url));
const fixtureNames = (dir: string): string[] =>
  readdirSync(join(fixtureRoot, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(fixtureRoot, path)).isDirectory()) return fixtureNames(path);
    return path.endsWith('.json') ? [path] : [];
  });
export const realShapedRecords = fixtureNames('cloudtrail').map((name) => loadFixture(name).record);

export type Json = unknown;
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

/** A real-shaped record after a few mutations: the input of the property tests. */
export const mutatedRecord = fc
  .tuple(fc.constantFrom(...realShapedRecords), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([record, mutations]) => {
    let value: Json = record;
    for (const { pathIndex, replacement } of mutations) {
      const paths = pathsOf(value);
      value = withValueAt(value, paths[pathIndex % paths.length] ?? [], replacement);
    }
    return value;
  });
