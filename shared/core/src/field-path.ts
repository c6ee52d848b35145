/**
 * The value at a path of object keys (`['detail', 'eventSource']`), or undefined as soon as a step is not an
 * object. Own keys only, so input data cannot reach `Object.prototype` through a path.
 */
export function valueAt(value: unknown, steps: readonly string[]): unknown {
  let current = value;
  for (const step of steps) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
