/**
 * The object a CloudTrail log file from S3 wraps its records in: `{"Records":[` before them, and after the array
 * whatever else the object holds (nothing, in a real log file) up to its `}`. Both are followed one byte at a time,
 * as chunk boundaries may cut them anywhere. Each reports where it stopped and why, and the line breaks it passed.
 */
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  isBlank,
  NEWLINE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './json-bytes.js';

const RECORDS = new Uint8Array([0x52, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x73]); // "Records"

// Steps of the prefix after its `{`: 0 expects the opening quote; 1-7 are inside the key after that many letters
// of Records; 8 expects the closing quote; 9 the colon; 10 the bracket. Whitespace may come at 0, 9 and 10.
const KEY_CLOSED = 8;

/** `partial`: the chunk ended with the prefix matched so far. `mismatch`: the byte where the scan stopped is not part of it. */
export type PrefixMatch = 'partial' | 'matched' | 'mismatch';

/** Matches `{ "Records" : [` from the byte after its `{`. */
export class RecordsPrefix {
  result: PrefixMatch = 'partial';
  /** The line breaks the last call passed. */
  newlines = 0;
  private step = 0;

  restart() {
    this.step = 0;
  }

  /** After a mismatch: whether it came inside the key's quotes, so that the object goes on inside a string. */
  get inKey(): boolean {
    return this.step > 0 && this.step <= KEY_CLOSED;
  }

  /** Matches from `at`; returns where it stopped: after the `[`, or at the byte that does not match. */
  match(chunk: Uint8Array, at: number): number {
    this.newlines = 0;
    const length = chunk.length;
    for (let i = at; i < length; i++) {
      const byte = chunk[i] as number;
      const step = this.step;
      if (step === 0 || step > KEY_CLOSED) {
        if (byte === NEWLINE) {
          this.newlines++;
          continue;
        }
        if (isBlank(byte)) continue;
      }
      if (
        (step === 0 && byte === QUOTE) ||
        (step > 0 && step < KEY_CLOSED && byte === RECORDS[step - 1]) ||
        (step === KEY_CLOSED && byte === QUOTE) ||
        (step === KEY_CLOSED + 1 && byte === COLON)
      ) {
        this.step++;
      } else if (step === KEY_CLOSED + 2 && byte === OPEN_BRACKET) {
        this.result = 'matched';
        return i + 1;
      } else {
        this.result = 'mismatch';
        return i;
      }
    }
    this.result = 'partial';
    return length;
  }
}

/** `inside`: the chunk ended inside the object. `new-document`: a line starting with `{` or `[` cut it short. */
export type TailEnd = 'inside' | 'closed' | 'new-document';

/** Follows the rest of the log file object after its Records array, up to the `}` that closes it. */
export class RecordsTail {
  result: TailEnd = 'inside';
  /** The line breaks the last call passed. */
  newlines = 0;
  private depth = 1;
  private inString = false;
  private escaped = false;

  restart() {
    this.depth = 1;
    this.inString = false;
    this.escaped = false;
  }

  /**
   * Skips from `at`; returns where it stopped: after the closing `}`, or at the `{` or `[` that starts a line and
   * so a new document. `lastByte` is the byte before the chunk, to know whether it begins a line.
   */
  skip(chunk: Uint8Array, at: number, lastByte: number): number {
    this.newlines = 0;
    const length = chunk.length;
    for (let i = at; i < length; i++) {
      const byte = chunk[i];
      if (byte === NEWLINE) this.newlines++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if ((i > 0 ? chunk[i - 1] : lastByte) === NEWLINE) {
          this.result = 'new-document';
          return i;
        }
        this.depth++;
      } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --this.depth === 0) {
        this.result = 'closed';
        return i + 1;
      }
    }
    this.result = 'inside';
    return length;
  }
}
