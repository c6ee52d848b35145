import { z } from 'zod';
import { SeveritySchema } from '../contract/enriched-event.js';
import { validatePattern } from '../pattern/index.js';

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
 * Checks a parsed rules file. Every problem is reported at once, each naming its rule (by id when it has one)
 * and its field: `rule "app-made-public" (rules[0]) match: source must be …`.
 */
export function parseAlertRules(value: unknown): AlertRulesResult {
  const errors: string[] = [];
  const substituted = withParameters(value, errors);
  if (errors.length > 0) return { ok: false, errors };
  const parsed = AlertRulesFileSchema.safeParse(substituted);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(describeIssue(value, issue.path, issue.message));
  } else {
    const seen = new Set<string>();
    parsed.data.rules.forEach((rule, index) => {
      if (seen.has(rule.id))
        errors.push(`rule "${rule.id}" (rules[${index}]) id: is used by an earlier rule`);
      seen.add(rule.id);
    });
  }
  return errors.length > 0 || !parsed.success
    ? { ok: false, errors }
    : { ok: true, rules: parsed.data.rules };
}

function describeIssue(value: unknown, path: readonly PropertyKey[], message: string): string {
  const [top, index, ...field] = path;
  if (top !== 'rules' || typeof index !== 'number') {
    return `${path.map(String).join('.') || 'file'}: ${message}`;
  }
  return `${ruleName(value, index)} ${field.map(String).join('.') || 'rule'}: ${message}`;
}

function ruleName(file: unknown, index: number): string {
  const rules = (file as { rules?: unknown[] }).rules;
  const id = (rules?.[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? `rule "${id}" (rules[${index}])` : `rules[${index}]`;
}

const PARAMETER = '$parameter';

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
    return value;
  }
  const rules = value.rules.map((rule: unknown, index: number) => {
    if (!isRecord(rule) || !('match' in rule)) return rule;
    const replace = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(replace);
      if (!isRecord(node)) return node;
      if (PARAMETER in node) {
        const name = node[PARAMETER];
        const list = typeof name === 'string' ? declared.data[name] : undefined;
        if (list) return list;
        errors.push(
          `${ruleName(value, index)} match: ${JSON.stringify(name)} is not a parameter of this file`,
        );
        return node;
      }
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, replace(child)]));
    };
    return { ...rule, match: replace(rule.match) };
  });
  return { ...value, rules };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
