/**
 * `wildcard` patterns (EventBridge User Guide, eb-create-pattern-operators, "Wildcard matching"; Event Ruler README,
 * "Wildcard matching"): `*` stands for any run of characters, including none. `\*` is a literal asterisk and `\\` a
 * literal backslash; a backslash before anything else, and two `*` in a row, are errors.
 */
export type WildcardParse = { ok: true; parts: readonly string[] } | { ok: false; error: string };

/** Splits a wildcard pattern into its literal parts: `a*b\*c` gives `["a", "b*c"]`. */
export function parseWildcard(pattern: string): WildcardParse {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') return { ok: false, error: `has two consecutive "*" at position ${i}` };
      parts.push(current);
      current = '';
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') {
        return { ok: false, error: `has a backslash at position ${i} that escapes neither "*" nor "\\"` };
      }
      current += next;
      i += 1;
    } else {
      current += c;
    }
  }
  parts.push(current);
  return { ok: true, parts };
}

/** Whether the whole of `value` matches the parsed pattern. Linear: literal parts are found left to right. */
export function matchesWildcard(parts: readonly string[], value: string): boolean {
  const first = parts[0] ?? '';
  if (parts.length === 1) return value === first;
  const last = parts[parts.length - 1] ?? '';
  if (first.length + last.length > value.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const found = value.indexOf(part, position);
    if (found < 0 || found + part.length > end) return false;
    position = found + part.length;
  }
  return true;
}
