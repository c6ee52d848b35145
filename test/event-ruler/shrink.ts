/** A pattern and an event: what the differential test asks both engines about. */
export interface Example {
  pattern: unknown;
  event: unknown;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every value one step smaller than `value`: a key or an array element dropped, a part made smaller. Patterns keep
 * the shape rules that would otherwise make them invalid for a dull reason (value arrays stay non-empty, `$or`
 * keeps two branches) and may lose an `$or` by inlining one branch; events may also trade an array for one of its
 * elements or lose a character of a string.
 */
function smaller(value: Json, inPattern: boolean, key = ''): Json[] {
  const out: Json[] = [];
  if (Array.isArray(value)) {
    const keep = inPattern ? (key === '$or' ? 2 : 1) : 0;
    if (value.length > keep) {
      for (let i = 0; i < value.length; i++) out.push(value.filter((_, j) => j !== i));
    }
    if (!inPattern) out.push(...value);
    value.forEach((element, i) => {
      for (const part of smaller(element, inPattern, key))
        out.push(value.map((e, j) => (j === i ? part : e)));
    });
  } else if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length > (inPattern ? 1 : 0)) {
      for (const k of keys)
        out.push(Object.fromEntries(Object.entries(value).filter(([name]) => name !== k)));
    }
    if (inPattern && Array.isArray(value.$or)) {
      const { $or, ...rest } = value;
      for (const branch of $or as Json[]) if (isObject(branch)) out.push({ ...rest, ...branch });
    }
    for (const k of keys)
      for (const part of smaller(value[k], inPattern, k)) out.push({ ...value, [k]: part });
  } else if (!inPattern && typeof value === 'string' && value.length > 0) {
    const points = Array.from(value);
    for (let i = 0; i < points.length; i++) out.push(points.filter((_, j) => j !== i).join(''));
  }
  return out;
}

const size = (example: Example) =>
  JSON.stringify(example.pattern).length + JSON.stringify(example.event).length;

/**
 * Greedy shrinking: repeatedly takes the smallest one-step-smaller example that `stillFails` keeps, until none is
 * kept or `deadline` (a `performance.now()` time) passes.
 */
export async function shrink(
  example: Example,
  stillFails: (candidates: Example[]) => Promise<boolean[]>,
  deadline: number,
): Promise<Example> {
  let current = example;
  while (performance.now() < deadline) {
    const candidates: Example[] = [
      ...smaller(current.pattern, true).map((pattern) => ({ pattern, event: current.event })),
      ...smaller(current.event, false)
        .filter(isObject)
        .map((event) => ({ pattern: current.pattern, event })),
    ];
    if (candidates.length === 0) break;
    const verdicts = await stillFails(candidates);
    const kept = candidates.filter((_, i) => verdicts[i]).sort((a, b) => size(a) - size(b));
    if (!kept[0]) break;
    current = kept[0];
  }
  return current;
}
