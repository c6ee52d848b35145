import {
  type EventValue,
  LEAF_OPERATORS,
  type Leaf,
  type LeafOperator,
  MISSING,
  makeLeaf,
} from './leaves.js';
import { number, type Random, text } from './random.js';

// Builds a pattern as a tree of fields and `$or`s, then an event meant to match it or not (Event Ruler decides).

// Leaf keys only ever hold values and nest keys only objects, so paths never collide.
export const LEAF_KEYS = [
  'source',
  'detail-type',
  'account',
  'region',
  'state',
  'name',
  'Name',
  'count',
  'size',
  'ip',
];
export const MORE_LEAF_KEYS = [
  'user',
  'type',
  'status',
  'a',
  'b',
  'c',
  'x-y',
  'ñame',
  'key with space',
  'ARN',
];
export const NEST_KEYS = [
  'detail',
  'requestParameters',
  'userIdentity',
  'sessionContext',
  'attributes',
  'd',
  'élément',
];
const NOISE_KEYS = ['version', 'id', 'time', 'resources', 'extra', 'noise', ...LEAF_KEYS];

export type Node =
  | { kind: 'field'; path: string[]; leaves: Leaf[] }
  | { kind: 'or'; at: string[]; branches: Node[][] };

export const keyOf = (path: readonly string[]) => path.join('\u0000');

export class Builder {
  readonly notes: string[] = [];
  arrays = false;
  readonly planned = new Map<string, { path: string[]; value: EventValue }>();

  constructor(readonly r: Random) {}

  leaf(operator: LeafOperator): Leaf {
    const leaf = makeLeaf(this.r, operator);
    if (leaf.note) this.notes.push(leaf.note);
    return leaf;
  }

  anyLeaf(): Leaf {
    return this.leaf(this.r.pick(LEAF_OPERATORS));
  }

  /** A field path under `at` that no other field in `taken` uses; 0..`extraDepth` nest keys in between. */
  path(taken: Set<string>, at: string[] = [], extraDepth = 1): string[] {
    for (;;) {
      const nest = Array.from({ length: this.r.int(0, extraDepth) }, () => this.r.pick(NEST_KEYS));
      const leafKey = this.r.pick(this.r.chance(0.7) ? LEAF_KEYS : MORE_LEAF_KEYS);
      const path = [...at, ...nest, leafKey];
      if (!taken.has(keyOf(path))) {
        taken.add(keyOf(path));
        return path;
      }
    }
  }

  field(taken: Set<string>, leaves: Leaf[], at: string[] = [], extraDepth = 1): Node {
    return { kind: 'field', path: this.path(taken, at, extraDepth), leaves };
  }

  /** `$or` at `at` with 2..4 branches of 1..2 fields; branches may share paths, they never reuse outer ones. */
  or(taken: Set<string>, at: string[], nestedDepth: number): Node {
    const branches: Node[][] = [];
    const used = new Set<string>();
    for (let i = 0, count = this.r.int(2, nestedDepth > 0 ? 3 : 4); i < count; i++) {
      const branchTaken = new Set(taken);
      const branch: Node[] = [];
      for (let j = 0, fields = this.r.int(1, 2); j < fields; j++) {
        branch.push(this.field(branchTaken, [this.anyLeaf()], at));
      }
      if (nestedDepth > 0 && this.r.chance(0.4)) {
        const deeper = this.r.chance(0.5) ? [...at, this.r.pick(NEST_KEYS)] : at;
        branch.push(this.or(branchTaken, deeper, nestedDepth - 1));
      }
      for (const key of branchTaken) used.add(key);
      branches.push(this.r.sample(branch, branch.length));
    }
    for (const key of used) taken.add(key);
    return { kind: 'or', at, branches };
  }

  /** Decides event values so that `nodes` as a whole should (or should not) match; the first value set wins. */
  plan(nodes: readonly Node[], want: boolean): void {
    const falseAt = want ? -1 : this.r.int(0, nodes.length - 1);
    if (falseAt >= 0) this.planNode(nodes[falseAt] as Node, false);
    nodes.forEach((node, i) => {
      if (i !== falseAt) this.planNode(node, true);
    });
  }

  private planNode(node: Node, want: boolean): void {
    if (node.kind === 'or') {
      const chosen = want ? this.r.int(0, node.branches.length - 1) : -1;
      if (chosen >= 0) this.plan(node.branches[chosen] as Node[], true);
      node.branches.forEach((branch, i) => {
        if (i !== chosen) this.plan(branch, want ? this.r.chance(0.3) : false);
      });
      return;
    }
    if (this.planned.has(keyOf(node.path))) return;
    this.planned.set(keyOf(node.path), { path: node.path, value: this.value(node.leaves, want) });
  }

  value(leaves: readonly Leaf[], want: boolean): EventValue {
    const pick = () => this.r.pick(leaves);
    const value = want ? pick().hit() : pick().miss();
    if (value === MISSING || !this.arrays) return value;
    // Arrays match when any element does: hide the value among near misses, or hold only misses.
    const elements = Array.from({ length: this.r.int(0, 3) }, () => pick().miss()).filter(
      (v) => v !== MISSING,
    );
    elements.splice(this.r.int(0, elements.length), 0, value);
    if (!want && this.r.chance(0.1)) return [];
    return this.r.chance(0.12) ? [elements.slice(0, 1), elements.slice(1)] : elements;
  }

  event(): Record<string, unknown> {
    const event: Record<string, unknown> = {};
    for (const { path, value } of this.planned.values()) {
      if (value !== MISSING) put(event, path, value);
    }
    return event;
  }
}

export function put(target: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let at = target;
  for (const key of path.slice(0, -1)) {
    const next = at[key] ?? {};
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return false;
    at[key] = next;
    at = next as Record<string, unknown>;
  }
  const last = path.at(-1) as string;
  if (last in at) return false;
  at[last] = value;
  return true;
}

export function renderPattern(nodes: readonly Node[], base: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const node of nodes) {
    if (node.kind === 'field')
      put(
        out,
        node.path.slice(base.length),
        node.leaves.map((leaf) => leaf.condition),
      );
    else
      put(
        out,
        [...node.at.slice(base.length), '$or'],
        node.branches.map((b) => renderPattern(b, node.at)),
      );
  }
  return out;
}

export function randomValue(r: Random): unknown {
  return r.pick<() => unknown>([
    () => text(r),
    () => number(r),
    () => r.chance(0.5),
    () => null,
    () => [text(r), number(r)],
    () => ({ [r.pick(NOISE_KEYS)]: text(r) }),
  ])();
}

/** Fields the pattern does not name, here and there: a pattern only looks at its own paths. */
export function addNoise(r: Random, event: Record<string, unknown>, patternPaths: Set<string>): void {
  for (let i = 0, count = r.int(0, 3); i < count; i++) {
    const path = [...Array.from({ length: r.int(0, 1) }, () => r.pick(NEST_KEYS)), r.pick(NOISE_KEYS)];
    const clashes = [...patternPaths].some(
      (key) => key === keyOf(path) || key.startsWith(`${keyOf(path)}\u0000`),
    );
    if (!clashes) put(event, path, randomValue(r));
  }
}

export function fieldPaths(nodes: readonly Node[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    if (node.kind === 'field') into.add(keyOf(node.path));
    else for (const branch of node.branches) fieldPaths(branch, into);
  }
  return into;
}
