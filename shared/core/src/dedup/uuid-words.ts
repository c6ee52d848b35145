/**
 * Writes a lowercase UUID (`8-4-4-4-12` hexadecimal digits, as CloudTrail writes eventIDs) as four 32-bit words at
 * `out[at..at+3]`, and says whether `id` was one. Uppercase digits are refused, so that two different strings never
 * give the same words.
 */
export function uuidWords(id: string, out: Uint32Array, at: number): boolean {
  if (id.length !== 36) return false;
  let word = 0;
  let digits = 0;
  for (let index = 0; index < 36; index++) {
    const code = id.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 0x2d) return false;
      continue;
    }
    let nibble: number;
    if (code >= 0x30 && code <= 0x39) nibble = code - 0x30;
    else if (code >= 0x61 && code <= 0x66) nibble = code - 0x57;
    else return false;
    word = ((word << 4) | nibble) >>> 0;
    digits += 1;
    if (digits % 8 === 0) {
      out[at + digits / 8 - 1] = word;
      word = 0;
    }
  }
  return true;
}
