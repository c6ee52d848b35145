/** Where something sits in a pattern, for messages: keys and array positions from the root. */
export type PatternLocation = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `detail.state[0].anything-but`; odd keys are quoted: `detail["a.b"]`. */
export function describeLocation(location: PatternLocation): string {
  if (location.length === 0) return 'pattern';
  let text = '';
  for (const step of location) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (PLAIN_KEY.test(step)) text += text === '' ? step : `.${step}`;
    else text += `${text === '' ? 'pattern' : ''}[${JSON.stringify(step)}]`;
  }
  return text;
}

/**
 * Event Ruler names a field by joining the keys leading to it with dots, so `{"a":{"b":…}}` and `{"a.b":…}` name the
 * same field, in patterns and in events alike. One quirk is kept: a leaf under a single top-level `""` key loses that
 * step (`{"":{"a":[…]}}` names `a`), because Ruler's path builder adds no dot after an empty name.
 */
export function childFieldName(parent: string | null, key: string): string {
  return parent === null ? key : `${parent}.${key}`;
}

export function leafFieldName(parent: string | null, key: string): string {
  return parent === null || parent === '' ? key : `${parent}.${key}`;
}

/** Java's `String.split` on one character: trailing empty parts are dropped, and no separator gives `[text]`. */
export function javaSplit(text: string, separator: string): string[] {
  if (!text.includes(separator)) return [text];
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * One way to reach a field in an event: at segment `from`, the event key `key` (one or more segments joined by dots)
 * leads on to segment `to`.
 */
export interface KeyStep {
  readonly key: string;
  readonly to: number;
  /** Whether objects inherit the key (`constructor`, `__proto__`): reading it then does not tell an event has it. */
  readonly inherited: boolean;
}

/**
 * For a field name, the event keys to try at each segment. An event key may itself hold dots, so at segment i the
 * candidates are segment i alone, segments i..i+1 joined, and so on. Ruler skips an event key unless it, or each of
 * its dot-separated parts, is a step some pattern field uses; that filter is applied here once, at compile time.
 */
export function keyStepsFor(field: string, usedSteps: ReadonlySet<string>): KeyStep[][] {
  const segments = field.split('.');
  const visible = (key: string): boolean =>
    usedSteps.has(key) || (key.includes('.') && javaSplit(key, '.').every((part) => usedSteps.has(part)));
  return segments.map((_, from) => {
    const steps: KeyStep[] = [];
    let key = '';
    for (let to = from + 1; to <= segments.length; to++) {
      key = to === from + 1 ? (segments[from] ?? '') : `${key}.${segments[to - 1] ?? ''}`;
      if (visible(key)) steps.push({ key, to, inherited: key in Object.prototype });
    }
    return steps;
  });
}
