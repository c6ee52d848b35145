/**
 * The bytes of the value being read that earlier chunks held. Within one chunk a value is only a span of it, so a
 * value that fits in its chunk is never copied; only when a chunk ends before its value does is the span copied
 * here. Once the value passes the limit nothing more is kept, but its length is still counted, to report its size.
 */
export class ValueBuffer {
  private parts: Uint8Array[] = [];
  /** The length of the value in earlier chunks, counted even when its bytes were dropped. */
  private earlierBytes = 0;

  constructor(readonly maxBytes: number) {}

  /** The bytes held: never more than the limit. */
  get heldBytes(): number {
    let total = 0;
    for (const part of this.parts) total += part.length;
    return total;
  }

  clear() {
    this.parts = [];
    this.earlierBytes = 0;
  }

  /** Starts the value with bytes read before it was known to be one (a byte order mark that was not one). */
  hold(bytes: Uint8Array) {
    this.parts = [bytes];
    this.earlierBytes = bytes.length;
  }

  /** The chunk ends before the value does: copies its bytes `start` to `end`, unless they take it over the limit. */
  keep(chunk: Uint8Array, start: number, end: number) {
    const length = end - start;
    if (length === 0) return;
    const total = this.earlierBytes + length;
    if (total <= this.maxBytes) this.parts.push(chunk.slice(start, end));
    else this.parts = [];
    this.earlierBytes = total;
  }

  /** The value's whole length if it ends at `end` of the chunk it goes on in from `start`. */
  sizeTo(start: number, end: number): number {
    return this.earlierBytes + end - start;
  }

  /**
   * The value's bytes, ending with `start` to `end` of the current chunk (a view of it when nothing was held), or
   * null when they are over the limit. The buffer is left empty for the next value.
   */
  take(chunk: Uint8Array, start: number, end: number): Uint8Array | null {
    const size = this.earlierBytes + end - start;
    let bytes: Uint8Array | null;
    if (size > this.maxBytes) {
      bytes = null;
    } else if (this.parts.length === 0) {
      bytes = chunk.subarray(start, end);
    } else {
      bytes = new Uint8Array(size);
      let offset = 0;
      for (const part of this.parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
      bytes.set(chunk.subarray(start, end), offset);
    }
    this.clear();
    return bytes;
  }
}
