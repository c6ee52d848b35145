import type { OperatorOptions, Report } from './anything-but.js';
import { canonicalJson, type JsonNode } from './json-tree.js';
import { compileLeaf } from './leaf.js';
import { childFieldName, leafFieldName, type PatternLocation } from './paths.js';

/** A field's value array as written, checked already; compiled once it is known which alternatives share it. */
export interface LeafSource {
  readonly items: readonly JsonNode[];
  readonly location: PatternLocation;
  /** Equal texts are equal leaves. */
  readonly text: string;
}

/** One alternative of a pattern: every field in it must match (field name → its value array). */
export type Branch = Map<string, LeafSource>;

export interface StructureOptions extends OperatorOptions {
  /** Whether `$or` is the operator. Ruler's fallback compiler reads it as an ordinary field name. */
  readonly orOperator: boolean;
}

/** Event Ruler refuses a rule with more fields than this (in any one `$or` alternative). */
export const MAX_FIELDS_PER_BRANCH = 256;
/** Our own guard, not Ruler's: nested `$or` multiplies alternatives, and this stops a pattern exploding. */
export const MAX_BRANCHES = 10_000;

/** Words Ruler keeps for operators; inside `$or` they cannot be field names (Event Ruler, Constants.java). */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

type ObjectNode = Extract<JsonNode, { kind: 'object' }>;

interface Walk {
  readonly options: StructureOptions;
  readonly report: Report;
  tooManyBranches: boolean;
}

const describeKind = (node: JsonNode): string =>
  node.kind === 'null'
    ? 'null'
    : node.kind === 'object' || node.kind === 'array'
      ? `an ${node.kind}`
      : `a ${node.kind}`;

/*
 * Fields are ANDed; `$or` forks the alternatives built so far, one copy per element, and later fields go into every
 * copy, which is how Event Ruler expands a pattern into the alternatives it adds. As in Ruler, a field named twice in
 * one alternative (`{"a.b": …, "a": {"b": …}}`, or a field both outside and inside an `$or`) keeps the last one
 * written instead of ANDing both.
 */
function walkObject(
  node: ObjectNode,
  location: PatternLocation,
  name: string | null,
  branches: Branch[],
  insideOr: boolean,
  walk: Walk,
): void {
  if (node.entries.length === 0)
    walk.report(location, 'is an empty object; EventBridge does not allow empty objects');
  for (const [key, value] of node.entries) {
    const here = [...location, key];
    if (key === '$or' && walk.options.orOperator) {
      expandOr(value, here, name, branches, walk);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      walk.report(here, `uses the reserved word "${key}" as a field name, which is not allowed inside "$or"`);
      continue;
    }
    if (value.kind === 'object') {
      walkObject(value, here, childFieldName(name, key), branches, insideOr, walk);
    } else if (value.kind === 'array') {
      if (compileLeaf(value.items, here, walk.options, walk.report) === null) continue;
      const source: LeafSource = { items: value.items, location: here, text: canonicalJson(value) };
      if (branches.length === 0) branches.push(new Map());
      const field = leafFieldName(name, key);
      for (const branch of branches) branch.set(field, source);
    } else {
      walk.report(here, `must be an object or an array of values to match, not ${describeKind(value)}`);
    }
  }
}

function expandOr(
  node: JsonNode,
  location: PatternLocation,
  name: string | null,
  branches: Branch[],
  walk: Walk,
): void {
  if (node.kind !== 'array' || node.items.length < 2) {
    walk.report(location, 'must be an array of at least two objects');
    if (node.kind !== 'array') return;
  }
  const before = branches.map((branch) => new Map(branch));
  branches.length = 0;
  for (const [index, element] of node.items.entries()) {
    if (element.kind !== 'object') {
      walk.report([...location, index], `must be an object, not ${describeKind(element)}`);
      continue;
    }
    if (walk.tooManyBranches) continue;
    const alternatives = before.length === 0 ? [new Map()] : before.map((branch) => new Map(branch));
    walkObject(element, [...location, index], name, alternatives, true, walk);
    branches.push(...alternatives);
    if (branches.length > MAX_BRANCHES) {
      walk.tooManyBranches = true;
      branches.length = 0;
    }
  }
}

/** The pattern's alternatives, or null when a problem was reported. */
export function patternBranches(root: JsonNode, options: StructureOptions, report: Report): Branch[] | null {
  if (root.kind !== 'object') {
    report([], `must be a JSON object, not ${describeKind(root)}`);
    return null;
  }
  let problems = 0;
  const counting: Report = (location, message) => {
    problems += 1;
    report(location, message);
  };
  const walk: Walk = { options, report: counting, tooManyBranches: false };
  const branches: Branch[] = [];
  walkObject(root, [], null, branches, false, walk);
  if (walk.tooManyBranches) {
    counting([], `expands into more than ${MAX_BRANCHES} alternatives through nested "$or"; simplify it`);
  }
  for (const branch of branches) {
    if (branch.size > MAX_FIELDS_PER_BRANCH) {
      counting(
        [],
        `has ${branch.size} fields in one alternative; at most ${MAX_FIELDS_PER_BRANCH} are allowed`,
      );
      break;
    }
  }
  return problems === 0 ? branches : null;
}

/** Whether `$or` appears as a key anywhere outside leaf arrays (only then can Ruler's fallback reading differ). */
export function mentionsOr(node: JsonNode): boolean {
  if (node.kind !== 'object') return false;
  return node.entries.some(([key, value]) => key === '$or' || mentionsOr(value));
}
