import { PatternError } from './errors.js';
import {
  consistent,
  FORKS,
  type Membership,
  merge,
  NO_ARRAYS,
  type Occurrence,
  occurrences,
  singleValue,
} from './event-values.js';
import { type JsonNode, type JsonTreeResult, jsonTreeFromText, jsonTreeFromValue } from './json-tree.js';
import type { Leaf } from './leaf.js';
import type { Scalar } from './matchers.js';
import { describeLocation, javaSplit, type KeyStep, keyStepsFor } from './paths.js';
import { type Alternative, compileAlternatives } from './sharing.js';
import { type Branch, mentionsOr, patternBranches, type StructureOptions } from './structure.js';

export type PatternValidation = { ok: true } | { ok: false; errors: string[] };

/** A pattern compiled once, to be matched against many events. */
export interface CompiledPattern {
  /** Whether the event (a parsed JSON value) matches. Anything but a JSON object matches nothing. */
  matches(event: unknown): boolean;
}

interface Field {
  readonly path: number;
  readonly leaf: Leaf;
}

type Analysis = { ok: true; branches: Branch[]; options: StructureOptions } | { ok: false; errors: string[] };

const MODERN: StructureOptions = { orOperator: true, legacy: false };
const LEGACY: StructureOptions = { orOperator: false, legacy: true };

function branchesOf(root: JsonNode, options: StructureOptions): Analysis {
  const errors: string[] = [];
  const branches = patternBranches(root, options, (location, message) =>
    errors.push(`${describeLocation(location)} ${message}`),
  );
  return branches === null ? { ok: false, errors } : { ok: true, branches, options };
}

/**
 * Reads a pattern the way Event Ruler's Machine.addRule does: with the current compiler, and, only if that fails,
 * with its older one, which treats `$or` as an ordinary field name (so `{"$or": {"a": ["x"]}}` is a valid pattern on
 * the field `$or.a`). The errors reported are the current compiler's.
 */
function analyse(pattern: unknown): Analysis {
  const tree: JsonTreeResult =
    typeof pattern === 'string' ? jsonTreeFromText(pattern) : jsonTreeFromValue(pattern);
  if (!tree.ok) return { ok: false, errors: [`pattern ${tree.error}`] };
  const modern = branchesOf(tree.node, MODERN);
  if (modern.ok || !mentionsOr(tree.node)) return modern;
  const legacy = branchesOf(tree.node, LEGACY);
  return legacy.ok ? legacy : modern;
}

/** Checks a pattern (a JSON string or a parsed value) and names the place of every problem EventBridge would refuse. */
export function validatePattern(pattern: unknown): PatternValidation {
  const analysis = analyse(pattern);
  return analysis.ok ? { ok: true } : { ok: false, errors: analysis.errors };
}

/**
 * The event fields a set of patterns reads, each as the keys to try at its segments. Patterns compiled together
 * share one set, so a field several of them use (`eventSource`, `errorCode`, ...) is looked up once per event.
 */
class FieldPaths {
  readonly #steps: (readonly KeyStep[][])[] = [];
  readonly #index = new Map<string, number>();
  /** Counts the events whose values were asked for: `#found[path]` belongs to event `#foundFor[path]`. */
  #event = 0;
  readonly #found: Occurrence[][] = [];
  readonly #foundFor: number[] = [];
  /** Per field, the one occurrence reused for a value outside any array. */
  readonly #single: (Occurrence[] | undefined)[] = [];

  /** The field's number in this set; equal key steps are one field. */
  add(steps: readonly KeyStep[][]): number {
    const key = JSON.stringify(steps);
    let path = this.#index.get(key);
    if (path === undefined) {
      path = this.#steps.length;
      this.#steps.push(steps);
      this.#index.set(key, path);
      this.#found.push(NO_VALUES);
      this.#foundFor.push(0);
      this.#single.push(undefined);
    }
    return path;
  }

  /**
   * The values of each field in one event, each walked when first asked for, and valid until the values of the next
   * event are asked for: a field that holds one value outside any array, as most do, is answered from an occurrence
   * kept for the field and reused, which spared the alert engine two allocations per field and event.
   */
  valuesIn(root: Record<string, unknown>): (path: number) => Occurrence[] {
    this.#event += 1;
    const event = this.#event;
    return (path) => {
      if (event !== this.#event)
        throw new Error('the values of an event were asked for after the next event');
      if (this.#foundFor[path] === event) return this.#found[path] as Occurrence[];
      const values = this.#valuesOf(root, path);
      this.#found[path] = values;
      this.#foundFor[path] = event;
      return values;
    };
  }

  #valuesOf(root: Record<string, unknown>, path: number): Occurrence[] {
    const steps = this.#steps[path] ?? [];
    const value = singleValue(root, steps);
    if (value === FORKS) return occurrences(root, steps);
    if (value === undefined) return NO_VALUES;
    let kept = this.#single[path];
    if (kept === undefined) {
      kept = [{ value, membership: NO_ARRAYS }];
      this.#single[path] = kept;
    }
    (kept[0] as { value: Scalar }).value = value;
    return kept;
  }
}

/** The values of a field an event does not have; never written to. */
const NO_VALUES: Occurrence[] = [];

class Compiled implements CompiledPattern {
  readonly #branches: ReadonlyArray<readonly Field[]>;

  constructor(
    alternatives: readonly Alternative[],
    private readonly fields: FieldPaths,
  ) {
    const names = [...new Set(alternatives.flatMap((alternative) => alternative.map(({ field }) => field)))];
    // Which event keys a field's segments may match depends on every step this pattern uses (see keyStepsFor).
    const usedSteps = new Set(names.flatMap((name) => javaSplit(name, '.')));
    const paths = new Map(names.map((name) => [name, fields.add(keyStepsFor(name, usedSteps))]));
    // Fields stay in Ruler's order (sorted by name): it decides what an `exists: false` inside an array is checked
    // against (see README.md).
    this.#branches = alternatives.map((alternative) =>
      alternative.map(({ field, leaf }) => ({ path: paths.get(field) ?? 0, leaf })),
    );
  }

  matches(event: unknown): boolean {
    const root = asObject(event);
    return root !== null && this.matchesValues(this.fields.valuesIn(root));
  }

  matchesValues(valuesOf: (path: number) => Occurrence[]): boolean {
    for (const fields of this.#branches) if (matchFields(fields, 0, NO_ARRAYS, valuesOf)) return true;
    return false;
  }
}

const asObject = (event: unknown): Record<string, unknown> | null =>
  typeof event !== 'object' || event === null || Array.isArray(event)
    ? null
    : (event as Record<string, unknown>);

/**
 * Patterns compiled together, to be matched against the same events: the fields they share are read once per
 * event, where compiling each alone would walk the event again for every pattern that names them.
 */
export class PatternGroup {
  readonly #patterns: Compiled[];
  readonly #fields = new FieldPaths();

  /** Throws PatternError for the first pattern EventBridge would refuse. */
  constructor(patterns: readonly unknown[]) {
    this.#patterns = patterns.map((pattern) => compileAnalysed(pattern, this.#fields));
  }

  /** Whether each pattern, by its index, matches the event: each answer worked out when first asked for. */
  verdicts(event: unknown): (pattern: number) => boolean {
    const root = asObject(event);
    if (root === null) return () => false;
    const valuesOf = this.#fields.valuesIn(root);
    return (pattern) => this.#patterns[pattern]?.matchesValues(valuesOf) ?? false;
  }
}

/**
 * Depth-first over the fields of one alternative: each field takes a value consistent with the array elements chosen
 * so far; `exists: false` holds when no such value exists. Patterns and events without arrays never backtrack.
 */
function matchFields(
  fields: readonly Field[],
  at: number,
  chosen: Membership,
  valuesOf: (path: number) => Occurrence[],
): boolean {
  const field = fields[at];
  if (field === undefined) return true;
  const values = valuesOf(field.path);
  const { test, absent } = field.leaf;
  if (absent && !values.some((o) => consistent(chosen, o.membership))) {
    if (matchFields(fields, at + 1, chosen, valuesOf)) return true;
  }
  if (test === null) return false;
  for (const occurrence of values) {
    if (!consistent(chosen, occurrence.membership) || !test(occurrence.value)) continue;
    if (matchFields(fields, at + 1, merge(chosen, occurrence.membership), valuesOf)) return true;
  }
  return false;
}

/** Compiles a pattern (a JSON string or a parsed value); throws PatternError when EventBridge would refuse it. */
export function compilePattern(pattern: unknown): CompiledPattern {
  return compileAnalysed(pattern, new FieldPaths());
}

function compileAnalysed(pattern: unknown, fields: FieldPaths): Compiled {
  const analysis = analyse(pattern);
  if (!analysis.ok) throw new PatternError(analysis.errors);
  return new Compiled(compileAlternatives(analysis.branches, analysis.options), fields);
}
