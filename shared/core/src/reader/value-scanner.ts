/**
 * Follows one value byte by byte to its end, as chunks bring it: bracket depth, strings and their escapes, and the
 * end of a scalar. It neither keeps bytes nor numbers lines; it says where the value stopped and why, and how many
 * line breaks it passed, and the splitter does the rest.
 */
// The bytes of json-bytes.ts again, as literals: the loops below compare nearly every byte of the input against
// them, and V8 does not fold imported constants into optimized code. Imported, they cost the splitter about 40% of
// its throughput (Node 20, 100k generated records).
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Why a scan returned. `more`: the chunk ended inside the value. `end`: the value ends where the scan stopped.
 * `new-value`: an object or array starts a line there, taken to begin a new value, so the current one was cut short.
 * `newline-in-string`: a raw line break there is inside a string, never valid JSON.
 */
export type ScanStop = 'more' | 'end' | 'new-value' | 'newline-in-string';

// What is being followed.
const NESTED = 0; // inside an object or array, outside strings
const STRING = 1; // inside a string, at the top of the value or nested
const SCALAR = 2; // a value that is neither object, array nor string: a number, a literal, or junk

export class ValueScanner {
  /** Why the last scan returned. */
  stop: ScanStop = 'more';
  /** The line breaks the last scan passed. */
  newlines = 0;
  private kind = NESTED;
  private depth = 0;
  private escaped = false;
  /** A scalar in an array ends at `,` or `]`; at the top level, at the end of its line. */
  private inArray = false;

  /** The value is a scalar: the input may end it without it being cut short. */
  get inScalar(): boolean {
    return this.kind === SCALAR;
  }

  /** Starts a value from its first byte, which the caller has read. */
  begin(first: number, inArray: boolean) {
    this.inArray = inArray;
    this.escaped = false;
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      this.kind = NESTED;
      this.depth = 1;
    } else if (first === QUOTE) {
      this.kind = STRING;
      this.depth = 0;
    } else {
      this.kind = SCALAR;
    }
  }

  /** The object begun goes on inside a string: its first key, where a log file's prefix turned out not to match. */
  enterString() {
    this.kind = STRING;
  }

  /**
   * Follows the value from `at` and returns where it stopped, with the reason in `stop`; `more` may stop short of
   * the chunk's end, where the value goes from one kind of bytes to another. `lastByte` is the byte before the
   * chunk, to know whether it begins a line.
   */
  scan(chunk: Uint8Array, at: number, lastByte: number): number {
    this.stop = 'more';
    this.newlines = 0;
    if (this.kind === NESTED) return this.nested(chunk, at, lastByte);
    if (this.kind === STRING) return this.string(chunk, at);
    return this.scalar(chunk, at);
  }

  private nested(chunk: Uint8Array, at: number, lastByte: number): number {
    const length = chunk.length;
    for (let i = at; i < length; i++) {
      switch (chunk[i]) {
        case QUOTE: {
          // Most strings are short keys and values: skip them here rather than through a change of state. Any
          // string this loop cannot settle on its own (cut by the chunk's end, or broken) goes to string().
          let end = i + 1;
          for (; end < length; end++) {
            const byte = chunk[end];
            if (byte === QUOTE || byte === NEWLINE) break;
            if (byte === BACKSLASH) {
              if (end + 1 >= length || chunk[end + 1] === NEWLINE) break;
              end++;
            }
          }
          if (end >= length || chunk[end] !== QUOTE) {
            this.kind = STRING;
            return i + 1;
          }
          i = end;
          break;
        }
        case OPEN_BRACE:
        case OPEN_BRACKET:
          // Pretty-printers indent what is nested, so an object or array at the start of a line is a new value:
          // the current one was cut short (a truncated line of NDJSON). Else it would swallow what follows.
          if ((i > 0 ? chunk[i - 1] : lastByte) === NEWLINE) {
            this.stop = 'new-value';
            return i;
          }
          this.depth++;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (--this.depth === 0) {
            this.stop = 'end';
            return i + 1;
          }
          break;
        case NEWLINE:
          this.newlines++;
          break;
      }
    }
    return length;
  }

  private string(chunk: Uint8Array, at: number): number {
    const length = chunk.length;
    let i = at;
    if (this.escaped) {
      this.escaped = false;
      if (chunk[i] === NEWLINE) return this.newlineInString(i);
      i++;
    }
    for (; i < length; i++) {
      const byte = chunk[i];
      if (byte === QUOTE) {
        if (this.depth > 0) this.kind = NESTED;
        else this.stop = 'end';
        return i + 1;
      }
      if (byte === BACKSLASH) {
        if (i + 1 === length) {
          this.escaped = true;
          return length;
        }
        if (chunk[i + 1] === NEWLINE) return this.newlineInString(i + 1);
        i++;
      } else if (byte === NEWLINE) {
        return this.newlineInString(i);
      }
    }
    return length;
  }

  /** The value ends before the line break at `at`, which is left for the caller to count. */
  private newlineInString(at: number): number {
    this.stop = 'newline-in-string';
    return at;
  }

  /** Numbers, literals and junk: to the end of the line at the top level, to `,` or `]` in an array. */
  private scalar(chunk: Uint8Array, at: number): number {
    const length = chunk.length;
    if (!this.inArray) {
      const newline = chunk.indexOf(NEWLINE, at);
      if (newline === -1) return length;
      this.stop = 'end';
      return newline;
    }
    for (let i = at; i < length; i++) {
      const byte = chunk[i];
      if (byte === COMMA || byte === CLOSE_BRACKET || byte === NEWLINE) {
        this.stop = 'end';
        return i;
      }
    }
    return length;
  }
}
