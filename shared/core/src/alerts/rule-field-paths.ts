import { z } from 'zod';
import { AlertSchema } from '../contract/alert.js';
import { EnrichedEventSchema } from '../contract/enriched-event.js';

/**
 * The field paths a rule can name: those of the enriched event contract, and `context.*`. `detail` is the original
 * CloudTrail record, whose shape is any service's, so any path below it is allowed.
 */
interface KnownPaths {
  exact: ReadonlySet<string>;
  /** Paths below which anything goes (`detail.`). */
  open: readonly string[];
}

function collect(schema: z.ZodType, prefix: string, into: { exact: Set<string>; open: string[] }): void {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    collect(schema.unwrap() as z.ZodType, prefix, into);
  } else if (schema instanceof z.ZodArray) {
    // Patterns match an array by its elements, under the array's own path.
    collect(schema.element as z.ZodType, prefix, into);
  } else if (schema instanceof z.ZodObject) {
    // An object is no leaf: a pattern value there never matches, so only its fields are paths.
    for (const [key, field] of Object.entries(schema.shape)) {
      collect(field as z.ZodType, prefix === '' ? key : `${prefix}.${key}`, into);
    }
  } else if (schema instanceof z.ZodRecord) {
    into.exact.add(prefix);
    into.open.push(`${prefix}.`);
  } else {
    into.exact.add(prefix);
  }
}

let known: KnownPaths | undefined;

function knownPaths(): KnownPaths {
  if (known) return known;
  const into = { exact: new Set<string>(), open: [] as string[] };
  collect(EnrichedEventSchema, '', into);
  collect(AlertSchema.shape.context, 'context', into);
  known = into;
  return known;
}

export function isKnownFieldPath(path: string): boolean {
  const { exact, open } = knownPaths();
  return exact.has(path) || open.some((prefix) => path.startsWith(prefix));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The valid path an unknown one most likely meant: the same field under its parent, or a near spelling. */
export function nearestFieldPath(path: string): string | null {
  const candidates = [...knownPaths().exact];
  const underParent = candidates.find((candidate) => candidate.endsWith(`.${path}`));
  if (underParent) return underParent;
  let best: { path: string; distance: number } | null = null;
  for (const candidate of candidates) {
    // A field misspelt and left without its parent (`acountId`) is one step further from its full path.
    const field = candidate.slice(candidate.lastIndexOf('.') + 1);
    const distance = Math.min(editDistance(path, candidate), editDistance(path, field) + 1);
    if (!best || distance < best.distance) best = { path: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(path.length / 3)) ? best.path : null;
}

/** The field paths a pattern matches on: its keys down to each leaf, through `$or`. */
export function patternFieldPaths(pattern: unknown, prefix = ''): string[] {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) return [];
  const paths: string[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(value)) {
      for (const branch of value) paths.push(...patternFieldPaths(branch, prefix));
    } else if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      !('$parameter' in value)
    ) {
      paths.push(...patternFieldPaths(value, `${prefix}${key}.`));
    } else {
      paths.push(`${prefix}${key}`);
    }
  }
  return paths;
}
