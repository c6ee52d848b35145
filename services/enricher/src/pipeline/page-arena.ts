/**
 * Texts larger than this share of a chunk stay with the caller: a few rare giants must not set the high-water. A page's
 * event index, 500 entries of about 200 bytes, still fits.
 */
const LARGEST_SHARE = 2;

/**
 * The bytes of one page's messages, written into buffers the shard keeps from page to page.
 *
 * A page's messages live from its processing until its transaction commits, long enough to outlive two young-
 * generation collections, so V8 promotes each one to the old generation, where only a full collection frees it.
 * The events' text was 43% of the heap the enricher promoted in a drain (sampling heap profile), garbage that waited
 * for those collections and raised the peak resident memory. Written here instead, a page reuses the previous page's
 * memory: nothing to promote, nothing to collect.
 *
 * The bytes of a page may be overwritten as soon as the next page is written, so `nextPage` must only be called once
 * nothing can read them any more: after the page's commit has returned. A shard whose commit failed or was abandoned
 * takes a new arena, and leaves the old one to whatever may still hold it.
 */
export class PageArena {
  readonly #chunks: Buffer[] = [];
  #chunk = 0;
  #offset = 0;

  constructor(private readonly chunkBytes = 256 * 1024) {}

  /**
   * Starts a page, giving up the bytes of the last one. Keeps the chunks that page used and one more, so a shard that
   * went quiet after a backlog holds little.
   */
  nextPage(): void {
    this.#chunks.length = Math.min(this.#chunks.length, this.#chunk + 2);
    this.#chunk = 0;
    this.#offset = 0;
  }

  /**
   * `texts` as UTF-8 in the arena, one after the other, `bytes` long in all (their `Buffer.byteLength`, which the
   * caller has measured); undefined when they are too large to share a chunk, and the caller keeps them as they are.
   */
  write(texts: readonly string[], bytes: number): Uint8Array | undefined {
    if (bytes > this.chunkBytes / LARGEST_SHARE) return undefined;
    let chunk = this.#chunks[this.#chunk];
    if (chunk === undefined || chunk.length - this.#offset < bytes) {
      if (chunk !== undefined) this.#chunk += 1;
      this.#offset = 0;
      chunk = this.#chunks[this.#chunk] ?? this.#addChunk();
    }
    const start = this.#offset;
    const end = start + bytes;
    let at = start;
    for (const text of texts) at += chunk.write(text, at, end - at, 'utf8');
    if (at !== end) throw new Error(`wrote ${at - start} bytes of texts measured at ${bytes}`);
    this.#offset = end;
    return chunk.subarray(start, end);
  }

  #addChunk(): Buffer {
    // Not from Buffer's shared pool: a chunk lives as long as the shard.
    const chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.#chunks.push(chunk);
    return chunk;
  }
}
