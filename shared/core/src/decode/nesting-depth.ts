const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the JSON in `bytes` nests deeper than `maxDepth`. JSON.parse copes with any depth, but JSON.stringify
 * and most consumers recurse and overflow their stack a few thousand levels down, so such a record is refused
 * before it is parsed. Depth cannot exceed the number of opening brackets, which native indexOf counts quickly,
 * so the exact, string-aware scan runs only for the rare record with many brackets.
 */
export function exceedsNestingDepth(bytes: Uint8Array, maxDepth: number): boolean {
  const openers = countUpTo(bytes, OPEN_OBJECT, maxDepth + 1) + countUpTo(bytes, OPEN_ARRAY, maxDepth + 1);
  if (openers <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

function countUpTo(bytes: Uint8Array, byte: number, limit: number): number {
  let count = 0;
  for (let at = bytes.indexOf(byte); at !== -1 && count < limit; at = bytes.indexOf(byte, at + 1)) count++;
  return count;
}
