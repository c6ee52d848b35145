import type { Scalar } from './matchers.js';
import type { KeyStep } from './paths.js';

/**
 * Which element of which array of the event a value sits in, for every array on the way to it. Only elements that are
 * objects or arrays count, as in Event Ruler: the scalars of one array are all "the same place".
 */
export type Membership = ReadonlyArray<{ readonly array: readonly unknown[]; readonly index: number }>;

export interface Occurrence {
  readonly value: Scalar;
  readonly membership: Membership;
}

/** The membership of a value outside any array. */
export const NO_ARRAYS: Membership = [];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Scalar =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Leaf values at the end of the path: scalars, and the scalars inside arrays (nested arrays included). */
function collectLeaves(node: unknown, membership: Membership, out: Occurrence[]): void {
  if (isScalar(node)) {
    out.push({ value: node, membership });
    return;
  }
  if (!Array.isArray(node)) return; // an object here is not a leaf: `exists` only sees leaves
  for (let index = 0; index < node.length; index++) {
    const element: unknown = node[index];
    if (Array.isArray(element)) collectLeaves(element, [...membership, { array: node, index }], out);
    else if (isScalar(element)) out.push({ value: element, membership });
  }
}

function walk(
  node: unknown,
  steps: readonly KeyStep[][],
  at: number,
  membership: Membership,
  out: Occurrence[],
): void {
  if (at === steps.length) {
    collectLeaves(node, membership, out);
    return;
  }
  if (Array.isArray(node)) {
    // Arrays on the way are crossed: each object (or array) element is searched for the rest of the path.
    for (let index = 0; index < node.length; index++) {
      const element: unknown = node[index];
      if (typeof element === 'object' && element !== null) {
        walk(element, steps, at, [...membership, { array: node, index }], out);
      }
    }
    return;
  }
  if (!isPlainObject(node)) return;
  for (const step of steps[at] ?? []) {
    if (Object.hasOwn(node, step.key)) walk(node[step.key], steps, step.to, membership, out);
  }
}

/** What `singleValue` answers when the path meets an array, or more than one of its keys at once. */
export const FORKS: unique symbol = Symbol('forks');

/**
 * The value a path leads to through objects alone, as `walk` would find it, without building occurrences: undefined
 * when it leads to nothing (or to an object), FORKS when it meets an array or two of a segment's keys at once, where
 * only `occurrences` tells the values apart. Most fields of most events are one scalar outside any array.
 */
export function singleValue(
  event: Record<string, unknown>,
  steps: readonly KeyStep[][],
): Scalar | undefined | typeof FORKS {
  let node: unknown = event;
  let at = 0;
  while (at < steps.length) {
    if (Array.isArray(node)) return FORKS;
    if (!isPlainObject(node)) return undefined;
    const candidates = steps[at] ?? [];
    let next: KeyStep | undefined;
    let child: unknown;
    // A plain read, where `Object.hasOwn` cost twice as much: JSON holds no undefined, so a key read as undefined is
    // absent, unless objects inherit it.
    for (let index = 0; index < candidates.length; index++) {
      const step = candidates[index] as KeyStep;
      const value = node[step.key];
      if (value === undefined || (step.inherited && !Object.hasOwn(node, step.key))) continue;
      if (next !== undefined) return FORKS;
      next = step;
      child = value;
    }
    if (next === undefined) return undefined;
    node = child;
    at = next.to;
  }
  if (Array.isArray(node)) return FORKS;
  return isScalar(node) ? node : undefined;
}

/** Every value an event holds for one pattern field, with where it sits in the event's arrays. */
export function occurrences(event: Record<string, unknown>, steps: readonly KeyStep[][]): Occurrence[] {
  const out: Occurrence[] = [];
  walk(event, steps, 0, NO_ARRAYS, out);
  return out;
}

/** Event Ruler's array consistency: two values may be used together unless they sit in different elements of one array. */
export function consistent(chosen: Membership, candidate: Membership): boolean {
  for (const position of candidate) {
    for (const earlier of chosen) {
      if (earlier.array === position.array && earlier.index !== position.index) return false;
    }
  }
  return true;
}

export function merge(chosen: Membership, candidate: Membership): Membership {
  if (candidate.length === 0) return chosen;
  if (chosen.length === 0) return candidate;
  const added = candidate.filter((position) => !chosen.some((earlier) => earlier.array === position.array));
  return added.length === 0 ? chosen : [...chosen, ...added];
}
