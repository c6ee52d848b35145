import {
  addNoise,
  Builder,
  fieldPaths,
  LEAF_KEYS,
  MORE_LEAF_KEYS,
  NEST_KEYS,
  type Node,
  put,
  randomValue,
  renderPattern,
} from './builder.js';
import { VALIDITY_PROBES, type ValidityProbe } from './invalid-patterns.js';
import { LEAF_OPERATORS, type Leaf, type LeafOperator, MISSING } from './leaves.js';
import { Random, text } from './random.js';

export const STRUCTURE_CATEGORIES = [
  'mixed-leaf',
  'nested-object',
  'missing-field',
  'array-event',
  'array-objects',
  'or',
  'or-nested',
] as const;
export const CATEGORIES = [...LEAF_OPERATORS, ...STRUCTURE_CATEGORIES, 'invalid', 'valid-edge'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One generated question: `category` names the operator or structure the pair was built around. */
export interface PatternPair {
  id: number;
  category: Category;
  /** A sub-case: a validity probe's name, `unicode-case`, how a field went missing... */
  note?: string;
  pattern: unknown;
  event: unknown;
}

/** A loose event for a pattern we did not build from nodes (validity probes): reuses the pattern's own values. */
function eventFor(r: Random, pattern: unknown): unknown {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) return { source: text(r) };
  const event: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(value) && value.length > 0) {
      Object.assign(event, eventFor(r, r.pick(value)));
    } else if (Array.isArray(value) && value.length > 0) {
      const first = r.pick(value as unknown[]);
      const literal = first === null || typeof first !== 'object';
      if (r.chance(0.8)) event[key] = literal && r.chance(0.6) ? first : randomValue(r);
    } else if (typeof value === 'object' && value !== null) {
      event[key] = eventFor(r, value);
    }
  }
  return event;
}

function probeLeaf(r: Random, probe: ValidityProbe): Leaf {
  const condition = probe.make(r);
  const guess = () => (probe.values && r.chance(0.8) ? r.pick(probe.values) : randomValue(r));
  return { condition, hit: guess, miss: guess };
}

function build(r: Random, category: Category): Omit<PatternPair, 'id' | 'category'> {
  const b = new Builder(r);
  const taken = new Set<string>();
  const nodes: Node[] = [];
  let want = r.chance(0.5);
  let note: string | undefined;

  if ((LEAF_OPERATORS as readonly string[]).includes(category)) {
    const leaves = [b.leaf(category as LeafOperator)];
    if (r.chance(0.2)) leaves.push(b.anyLeaf());
    nodes.push(b.field(taken, r.sample(leaves, leaves.length)));
    for (let i = 0, extra = r.chance(0.4) ? r.int(1, 2) : 0; i < extra; i++)
      nodes.push(b.field(taken, [b.anyLeaf()]));
    b.arrays = r.chance(0.1);
  } else if (category === 'mixed-leaf' || category === 'array-event' || category === 'missing-field') {
    for (let i = 0, fields = r.int(1, 3); i < fields; i++) {
      const leaves = Array.from({ length: category === 'mixed-leaf' ? r.int(2, 4) : r.int(1, 2) }, () =>
        b.anyLeaf(),
      );
      nodes.push(b.field(taken, leaves));
    }
    b.arrays = category === 'array-event';
    if (category === 'missing-field') want = true;
  } else if (category === 'nested-object') {
    const at = Array.from({ length: r.int(1, 2) }, () => r.pick(NEST_KEYS));
    for (let i = 0, fields = r.int(1, 3); i < fields; i++) nodes.push(b.field(taken, [b.anyLeaf()], at, 2));
  } else if (category === 'or' || category === 'or-nested') {
    const at = r.chance(0.7) ? [] : [r.pick(NEST_KEYS)];
    if (r.chance(0.4)) nodes.push(b.field(taken, [b.anyLeaf()]));
    nodes.push(b.or(taken, at, category === 'or-nested' ? 2 : 0));
    if (category === 'or-nested' && at.length === 0 && r.chance(0.4))
      nodes.push(b.or(taken, [r.pick(NEST_KEYS)], 1));
  } else if (category === 'array-objects') {
    return arrayOfObjects(r, b);
  } else {
    const probes = VALIDITY_PROBES.filter((probe) => probe.expect === category);
    const probe = r.pick(probes);
    if (probe.kind === 'pattern') {
      const pattern = probe.make(r);
      return { note: probe.name, pattern, event: eventFor(r, pattern) };
    }
    note = probe.name;
    const leaves = [probeLeaf(r, probe)];
    if (r.chance(0.3)) leaves.push(b.anyLeaf());
    nodes.push(b.field(taken, r.sample(leaves, leaves.length)));
    if (r.chance(0.3)) nodes.push(r.chance(0.5) ? b.field(taken, [b.anyLeaf()]) : b.or(taken, [], 0));
  }

  b.plan(nodes, want);
  if (category === 'missing-field') note = loseAField(r, b);
  const event = b.event();
  const pattern = renderPattern(nodes, []);
  addNoise(r, event, fieldPaths(nodes));
  return { note: note ?? b.notes[0], pattern, event };
}

/** Removes one planned field, nests it one level too deep, or puts an object where a value was expected. */
function loseAField(r: Random, b: Builder): string {
  const entries = [...b.planned.entries()];
  const [key, entry] = r.pick(entries);
  const how = r.pick(['absent', 'absent', 'too deep', 'object instead']);
  if (how === 'absent') b.planned.set(key, { ...entry, value: MISSING });
  else if (how === 'too deep')
    b.planned.set(key, {
      path: [...entry.path.slice(0, -1), r.pick(NEST_KEYS), ...entry.path.slice(-1)],
      value: entry.value,
    });
  else b.planned.set(key, { ...entry, value: { [entry.path.at(-1) as string]: entry.value } });
  return how;
}

/**
 * Objects inside an array: Event Ruler matches fields of one pattern object only against one array element.
 * `together` puts every hit in one element, `split` spreads them over elements, `none` has only misses.
 */
function arrayOfObjects(r: Random, b: Builder): Omit<PatternPair, 'id' | 'category'> {
  const parent = Array.from({ length: r.int(1, 2) }, () => r.pick(NEST_KEYS));
  const simple: LeafOperator[] = [
    'exact-string',
    'exact-number',
    'prefix',
    'suffix',
    'numeric-range',
    'anything-but',
  ];
  const keys = r.sample([...LEAF_KEYS, ...MORE_LEAF_KEYS], r.int(2, 3));
  const leaves = keys.map(() => b.leaf(r.pick(simple)));
  const mode = r.pick(['together', 'split', 'none'] as const);
  const elements = Array.from({ length: r.int(2, 3) }, () => ({}) as Record<string, unknown>);
  keys.forEach((key, i) => {
    const leaf = leaves[i] as Leaf;
    const home = mode === 'together' ? 0 : mode === 'split' ? i % elements.length : -1;
    elements.forEach((element, j) => {
      const value = j === home ? leaf.hit() : r.chance(0.6) ? leaf.miss() : MISSING;
      if (value !== MISSING) element[key] = value;
    });
  });
  const pattern: Record<string, unknown> = {};
  keys.forEach((key, i) => {
    put(pattern, [...parent, key], [(leaves[i] as Leaf).condition]);
  });
  const event: Record<string, unknown> = {};
  put(
    event,
    parent,
    r.chance(0.15) ? [elements.slice(0, 1), elements.slice(1)] : r.sample(elements, elements.length),
  );
  return { note: mode, pattern, event };
}

export interface GenerateOptions {
  seed: number;
  count: number;
}

// Every category gets the same share, except invalid patterns, which come in many more shapes.
const WEIGHTS: Partial<Record<Category, number>> = { invalid: 4, 'valid-edge': 2 };

/** `count` pairs, the same for the same seed. Values pass through JSON, as both engines see them. */
export function generatePairs({ seed, count }: GenerateOptions): PatternPair[] {
  const r = new Random(seed);
  const schedule = CATEGORIES.flatMap((category) => Array<Category>(WEIGHTS[category] ?? 1).fill(category));
  return Array.from({ length: count }, (_, id) => {
    const category = schedule[id % schedule.length] as Category;
    const { note, pattern, event } = build(r, category);
    return {
      id,
      category,
      ...(note ? { note } : {}),
      pattern: JSON.parse(JSON.stringify(pattern) ?? 'null'),
      event: JSON.parse(JSON.stringify(event) ?? 'null'),
    };
  });
}
