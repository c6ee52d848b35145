export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

export const isWhitespace = (code: number) =>
  code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

export interface JsonStructure {
  /** The deepest nesting of objects and arrays. */
  depth: number;
  /**
   * The exact text of the value of the top-level key asked for, when it can be told for certain; else null. With
   * duplicate keys the last one counts, as in JSON.parse. A key written with escapes might spell the key without
   * looking like it, so any escaped key at the top level makes it null.
   */
  valueText: string | null;
}

/**
 * One pass over a JSON document that JSON.parse has already accepted, measuring its depth and locating one
 * top-level value. The enricher uses it to refuse records too deep for serializers, and to publish a record's
 * own text instead of serializing the parsed copy again. Strings are skipped with native indexOf, so the loop only
 * visits the structural characters between them.
 */
export function scanJsonStructure(text: string, key: string | null): JsonStructure {
  let depth = 0;
  let deepest = 0;
  let locatable = key !== null;
  let expectingKey = false;
  let valueStart = -1;
  let valueText: string | null = null;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = closingQuote(text, index);
      if (end === -1) return { depth: deepest, valueText: null };
      if (depth === 1 && expectingKey && locatable) {
        const name = text.slice(index + 1, end);
        let colon = end + 1;
        while (isWhitespace(text.charCodeAt(colon))) colon++;
        let start = colon + 1;
        while (isWhitespace(text.charCodeAt(start))) start++;
        if (name.includes('\\') || text.charCodeAt(colon) !== COLON) locatable = false;
        valueStart = locatable && name === key ? start : -1;
        expectingKey = false;
        index = start - 1;
        continue;
      }
      index = end;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth === 1) expectingKey = code === OPEN_OBJECT;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      if (depth === 1 && valueStart !== -1) valueText = trimmedSlice(text, valueStart, index);
      depth--;
    } else if (code === COMMA && depth === 1) {
      if (valueStart !== -1) valueText = trimmedSlice(text, valueStart, index);
      valueStart = -1;
      expectingKey = true;
    }
  }
  return { depth: deepest, valueText: locatable ? valueText : null };
}

/**
 * The nesting depth of a JSON document when it is deeper than `limit`, else null. Depth never exceeds the number of
 * opening brackets, and native indexOf counts those far faster than a walk of the text, so the walk runs only for
 * documents with more brackets than the limit (strings included: a YAML template can have many).
 */
export function depthBeyond(text: string, limit: number): number | null {
  if (countBeyond(text, '{', countBeyond(text, '[', 0, limit), limit) <= limit) return null;
  const { depth } = scanJsonStructure(text, null);
  return depth > limit ? depth : null;
}

/** `counted` plus the occurrences of `char` in `text`, counting stopped once past `limit`. */
function countBeyond(text: string, char: string, counted: number, limit: number): number {
  let count = counted;
  for (let at = text.indexOf(char); at !== -1 && count <= limit; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** The index of the quote that ends the string opening at `open`: one not escaped by an odd run of backslashes. */
function closingQuote(text: string, open: number): number {
  let candidate = text.indexOf('"', open + 1);
  while (candidate !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(candidate - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return candidate;
    candidate = text.indexOf('"', candidate + 1);
  }
  return -1;
}

function trimmedSlice(text: string, start: number, end: number): string {
  let last = end;
  while (last > start && isWhitespace(text.charCodeAt(last - 1))) last--;
  return text.slice(start, last);
}
