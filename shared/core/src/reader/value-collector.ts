import { EMPTY } from './json-bytes.js';
import type { SplitFault, SplitValue } from './split-value.js';
import { ValueBuffer } from './value-buffer.js';

/**
 * Turns the spans the splitter marks into values: numbers them in input order, gathers their bytes across chunks
 * under the size limit, and reports a value over it as oversize. The values wait here until the splitter hands
 * them out at the end of each chunk.
 */
export class ValueCollector {
  private readonly buffer: ValueBuffer;
  private values: SplitValue[] = [];
  private count = 0;
  /** Where the current value starts in the current chunk: 0 once it goes on from an earlier one. */
  private start = 0;
  private line = 0;

  constructor(maxValueBytes: number) {
    this.buffer = new ValueBuffer(maxValueBytes);
  }

  /** The bytes held between chunks: those of the value being read, never more than the limit. */
  get heldBytes(): number {
    return this.buffer.heldBytes;
  }

  /** A value starts at `at` of the current chunk, on `line`, after the bytes `held` back before it, if any. */
  begin(at: number, line: number, held?: Uint8Array) {
    this.start = at;
    this.line = line;
    if (held) this.buffer.hold(held);
    else this.buffer.clear();
  }

  /** The bytes since `begin` were not a value after all (the prefix of a log file): lets them go. */
  drop() {
    this.buffer.clear();
  }

  /** A new chunk comes: the value being read, if any, goes on from its first byte. */
  nextChunk() {
    this.start = 0;
  }

  /** The chunk ends inside the value: keeps its bytes from the chunk, as the chunk may be reused. */
  keep(chunk: Uint8Array) {
    this.buffer.keep(chunk, this.start, chunk.length);
  }

  /** The value ends at `end` of the chunk; `fault` says why it is broken, if it is. */
  finish(chunk: Uint8Array, end: number, fault: SplitFault | null) {
    const buffer = this.buffer;
    const size = buffer.sizeTo(this.start, end);
    let bytes = buffer.take(chunk, this.start, end);
    if (bytes === null) {
      bytes = EMPTY;
      fault = {
        kind: 'oversize',
        message: `the value is ${size} bytes${fault ? ' and broken' : ''}, the limit is ${buffer.maxBytes}`,
      };
    }
    this.values.push({ index: ++this.count, line: this.line, bytes, size, fault });
  }

  /** The input ended inside an array: a fault of its own, as the records that should follow are missing. */
  unclosedArray(line: number) {
    this.values.push({
      index: ++this.count,
      line,
      bytes: EMPTY,
      size: 0,
      fault: {
        kind: 'unclosed-array',
        message: 'the input ends before the array is closed: records after this point may be missing',
      },
    });
  }

  /** The values finished since the last call, in input order. */
  take(): SplitValue[] {
    const values = this.values;
    this.values = [];
    return values;
  }
}
