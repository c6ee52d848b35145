/**
 * Event Ruler 2.0.1 bugs the differential test must not count against our engine: EventBridge's semantics are
 * what the engine follows, and copying a bug of the oracle would make it wrong. Each was shrunk to a minimal case;
 * shared/core/src/pattern/README.md has them with examples. Pairs that hit one are set aside, counted and printed,
 * never silently dropped.
 */
export const KNOWN_RULER_BUGS = {
  // Ruler case-folds one UTF-16 unit at a time, so each half of a surrogate pair becomes '?':
  // {"equals-ignore-case":"🙂"} misses "🙂" and matches "??".
  'ignore-case-astral': (leaf: readonly unknown[]) =>
    leaf.some((operand) => ignoreCaseOperands(operand).some((text) => /[\uD800-\uDFFF]/.test(text))),
  // A wildcard starting with '*' beside an ignore-case condition on the same field: the ignore-case operand's first
  // character then behaves as "one or more of anything" ([{"wildcard":"*x"},{"anything-but":{"equals-ignore-case":"b"}}]
  // refuses every non-empty string).
  'leading-star-wildcard-with-ignore-case': (leaf: readonly unknown[]) =>
    leaf.some((operand) => wildcardOperands(operand).some((text) => text.startsWith('*'))) &&
    leaf.some((operand) => ignoreCaseOperands(operand).length > 0),
  // With a numeric condition on a field, Ruler keeps numbers in a 10-byte encoding and runs suffix on those bytes:
  // [{"suffix":""},{"numeric":[">=",850]}] matches 849.999, whose encoding ends in the byte of '"'.
  'suffix-beside-numeric': (leaf: readonly unknown[]) =>
    leaf.some((operand) => operatorOf(operand) === 'suffix') &&
    leaf.some((operand) => typeof operand === 'number' || operatorOf(operand) === 'numeric'),
} as const;

export type KnownRulerBug = keyof typeof KNOWN_RULER_BUGS;

/** The first known bug a valid pattern can trigger, looking at every field's list of conditions, $or included. */
export function knownRulerBug(pattern: unknown): KnownRulerBug | null {
  for (const leaf of leaves(pattern)) {
    for (const [name, applies] of Object.entries(KNOWN_RULER_BUGS)) {
      if (applies(leaf)) return name as KnownRulerBug;
    }
  }
  return null;
}

function* leaves(node: unknown): Generator<readonly unknown[]> {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or' && Array.isArray(value)) for (const branch of value) yield* leaves(branch);
    else if (Array.isArray(value)) yield value;
    else yield* leaves(value);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function operatorOf(operand: unknown): string | null {
  return isObject(operand) ? (Object.keys(operand)[0] ?? null) : null;
}

const texts = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === 'string')
      : [];

/** equals-ignore-case operands, alone or inside prefix, suffix or anything-but. */
function ignoreCaseOperands(operand: unknown): string[] {
  if (!isObject(operand)) return [];
  const direct = texts(operand['equals-ignore-case']);
  const nested = ['prefix', 'suffix', 'anything-but'].flatMap((name) => {
    const inner = operand[name];
    return isObject(inner) ? texts(inner['equals-ignore-case']) : [];
  });
  return [...direct, ...nested];
}

/** wildcard operands, alone or inside anything-but. */
function wildcardOperands(operand: unknown): string[] {
  if (!isObject(operand)) return [];
  const inner = operand['anything-but'];
  return [...texts(operand.wildcard), ...(isObject(inner) ? texts(inner.wildcard) : [])];
}
