import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type AlertRule, parseAlertRules } from '@sarwatch/core';

/** The SAR rule pack shipped with sarwatch, used when ALERT_RULES_FILE is not set. */
export const DEFAULT_ALERT_RULES_FILE = fileURLToPath(
  new URL('../../../../infra/alerts/sar-rules.json', import.meta.url),
);

/** A rules file read and checked, with its text so a reload can tell whether anything changed. */
export type AlertRulesFileResult =
  | { ok: true; rules: AlertRule[]; text: string }
  | { ok: false; errors: string[]; text: string | null };

/** Reads and checks a rules file; an unreadable file or bad JSON is an error like any other, never a throw. */
export async function readAlertRulesFile(path: string): Promise<AlertRulesFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`cannot read ${path}: ${(error as Error).message}`], text: null };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${path} is not JSON: ${(error as Error).message}`], text };
  }
  const parsed = parseAlertRules(value);
  return parsed.ok ? { ok: true, rules: parsed.rules, text } : { ok: false, errors: parsed.errors, text };
}
