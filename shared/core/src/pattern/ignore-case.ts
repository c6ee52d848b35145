/**
 * `equals-ignore-case`, as Event Ruler does it: the event value is not folded. Instead each character of the pattern
 * stands for its lower-case or its upper-case form, and the value must spell the pattern with one of the two forms at
 * each position. So `"ß"` matches `"ß"` and `"SS"`, while `"SS"` does not match `"ß"`; and a title-case letter such as
 * `ǅ` matches only `ǆ` and `Ǆ`, not itself. JavaScript's locale-independent case mapping is the same mapping as Java's
 * `toLowerCase(Locale.ROOT)` / `toUpperCase(Locale.ROOT)` up to the Unicode version each runtime ships.
 */
export interface IgnoreCasePattern {
  /** Per UTF-16 unit of the pattern: the one or two strings it may appear as. */
  readonly alternatives: ReadonlyArray<readonly string[]>;
  /** When every alternative is a single unit, matching is a per-position comparison. */
  readonly lower: string | null;
  readonly upper: string | null;
}

export function compileIgnoreCase(pattern: string): IgnoreCasePattern {
  const alternatives: string[][] = [];
  let simple = true;
  let lower = '';
  let upper = '';
  for (let i = 0; i < pattern.length; i++) {
    const unit = pattern[i] ?? '';
    const lo = unit.toLowerCase();
    const up = unit.toUpperCase();
    alternatives.push(lo === up ? [lo] : [lo, up]);
    if (lo.length !== 1 || up.length !== 1) simple = false;
    lower += lo;
    upper += up;
  }
  return simple ? { alternatives, lower, upper } : { alternatives, lower: null, upper: null };
}

function sameAt(pattern: IgnoreCasePattern, value: string, offset: number): boolean {
  const { lower, upper } = pattern;
  if (lower === null || upper === null) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = value.charCodeAt(offset + i);
    if (c !== lower.charCodeAt(i) && c !== upper.charCodeAt(i)) return false;
  }
  return true;
}

/** The offsets in `value` at which a spelling of the pattern that starts at offset 0 can end. */
function forwardEnds(pattern: IgnoreCasePattern, value: string): number[] {
  let positions = [0];
  for (const options of pattern.alternatives) {
    const next: number[] = [];
    for (const at of positions) {
      for (const option of options) {
        const end = at + option.length;
        if (end <= value.length && value.startsWith(option, at) && !next.includes(end)) next.push(end);
      }
    }
    if (next.length === 0) return next;
    positions = next;
  }
  return positions;
}

export function equalsIgnoringCase(pattern: IgnoreCasePattern, value: string): boolean {
  if (pattern.lower !== null) return value.length === pattern.lower.length && sameAt(pattern, value, 0);
  return forwardEnds(pattern, value).includes(value.length);
}

export function startsWithIgnoringCase(pattern: IgnoreCasePattern, value: string): boolean {
  if (pattern.lower !== null) return value.length >= pattern.lower.length && sameAt(pattern, value, 0);
  return forwardEnds(pattern, value).length > 0;
}

export function endsWithIgnoringCase(pattern: IgnoreCasePattern, value: string): boolean {
  if (pattern.lower !== null) {
    const offset = value.length - pattern.lower.length;
    return offset >= 0 && sameAt(pattern, value, offset);
  }
  let positions = [value.length];
  for (let i = pattern.alternatives.length - 1; i >= 0; i--) {
    const next: number[] = [];
    for (const at of positions) {
      for (const option of pattern.alternatives[i] ?? []) {
        const start = at - option.length;
        if (start >= 0 && value.startsWith(option, start) && !next.includes(start)) next.push(start);
      }
    }
    if (next.length === 0) return false;
    positions = next;
  }
  return true;
}
