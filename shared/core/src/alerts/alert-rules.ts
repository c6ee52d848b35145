import { z } from 'zod';
import { SeveritySchema } from '../contract/enriched-event.js';
import { validatePattern } from '../pattern/index.js';
import { isKnownFieldPath, nearestFieldPath, patternFieldPaths } from './rule-field-paths.js';

/** A field of the enriched event, as a dotted path: `identity.principalArn`, `operation.applicationId`. */
const FieldPathSchema = z
  .string()
  .regex(/^[A-Za-z]\w*(\.[A-Za-z]\w*)*$/, 'must be a dotted field path such as identity.principalArn');

const PatternSchema = z.record(z.string(), z.unknown()).superRefine((pattern, context) => {
  const validation = validatePattern(pattern);
  if (!validation.ok)
    for (const error of validation.errors) context.addIssue({ code: 'custom', message: error });
});

/** One alert rule. Rules are data: a file operators edit, checked here before any of it is used. */
export const AlertRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 lowercase letters, digits or -'),
  title: z.string().min(1).max(200),
  severity: SeveritySchema,
  /** Why the rule matters, for the person who receives the alert. */
  why: z.string().min(1),
  /** An EventBridge event pattern over the enriched event (the pattern engine's full language). */
  match: PatternSchema,
  /** Fire only when `count` matching events with the same values of `per` arrive within `withinSeconds`. */
  threshold: z
    .strictObject({
      count: z.int().min(2),
      withinSeconds: z.int().min(1).max(86_400),
      per: z.array(FieldPathSchema).min(1),
    })
    .optional(),
  /** Alerts with the same values of these fields are one alert: the key on the alerts topic. */
  dedupBy: z.array(FieldPathSchema).min(1).default(['eventId']),
  /** After an alert, the same dedup key stays quiet this long. */
  suppressSeconds: z.int().min(0).max(604_800).default(0),
  enabled: z.boolean().default(true),
});
export type AlertRule = z.infer<typeof AlertRuleSchema>;

/** Named lists of values a rule's match can use as `{ "$parameter": "trustedAccounts" }`, e.g. an allowlist. */
const ParametersSchema = z.record(
  z.string().regex(/^[A-Za-z]\w{0,63}$/, 'parameter names are letters, digits and _'),
  z.array(z.string()).min(1, 'a parameter is a non-empty list of values'),
);

export const AlertRulesFileSchema = z.strictObject({
  version: z.literal(1),
  parameters: ParametersSchema.default({}),
  rules: z.array(AlertRuleSchema),
});
export type AlertRulesFile = z.infer<typeof AlertRulesFileSchema>;

export type AlertRulesResult = { ok: true; rules: AlertRule[] } | { ok: false; errors: string[] };

/**
 * Checks a parsed rules file. Every problem is reported at once (the schema's, unknown parameters, field paths that
 * name nothing, duplicate ids), each naming its rule (by id when it has one) and its field:
 * `rule "app-made-public" (rules[0]) match: source must be …`.
 */
export function parseAlertRules(value: unknown): AlertRulesResult {
  const errors: string[] = [];
  const substituted = withParameters(value, errors);
  const parsed = AlertRulesFileSchema.safeParse(substituted);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(describeIssue(value, issue.path, issue.message));
  }
  errors.push(...unknownFieldPaths(value), ...duplicateIds(value));
  // The schema checks the parameters block again; its problems were already said once.
  return errors.length > 0 || !parsed.success
    ? { ok: false, errors: [...new Set(errors)] }
    : { ok: true, rules: parsed.data.rules };
}

/** Rules only `sarwatch reconcile` can fire: they ask for `context.reconciliation`, which the live path never sets. */
export const isReconciliationRule = (rule: AlertRule): boolean =>
  patternFieldPaths(rule.match).includes('context.reconciliation');

const rulesOf = (file: unknown): unknown[] => (isRecord(file) && Array.isArray(file.rules) ? file.rules : []);

function duplicateIds(file: unknown): string[] {
  const seen = new Set<string>();
  const errors: string[] = [];
  rulesOf(file).forEach((rule, index) => {
    const id = isRecord(rule) ? rule.id : undefined;
    if (typeof id !== 'string') return;
    if (seen.has(id)) errors.push(`rule "${id}" (rules[${index}]) id: is used by an earlier rule`);
    seen.add(id);
  });
  return errors;
}

/**
 * A path that names no field of the enriched event matches nothing, ever: the rule would be loaded and never fire.
 * Each one is an error, with the path it most likely meant.
 */
function unknownFieldPaths(file: unknown): string[] {
  const errors: string[] = [];
  rulesOf(file).forEach((rule, index) => {
    if (!isRecord(rule)) return;
    const threshold = isRecord(rule.threshold) ? rule.threshold.per : undefined;
    const used: [string, unknown[]][] = [
      ['match', patternFieldPaths(rule.match)],
      ['dedupBy', Array.isArray(rule.dedupBy) ? rule.dedupBy : []],
      ['threshold.per', Array.isArray(threshold) ? threshold : []],
    ];
    for (const [field, paths] of used) {
      for (const path of paths) {
        if (typeof path !== 'string' || isKnownFieldPath(path)) continue;
        const nearest = nearestFieldPath(path);
        const hint = nearest ? ` (did you mean ${nearest}?)` : '';
        errors.push(`${ruleName(file, index)} ${field}: ${path} is not a field of the enriched event${hint}`);
      }
    }
  });
  return errors;
}

function describeIssue(value: unknown, path: readonly PropertyKey[], message: string): string {
  const [top, index, ...field] = path;
  if (top !== 'rules' || typeof index !== 'number') {
    return `${path.map(String).join('.') || 'file'}: ${message}`;
  }
  return `${ruleName(value, index)} ${field.map(String).join('.') || 'rule'}: ${message}`;
}

function ruleName(file: unknown, index: number): string {
  const id = (rulesOf(file)[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? `rule "${id}" (rules[${index}])` : `rules[${index}]`;
}

const PARAMETER = '$parameter';
// Stands in for a parameter that could not be read, so its error is reported once, not again as a pattern error.
const UNRESOLVED_PARAMETER = ['(unresolved parameter)'];

/**
 * The file with every `{ "$parameter": name }` in a rule's match replaced by that parameter's list, so the
 * pattern is validated and compiled as operators will see it matched. Unknown names are errors of their rule.
 */
function withParameters(value: unknown, errors: string[]): unknown {
  if (!isRecord(value) || !Array.isArray(value.rules)) return value;
  const declared = ParametersSchema.safeParse(value.parameters ?? {});
  if (!declared.success) {
    for (const issue of declared.error.issues)
      errors.push(`parameters.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const rules = value.rules.map((rule: unknown, index: number) => {
    if (!isRecord(rule) || !('match' in rule)) return rule;
    const replace = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(replace);
      if (!isRecord(node)) return node;
      if (PARAMETER in node) {
        if (!declared.success) return UNRESOLVED_PARAMETER;
        const name = node[PARAMETER];
        const list = typeof name === 'string' ? declared.data[name] : undefined;
        if (list) return list;
        errors.push(
          `${ruleName(value, index)} match: ${JSON.stringify(name)} is not a parameter of this file`,
        );
        return UNRESOLVED_PARAMETER;
      }
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, replace(child)]));
    };
    return { ...rule, match: replace(rule.match) };
  });
  return { ...value, rules };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
