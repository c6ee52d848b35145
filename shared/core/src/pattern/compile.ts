import { PatternError } from './errors.js';
import { consistent, type Membership, merge, type Occurrence, occurrences } from './event-values.js';
import { type JsonNode, type JsonTreeResult, jsonTreeFromText, jsonTreeFromValue } from './json-tree.js';
import type { Leaf } from './leaf.js';
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

class Compiled implements CompiledPattern {
  readonly #paths: ReadonlyArray<readonly KeyStep[][]>;
  readonly #branches: ReadonlyArray<readonly Field[]>;

  constructor(alternatives: readonly Alternative[]) {
    // Field names shared by several alternatives are looked up once per event.
    const names = [...new Set(alternatives.flatMap((fields) => fields.map(({ field }) => field)))];
    const usedSteps = new Set(names.flatMap((name) => javaSplit(name, '.')));
    this.#paths = names.map((name) => keyStepsFor(name, usedSteps));
    const index = new Map(names.map((name, i) => [name, i]));
    // Fields stay in Ruler's order (sorted by name): it decides what an `exists: false` inside an array is checked
    // against (see README.md).
    this.#branches = alternatives.map((fields) =>
      fields.map(({ field, leaf }) => ({ path: index.get(field) ?? 0, leaf })),
    );
  }

  matches(event: unknown): boolean {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
    const root = event as Record<string, unknown>;
    const found: Array<Occurrence[] | undefined> = new Array(this.#paths.length);
    const valuesOf = (path: number): Occurrence[] => {
      let values = found[path];
      if (values === undefined) {
        values = occurrences(root, this.#paths[path] ?? []);
        found[path] = values;
      }
      return values;
    };
    return this.#branches.some((fields) => matchFields(fields, 0, [], valuesOf));
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
  const analysis = analyse(pattern);
  if (!analysis.ok) throw new PatternError(analysis.errors);
  return new Compiled(compileAlternatives(analysis.branches, analysis.options));
}
