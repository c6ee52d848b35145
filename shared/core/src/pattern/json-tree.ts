/**
 * A pattern as an ordered JSON tree. Patterns arrive either as JSON text or as an already-parsed value; both become
 * this one shape so that validation and compilation see the same thing. The tree keeps what JSON.parse loses and Event
 * Ruler (the engine behind EventBridge) relies on: the source text of each number, the order of keys as written, and
 * repeated keys.
 */
export type JsonNode =
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, JsonNode]> }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

export type JsonTreeResult = { ok: true; node: JsonNode } | { ok: false; error: string };

/** Event Ruler reads patterns with Jackson, whose default limits are these. */
export const MAX_PATTERN_DEPTH = 1000;
export const MAX_NUMBER_LENGTH = 1000;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class TreeError extends Error {}

/** Parses JSON text, keeping number text, key order and repeated keys. */
export function jsonTreeFromText(text: string): JsonTreeResult {
  try {
    JSON.parse(text); // the grammar check, with the runtime's own message; the walk below can then trust the text
  } catch (error) {
    return {
      ok: false,
      error: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  let pos = 0;
  const skipSpace = (): void => {
    for (let c = text.charCodeAt(pos); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; ) {
      pos += 1;
      c = text.charCodeAt(pos);
    }
  };
  const readString = (): string => {
    const start = pos;
    pos += 1;
    while (text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos += 1;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const readValue = (depth: number): JsonNode => {
    skipSpace();
    const c = text[pos];
    if (c === '{' || c === '[') {
      if (depth >= MAX_PATTERN_DEPTH) throw new TreeError(`nests deeper than ${MAX_PATTERN_DEPTH} levels`);
      pos += 1;
      skipSpace();
      const close = c === '{' ? '}' : ']';
      const entries: Array<readonly [string, JsonNode]> = [];
      const items: JsonNode[] = [];
      while (text[pos] !== close) {
        if (c === '{') {
          skipSpace();
          const key = readString();
          skipSpace();
          pos += 1; // the colon
          entries.push([key, readValue(depth + 1)]);
        } else {
          items.push(readValue(depth + 1));
        }
        skipSpace();
        if (text[pos] === ',') pos += 1;
        skipSpace();
      }
      pos += 1;
      return c === '{' ? { kind: 'object', entries } : { kind: 'array', items };
    }
    if (c === '"') return { kind: 'string', value: readString() };
    for (const [word, node] of LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return node;
      }
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    const numberText = match?.[0] ?? '';
    if (numberText.length > MAX_NUMBER_LENGTH) {
      throw new TreeError(`has a number longer than ${MAX_NUMBER_LENGTH} characters`);
    }
    pos += numberText.length;
    return { kind: 'number', value: Number(numberText), text: numberText };
  };
  try {
    return { ok: true, node: readValue(0) };
  } catch (error) {
    if (error instanceof TreeError) return { ok: false, error: error.message };
    throw error;
  }
}

const LITERALS: ReadonlyArray<readonly [string, JsonNode]> = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null' }],
];

/** Converts an already-parsed value; anything JSON cannot express (undefined, NaN, a Date, a cycle) is refused. */
export function jsonTreeFromValue(value: unknown): JsonTreeResult {
  const ancestors = new Set<object>();
  const convert = (current: unknown, depth: number): JsonNode => {
    if (current === null) return { kind: 'null' };
    switch (typeof current) {
      case 'string':
        return { kind: 'string', value: current };
      case 'boolean':
        return { kind: 'boolean', value: current };
      case 'number':
        if (!Number.isFinite(current)) throw new TreeError(`holds ${current}, which JSON cannot express`);
        return { kind: 'number', value: current, text: String(current) };
      case 'object':
        break;
      default:
        throw new TreeError(
          `holds ${current === undefined ? 'undefined' : `a ${typeof current}`}, which JSON cannot express`,
        );
    }
    if (ancestors.has(current)) throw new TreeError('contains a circular reference');
    if (depth >= MAX_PATTERN_DEPTH) throw new TreeError(`nests deeper than ${MAX_PATTERN_DEPTH} levels`);
    ancestors.add(current);
    let node: JsonNode;
    if (Array.isArray(current)) {
      const items: JsonNode[] = [];
      for (let i = 0; i < current.length; i++) items.push(convert(current[i], depth + 1));
      node = { kind: 'array', items };
    } else {
      const proto: unknown = Object.getPrototypeOf(current);
      if (proto !== Object.prototype && proto !== null) {
        throw new TreeError('holds an object that is not plain JSON (a class instance, a Map, a Date...)');
      }
      const entries: Array<readonly [string, JsonNode]> = [];
      for (const [key, child] of Object.entries(current)) entries.push([key, convert(child, depth + 1)]);
      node = { kind: 'object', entries };
    }
    ancestors.delete(current);
    return node;
  };
  try {
    return { ok: true, node: convert(value, 0) };
  } catch (error) {
    if (error instanceof TreeError) return { ok: false, error: error.message };
    throw error;
  }
}

/** A stable text of a node, numbers as written: equal texts mean equal patterns. */
export function canonicalJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.entries.map(([key, value]) => `${JSON.stringify(key)}:${canonicalJson(value)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(canonicalJson).join(',')}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}
