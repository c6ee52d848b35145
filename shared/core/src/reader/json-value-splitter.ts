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
 * Later log files and arrays are split the same way, in any mix (`cat` of log files and exported arrays, a
 * multi-member gzip); in an input of top-level values, any other document is a value of its own.
 *
 * Broken input never stops it. Pretty-printers indent whatever is nested, so a line that starts with `{` or `[`
 * while a value is still open begins a new value, and the open one is yielded as cut short; a line break inside a
 * string (never valid JSON) ends its value the same way, and reading goes on at the next line that starts with `{`
 * or `[`. A value over `maxValueBytes` is followed to its end but not kept, and yielded as oversize. A value the
 * input cuts short, or an array it leaves open, is yielded as a fault too.
 *
 * Only the bytes of the value being read are kept between chunks, and no more than `maxValueBytes` of them.
 */

import {
  BYTE_ORDER_MARK,
  CLOSE_BRACKET,
  COMMA,
  EMPTY,
  isBlank,
  NEWLINE,
  OPEN_BRACE,
  OPEN_BRACKET,
} from './json-bytes.js';
import { RecordsPrefix, RecordsTail } from './records-wrapper.js';
import {
  DEFAULT_MAX_VALUE_BYTES,
  type JsonValueSplitterOptions,
  type SplitFault,
  type SplitMode,
  type SplitValue,
} from './split-value.js';
import { ValueCollector } from './value-collector.js';
import { ValueScanner } from './value-scanner.js';

// Where the splitter is. The first two collect a value's bytes.
const VALUE = 0; // inside a value, which the scanner follows
const PREFIX = 1; // the first bytes of a top-level object that may turn out to be `{"Records":[`
const START = 2; // before the first byte: a byte order mark may come
const TOP = 3; // between top-level documents
const ARRAY = 4; // inside the array being split, between elements
const TAIL = 5; // after the Records array, inside the rest of its log file object
const RESYNC = 6; // after a broken value: skipping to a line that starts with `{` or `[`
const ENDED = 7;

export class JsonValueSplitter {
  private readonly values: ValueCollector;
  private readonly scanner = new ValueScanner();
  private readonly recordsPrefix = new RecordsPrefix();
  private readonly recordsTail = new RecordsTail();
  private detected: SplitMode | null = null;
  private state = START;
  private line = 1;
  private chunk: Uint8Array = EMPTY;
  /** The last byte of the previous chunk, to know whether a chunk begins a line. */
  private lastByte = NEWLINE;
  private bomBytes = 0;
  /** The current value (or the broken one being skipped) is an element of the array being split. */
  private inArray = false;
  /** That array is the Records array of a CloudTrail log file, whose object must be closed after it. */
  private arrayIsRecords = false;

  constructor(options: JsonValueSplitterOptions = {}) {
    this.values = new ValueCollector(options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES);
  }

  /** The shape decided by the first document; null until it is known. */
  get mode(): SplitMode | null {
    return this.detected;
  }

  /** The bytes held between chunks: those of the value being read, never more than the limit. */
  get bufferedBytes(): number {
    return this.values.heldBytes;
  }

  /** Reads one more chunk and returns the values it completes, in input order. */
  push(chunk: Uint8Array): SplitValue[] {
    if (this.state === ENDED) throw new Error('JsonValueSplitter: push after end');
    this.chunk = chunk;
    this.values.nextChunk();
    const length = chunk.length;
    let at = 0;
    while (at < length) at = this.step(at);
    if (this.state <= PREFIX) this.values.keep(chunk); // a value goes on into the next chunk
    if (length > 0) this.lastByte = chunk[length - 1] as number;
    return this.flush();
  }

  /** The input is over: returns the value it cuts short, if any. */
  end(): SplitValue[] {
    if (this.state === ENDED) return [];
    this.chunk = EMPTY;
    this.values.nextChunk();
    const state = this.state;
    this.state = ENDED;
    if (state === START && this.bomBytes > 0) {
      this.values.begin(0, this.line, BYTE_ORDER_MARK.slice(0, this.bomBytes));
      this.finish(0, null);
    } else if (state === VALUE && this.scanner.inScalar) {
      this.finish(0, null);
      if (this.inArray) this.values.unclosedArray(this.line);
    } else if (state === VALUE || state === PREFIX) {
      this.finish(0, { kind: 'unterminated', message: 'the input ends inside this value' });
    } else if (state === ARRAY) {
      this.values.unclosedArray(this.line);
    }
    return this.flush();
  }

  private step(at: number): number {
    switch (this.state) {
      case VALUE:
        return this.value(at);
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

  /** Inside a value, which the scanner follows: what stops it decides where reading goes on. */
  private value(at: number): number {
    const scanner = this.scanner;
    const end = scanner.scan(this.chunk, at, this.lastByte);
    this.line += scanner.newlines;
    switch (scanner.stop) {
      case 'more':
        return end;
      case 'end':
        this.finish(end, null);
        this.state = this.inArray ? ARRAY : TOP;
        return end;
      case 'new-value':
        this.finish(end, {
          kind: 'unterminated',
          message: `the value is not closed before line ${this.line}, which starts a new one`,
        });
        return this.startAfterBreak(end);
      default:
        // A raw line break inside a string: the value is broken, most likely cut short. RESYNC counts the line break.
        this.finish(end, { kind: 'newline-in-string', message: `line ${this.line} ends inside a string` });
        this.state = RESYNC;
        return end;
    }
  }

  /** After a top-level `{`, while it may still turn out to begin `{"Records":[`. */
  private prefix(at: number): number {
    const prefix = this.recordsPrefix;
    const end = prefix.match(this.chunk, at);
    this.line += prefix.newlines;
    if (prefix.result === 'matched') {
      this.detected ??= 'records';
      this.values.drop();
      this.inArray = true;
      this.arrayIsRecords = true;
      this.state = ARRAY;
    } else if (prefix.result === 'mismatch') {
      // An ordinary object: carry on as a value from this byte, inside the key if the mismatch is there.
      this.detected ??= 'values';
      if (prefix.inKey) this.scanner.enterString();
      this.state = VALUE;
    }
    return end;
  }

  private start(at: number): number {
    const byte = this.chunk[at];
    if (byte === BYTE_ORDER_MARK[this.bomBytes]) {
      if (++this.bomBytes === BYTE_ORDER_MARK.length) this.state = TOP;
      return at + 1;
    }
    this.state = TOP;
    if (this.bomBytes === 0) return at;
    // The bytes held back were not a byte order mark after all: they begin a junk value, a scalar whatever follows.
    this.detected = 'values';
    this.values.begin(at, this.line, BYTE_ORDER_MARK.slice(0, this.bomBytes));
    this.scanner.begin(BYTE_ORDER_MARK[0] as number, false);
    this.state = VALUE;
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
    if (byte === OPEN_BRACKET && this.detected !== 'values') {
      this.detected ??= 'array';
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
      this.recordsTail.restart();
    } else {
      this.state = TOP;
    }
    return at + 1;
  }

  /** Skips whatever follows the Records array up to the end of its object; a log file has nothing there. */
  private tail(at: number): number {
    const tail = this.recordsTail;
    const end = tail.skip(this.chunk, at, this.lastByte);
    this.line += tail.newlines;
    if (tail.result !== 'inside') this.state = TOP;
    return end;
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
      if ((i > 0 ? chunk[i - 1] : this.lastByte) === NEWLINE) {
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
    const byte = this.chunk[at] as number;
    this.inArray = inArray;
    this.values.begin(at, this.line);
    this.scanner.begin(byte, inArray);
    const mayBeLogFile = byte === OPEN_BRACE && !inArray && this.detected !== 'values';
    if (mayBeLogFile) this.recordsPrefix.restart();
    this.state = mayBeLogFile ? PREFIX : VALUE;
    return at + 1;
  }

  private finish(end: number, fault: SplitFault | null) {
    this.values.finish(this.chunk, end, fault);
  }

  private flush(): SplitValue[] {
    this.chunk = EMPTY;
    return this.values.take();
  }
}
