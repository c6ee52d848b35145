import { CLOSE_OBJECT, COLON, COMMA, isWhitespace, OPEN_OBJECT, QUOTE } from './json-structure.js';

// Searched without its opening quote, which is checked after: V8 finds a pattern by its first character, and in JSON
// text a quote starts every few characters, so the full key took a quarter of the envelope split's time.
const DETAIL_KEY_TAIL = 'detail"';

export interface SplitEnvelope {
  /** The envelope, the same value JSON.parse would give. */
  envelope: Record<string, unknown>;
  /** The exact text of its `detail`. */
  detailText: string;
}

/**
 * Parses an envelope laid out the way EventBridge writes it, `detail` last, as two pieces: the header, and the
 * detail on its own, whose text is then known exactly. Together the two parses read each byte once, as parsing the
 * whole would, so locating the record's text costs nothing extra; the alternative is a second pass over the text.
 *
 * It is sound because JSON is unambiguous: if `header + "null}"` parses with `detail` null, that `"detail":` is a
 * key of the top-level object and its value starts right after it; if the rest up to the final `}` parses as one
 * value, the whole text is that object with the detail last, as JSON.parse would read it (a duplicate `detail`
 * earlier in the header keeps its place and takes this value, as with JSON.parse). Any other text, valid or not,
 * gives null, and the caller parses it whole.
 */
export function splitEnvelope(text: string): SplitEnvelope | null {
  const last = lastNonWhitespace(text);
  if (last === -1 || text.charCodeAt(last) !== CLOSE_OBJECT) return null;
  for (
    let tail = text.indexOf(DETAIL_KEY_TAIL);
    tail !== -1;
    tail = text.indexOf(DETAIL_KEY_TAIL, tail + 1)
  ) {
    const key = tail - 1;
    if (text.charCodeAt(key) !== QUOTE) continue;
    const colon = skipWhitespace(text, tail + DETAIL_KEY_TAIL.length);
    const before = text.charCodeAt(skipWhitespaceBackwards(text, key - 1));
    if (text.charCodeAt(colon) !== COLON || (before !== COMMA && before !== OPEN_OBJECT)) continue;
    // The first key-like "detail" decides: trying every one would parse hostile text once per such key.
    const header = parseOrUndefined(`${text.slice(0, colon + 1)}null}`);
    if (!isPlainObject(header) || header.detail !== null) return null;
    const detailText = text.slice(
      skipWhitespace(text, colon + 1),
      skipWhitespaceBackwards(text, last - 1) + 1,
    );
    const detail = parseOrUndefined(detailText);
    if (detail === undefined) return null;
    header.detail = detail;
    return { envelope: header, detailText };
  }
  return null;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function skipWhitespace(text: string, index: number): number {
  let at = index;
  while (isWhitespace(text.charCodeAt(at))) at++;
  return at;
}

function skipWhitespaceBackwards(text: string, index: number): number {
  let at = index;
  while (at > 0 && isWhitespace(text.charCodeAt(at))) at--;
  return at;
}

function lastNonWhitespace(text: string): number {
  const at = skipWhitespaceBackwards(text, text.length - 1);
  return at >= 0 && !isWhitespace(text.charCodeAt(at)) ? at : -1;
}
