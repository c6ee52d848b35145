/**
 * Cuts a stream of JSON text into the raw bytes of its records, without parsing them: the caller parses each one
 * (JSON.parse is native and fast) and so can report every bad record on its own. The splitter only follows strings,
 * escapes and bracket depth. That is safe on UTF-8 bytes: JSON's structural characters are ASCII, and the bytes of
 * a multi-byte character are all >= 0x80, so they can never be mistaken for one.
 *
 * The shape is decided by the first document of the input:
 * - `{"Records":[` (a CloudTrail log file from S3): each element of the Records array is a value;
 * - `[`: each element of the array is a value;
 * - anything else: each top-level value is one (one document, concatenated or pretty-printed documents, NDJSON).
 * Later documents of the same kind (log files or arrays concatenated, as `cat` or a multi-member gzip gives them)
 * are split the same way; any other document is a value of its own.
 *
 * Broken input never stops it. Pretty-printers indent whatever is nested, so a line that starts with `{` or `[`
 * while a value is still open begins a new value, and the open one is yielded as cut short; a line break inside a
 * string (never valid JSON) ends its value the same way, and reading goes on at the next line that starts with `{`
 * or `[`. A value over `maxValueBytes` is followed to its end but not kept, and yielded as oversize. A value the
 * input cuts short, or an array it leaves open, is yielded as a fault too.
 *
 * Only the bytes of the value being read are kept between chunks, and no more than `maxValueBytes` of them.
 */

/** Why a value could not be cut out cleanly. The caller turns every kind but `oversize` into invalid JSON. */
export type SplitFaultKind = 'oversize' | 'unterminated' | 'newline-in-string' | 'unclosed-array';

export interface SplitFault {
  kind: SplitFaultKind;
  message: string;
}

export interface SplitValue {
  /** 1-based order of the value in the input, counting faulty ones. */
  index: number;
  /** 1-based line of the value's first byte. */
  line: number;
  /**
   * The value's bytes, empty when it is oversize. They may view the chunk given to `push`: use them before the
   * next `push`, or copy them.
   */
  bytes: Uint8Array;
  /** The value's length in the input, counted even when its bytes were not kept. */
  size: number;
  fault: SplitFault | null;
}

export type SplitMode = 'records' | 'array' | 'values';

export interface JsonValueSplitterOptions {
  /** A longer value is skipped and reported as oversize, so one hostile value cannot exhaust memory. */
  maxValueBytes?: number;
}

export const DEFAULT_MAX_VALUE_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const EMPTY = new Uint8Array(0);
const BYTE_ORDER_MARK = new Uint8Array([0xef, 0xbb, 0xbf]);
const RECORDS = new Uint8Array([0x52, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x73]); // "Records"

// Where the splitter is. The first four collect a value's bytes.
const VALUE = 0; // inside an object or array value, outside strings
const STRING = 1; // inside a string of a value
const SCALAR = 2; // a value that is neither object, array nor string: a number, a literal, or junk
const PREFIX = 3; // the first bytes of a top-level object that may turn out to be `{"Records":[`
const START = 4; // before the first byte: a byte order mark may come
const TOP = 5; // between top-level documents
const ARRAY = 6; // inside the array being split, between elements
const TAIL = 7; // after the Records array, inside the rest of its log file object
const RESYNC = 8; // after a broken value: skipping to a line that starts with `{` or `[`
const ENDED = 9;

// Steps of PREFIX: 0 after `{`; 1-7 inside the key after that many letters of Records; 8 expects the closing
// quote; 9 expects the colon; 10 expects the bracket. Whitespace may come at 0, 9 and 10.
const KEY_CLOSED = 8;

const isBlank = (byte: number | undefined) => byte === SPACE || byte === TAB || byte === CARRIAGE_RETURN;

export class JsonValueSplitter {
  private readonly maxValueBytes: number;
  private detected: SplitMode | null = null;
  private state = START;
  private line = 1;
  private count = 0;
  private chunk: Uint8Array = EMPTY;
  private out: SplitValue[] = [];
  /** The last byte of the previous chunk, to know whether a chunk begins a line. */
  private lastByte = NEWLINE;
  private bomBytes = 0;
  /** The current value (or the broken one being skipped) is an element of the array being split. */
  private inArray = false;
  /** That array is the Records array of a CloudTrail log file, whose object must be closed after it. */
  private arrayIsRecords = false;
  private valueStart = 0;
  private valueLine = 0;
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private depth = 0;
  private escaped = false;
  private prefixStep = 0;
  private tailDepth = 0;
  private tailInString = false;

  constructor(options: JsonValueSplitterOptions = {}) {
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  }

  /** The shape decided by the first document; null until it is known. */
  get mode(): SplitMode | null {
    return this.detected;
  }

  /** The bytes held between chunks: those of the value being read, never more than the limit. */
  get bufferedBytes(): number {
    let total = 0;
    for (const part of this.parts) total += part.length;
    return total;
  }

  /** Reads one more chunk and returns the values it completes, in input order. */
  push(chunk: Uint8Array): SplitValue[] {
    if (this.state === ENDED) throw new Error('JsonValueSplitter: push after end');
    this.chunk = chunk;
    this.valueStart = 0; // a value in progress goes on from the chunk's first byte
    const length = chunk.length;
    let at = 0;
    while (at < length) at = this.step(at);
    if (this.collecting()) this.keep(length);
    if (length > 0) this.lastByte = chunk[length - 1] as number;
    return this.flush();
  }

  /** The input is over: returns the value it cuts short, if any. */
  end(): SplitValue[] {
    if (this.state === ENDED) return [];
    this.chunk = EMPTY;
    this.valueStart = 0;
    const state = this.state;
    this.state = ENDED;
    if (state === START && this.bomBytes > 0) {
      this.begin(0, false);
      this.parts = [BYTE_ORDER_MARK.slice(0, this.bomBytes)];
      this.partsBytes = this.bomBytes;
      this.finish(0, null);
    } else if (state === VALUE || state === STRING || state === PREFIX) {
      this.finish(0, { kind: 'unterminated', message: 'the input ends inside this value' });
    } else if (state === SCALAR) {
      this.finish(0, null);
      if (this.inArray) this.unclosedArray();
    } else if (state === ARRAY) {
      this.unclosedArray();
    }
    return this.flush();
  }

  private step(at: number): number {
    switch (this.state) {
      case VALUE:
        return this.value(at);
      case STRING:
        return this.string(at);
      case SCALAR:
        return this.scalar(at);
      case PREFIX:
        return this.prefix(at);
      case START:
        return this.start(at);
      case TOP:
        return this.top(at);
      case ARRAY:
        return this.array(at);
      case TAIL:
        return this.tail(at);
      default:
        return this.resync(at);
    }
  }

  private value(at: number): number {
    const chunk = this.chunk;
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
            this.state = STRING;
            return i + 1;
          }
          i = end;
          break;
        }
        case OPEN_BRACE:
        case OPEN_BRACKET:
          // Pretty-printers indent what is nested, so an object or array at the start of a line is a new value:
          // the current one was cut short (a truncated line of NDJSON). Else it would swallow what follows.
          if (this.atLineStart(i)) {
            this.finish(i, {
              kind: 'unterminated',
              message: `the value is not closed before line ${this.line}, which starts a new one`,
            });
            return this.startAfterBreak(i);
          }
          this.depth++;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (--this.depth === 0) {
            this.finish(i + 1, null);
            this.state = this.inArray ? ARRAY : TOP;
            return i + 1;
          }
          break;
        case NEWLINE:
          this.line++;
          break;
      }
    }
    return length;
  }

  private string(at: number): number {
    const chunk = this.chunk;
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
        if (this.depth > 0) {
          this.state = VALUE;
        } else {
          this.finish(i + 1, null);
          this.state = this.inArray ? ARRAY : TOP;
        }
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

  /** A raw line break is never valid inside a JSON string: the value is broken, most likely cut short. */
  private newlineInString(at: number): number {
    this.finish(at, { kind: 'newline-in-string', message: `line ${this.line} ends inside a string` });
    this.line++;
    this.state = RESYNC;
    return at + 1;
  }

  /** Numbers, literals and junk: to the end of the line at the top level, to `,` or `]` in an array. */
  private scalar(at: number): number {
    const chunk = this.chunk;
    const length = chunk.length;
    if (!this.inArray) {
      const newline = chunk.indexOf(NEWLINE, at);
      if (newline === -1) return length;
      this.finish(newline, null);
      this.line++;
      this.state = TOP;
      return newline + 1;
    }
    for (let i = at; i < length; i++) {
      const byte = chunk[i];
      if (byte === COMMA || byte === CLOSE_BRACKET || byte === NEWLINE) {
        this.finish(i, null);
        this.state = ARRAY;
        return i;
      }
    }
    return length;
  }

  /** Matches `{ "Records" : [` one byte at a time, as it may be cut anywhere by chunk boundaries. */
  private prefix(at: number): number {
    const chunk = this.chunk;
    const length = chunk.length;
    for (let i = at; i < length; i++) {
      const byte = chunk[i];
      const step = this.prefixStep;
      if (step === 0 || step > KEY_CLOSED) {
        if (byte === NEWLINE) {
          this.line++;
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
        this.prefixStep++;
      } else if (step === KEY_CLOSED + 2 && byte === OPEN_BRACKET) {
        this.detected = 'records';
        this.parts = [];
        this.partsBytes = 0;
        this.inArray = true;
        this.arrayIsRecords = true;
        this.state = ARRAY;
        return i + 1;
      } else {
        // An ordinary object: carry on as a value from this byte, inside the key if the mismatch is there.
        this.detected ??= 'values';
        this.state = step > 0 && step <= KEY_CLOSED ? STRING : VALUE;
        return i;
      }
    }
    return length;
  }

  private start(at: number): number {
    const byte = this.chunk[at];
    if (byte === BYTE_ORDER_MARK[this.bomBytes]) {
      if (++this.bomBytes === BYTE_ORDER_MARK.length) this.state = TOP;
      return at + 1;
    }
    this.state = TOP;
    if (this.bomBytes === 0) return at;
    // The bytes held back were not a byte order mark after all: they begin a junk value.
    this.detected = 'values';
    this.begin(at, false);
    this.parts = [BYTE_ORDER_MARK.slice(0, this.bomBytes)];
    this.partsBytes = this.bomBytes;
    this.state = SCALAR;
    return at;
  }

  private top(at: number): number {
    const chunk = this.chunk;
    const length = chunk.length;
    for (let i = at; i < length; i++) {
      const byte = chunk[i];
      if (byte === NEWLINE) this.line++;
      else if (!isBlank(byte) && byte !== COMMA) return this.startDocument(i);
    }
    return length;
  }

  private startDocument(at: number): number {
    const byte = this.chunk[at];
    if (byte === OPEN_BRACKET && (this.detected === null || this.detected === 'array')) {
      this.detected = 'array';
      this.inArray = true;
      this.arrayIsRecords = false;
      this.state = ARRAY;
      return at + 1;
    }
    if (byte !== OPEN_BRACE) this.detected ??= 'values';
    return this.startValue(at, false);
  }

  private array(at: number): number {
    const chunk = this.chunk;
    const length = chunk.length;
    for (let i = at; i < length; i++) {
      const byte = chunk[i];
      if (byte === NEWLINE) this.line++;
      else if (byte === CLOSE_BRACKET) return this.closeArray(i);
      // Separators are not checked: `[1 2]` or `[1,,2]` give the two values, and JSON.parse judges each one.
      else if (!isBlank(byte) && byte !== COMMA) return this.startValue(i, true);
    }
    return length;
  }

  private closeArray(at: number): number {
    this.inArray = false;
    if (this.arrayIsRecords) {
      this.state = TAIL;
      this.tailDepth = 1;
      this.tailInString = false;
      this.escaped = false;
    } else {
      this.state = TOP;
    }
    return at + 1;
  }

  /** Skips whatever follows the Records array up to the end of its object; a log file has nothing there. */
  private tail(at: number): number {
    const chunk = this.chunk;
    const length = chunk.length;
    for (let i = at; i < length; i++) {
      const byte = chunk[i];
      if (byte === NEWLINE) this.line++;
      if (this.tailInString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.tailInString = false;
      } else if (byte === QUOTE) {
        this.tailInString = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (this.atLineStart(i)) {
          this.state = TOP;
          return i;
        }
        this.tailDepth++;
      } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --this.tailDepth === 0) {
        this.state = TOP;
        return i + 1;
      }
    }
    return length;
  }

  /** After a broken value, the next value is taken to be the next line that starts with `{` or `[`. */
  private resync(at: number): number {
    const chunk = this.chunk;
    const length = chunk.length;
    let i = at;
    while (i < length) {
      const byte = chunk[i];
      if (byte === NEWLINE) {
        this.line++;
        i++;
        continue;
      }
      if (this.atLineStart(i)) {
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) return this.startAfterBreak(i);
        if (byte === CLOSE_BRACKET && this.inArray) return this.closeArray(i);
      }
      const newline = chunk.indexOf(NEWLINE, i);
      if (newline === -1) return length;
      i = newline;
    }
    return length;
  }

  private startAfterBreak(at: number): number {
    return this.inArray ? this.startValue(at, true) : this.startDocument(at);
  }

  private startValue(at: number, inArray: boolean): number {
    const byte = this.chunk[at];
    this.begin(at, inArray);
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      this.depth = 1;
      const mayBeLogFile =
        byte === OPEN_BRACE && !inArray && (this.detected === null || this.detected === 'records');
      this.state = mayBeLogFile ? PREFIX : VALUE;
      this.prefixStep = 0;
    } else if (byte === QUOTE) {
      this.depth = 0;
      this.escaped = false;
      this.state = STRING;
    } else {
      this.state = SCALAR;
    }
    return at + 1;
  }

  private begin(at: number, inArray: boolean) {
    this.inArray = inArray;
    this.valueStart = at;
    this.valueLine = this.line;
    this.parts = [];
    this.partsBytes = 0;
    this.escaped = false;
  }

  private collecting(): boolean {
    return this.state <= PREFIX;
  }

  /** At the end of a chunk: keeps the current value's bytes so far, unless it is already over the limit. */
  private keep(end: number) {
    const length = end - this.valueStart;
    if (length === 0) return;
    const total = this.partsBytes + length;
    if (total <= this.maxValueBytes) this.parts.push(this.chunk.slice(this.valueStart, end));
    else this.parts = [];
    this.partsBytes = total;
  }

  private finish(end: number, fault: SplitFault | null) {
    const size = this.partsBytes + end - this.valueStart;
    let bytes: Uint8Array;
    if (size > this.maxValueBytes) {
      bytes = EMPTY;
      fault = {
        kind: 'oversize',
        message: `the value is ${size} bytes${fault ? ' and broken' : ''}, the limit is ${this.maxValueBytes}`,
      };
    } else if (this.parts.length === 0) {
      bytes = this.chunk.subarray(this.valueStart, end);
    } else {
      bytes = new Uint8Array(size);
      let offset = 0;
      for (const part of this.parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
      bytes.set(this.chunk.subarray(this.valueStart, end), offset);
    }
    this.parts = [];
    this.partsBytes = 0;
    this.out.push({ index: ++this.count, line: this.valueLine, bytes, size, fault });
  }

  private unclosedArray() {
    this.out.push({
      index: ++this.count,
      line: this.line,
      bytes: EMPTY,
      size: 0,
      fault: {
        kind: 'unclosed-array',
        message: 'the input ends before the array is closed: records after this point may be missing',
      },
    });
  }

  private atLineStart(at: number): boolean {
    return (at > 0 ? this.chunk[at - 1] : this.lastByte) === NEWLINE;
  }

  private flush(): SplitValue[] {
    const out = this.out;
    this.out = [];
    this.chunk = EMPTY;
    return out;
  }
}
