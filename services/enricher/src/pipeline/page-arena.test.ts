import { describe, expect, it } from 'vitest';
import { PageArena } from './page-arena.js';

const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const write = (arena: PageArena, text: string) => arena.write([text], Buffer.byteLength(text));

describe('PageArena', () => {
  it('gives each text of a page bytes of its own, across chunks, in any script', () => {
    const arena = new PageArena(256);
    const texts = Array.from(
      { length: 40 },
      (_, index) => `{"n":${index},"name":"é😀 ${'x'.repeat(index % 9)}"}`,
    );
    const written = texts.map((text) => write(arena, text));
    expect(written.map(decode)).toEqual(texts);
  });

  it('writes a text given in pieces as the pieces joined', () => {
    const arena = new PageArena(256);
    const pieces = ['{"a":"é😀",', '"detail":{"b":"ü"}', '}'];
    const written = arena.write(pieces, Buffer.byteLength(pieces.join('')));
    expect(decode(written)).toBe(pieces.join(''));
    expect(decode(write(arena, 'next'))).toBe('next');
  });

  it('reuses the last page’s memory for the next page', () => {
    const arena = new PageArena(64);
    const first = write(arena, 'first page');
    arena.nextPage();
    const second = write(arena, 'next page!');
    expect(second?.buffer).toBe(first?.buffer);
    expect(decode(first)).toBe('next page!');
  });

  it('leaves a text too large to share a chunk to the caller', () => {
    const arena = new PageArena(64);
    expect(write(arena, 'x'.repeat(33))).toBeUndefined();
    expect(decode(write(arena, 'x'.repeat(32)))).toBe('x'.repeat(32));
  });

  it('keeps after a page only the chunks it used and one more', () => {
    const arena = new PageArena(64);
    const buffers = new Set<ArrayBufferLike>();
    for (let index = 0; index < 10; index++)
      buffers.add(write(arena, 'y'.repeat(16))?.buffer as ArrayBufferLike);
    expect(buffers.size).toBe(3);
    arena.nextPage();
    arena.nextPage();
    const after = new Set<ArrayBufferLike>();
    for (let index = 0; index < 10; index++)
      after.add(write(arena, 'z'.repeat(16))?.buffer as ArrayBufferLike);
    // Two chunks kept (the one used by the empty page, and one more): the third is new.
    expect([...after].filter((buffer) => buffers.has(buffer))).toHaveLength(2);
  });

  it('refuses a measure that does not fit the text', () => {
    const arena = new PageArena(64);
    expect(() => arena.write(['é'], 1)).toThrow(/measured at 1/);
    expect(() => arena.write(['a', 'b'], 3)).toThrow(/wrote 2 bytes of texts measured at 3/);
  });
});
