/**
 * The bytes the splitter looks for. All are ASCII, so none can appear inside a multi-byte UTF-8 character, whose
 * bytes are all >= 0x80: the input can be followed byte by byte without decoding it. value-scanner.ts repeats the
 * ones its loops compare every byte against, as literals (it says why).
 */

export const NEWLINE = 0x0a;
export const CARRIAGE_RETURN = 0x0d;
export const TAB = 0x09;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;

export const EMPTY = new Uint8Array(0);
export const BYTE_ORDER_MARK = new Uint8Array([0xef, 0xbb, 0xbf]);

/** JSON whitespace other than the line break, which the splitter counts and so always tests on its own. */
export const isBlank = (byte: number | undefined) =>
  byte === SPACE || byte === TAB || byte === CARRIAGE_RETURN;
