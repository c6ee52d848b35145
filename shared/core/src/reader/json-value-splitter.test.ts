import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonValueSplitter } from './json-value-splitter.js';
import type { JsonValueSplitterOptions, SplitMode } from './split-value.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytesOf = (input: string | Uint8Array) => (typeof input === 'string' ? encoder.encode(input) : input);

interface Seen {
  text: string;
  line: number;
  fault: string | null;
}

/** Splits `bytes` cut at `cuts` (ascending offsets), checking the invariants every value must hold. */
function split(bytes: Uint8Array, cuts: readonly number[], options?: JsonValueSplitterOptions) {
  const splitter = new JsonValueSplitter(options);
  const seen: Seen[] = [];
  const take = (values: ReturnType<JsonValueSplitter['push']>) => {
    for (const value of values) {
      expect(value.index).toBe(seen.length + 1);
      if (value.fault?.kind !== 'oversize') expect(value.size).toBe(value.bytes.length);
      // Decoded at once: the bytes may view the chunk, which the next push may replace.
      seen.push({ text: decoder.decode(value.bytes), line: value.line, fault: value.fault?.kind ?? null });
    }
  };
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    take(splitter.push(bytes.slice(from, cut)));
    from = cut;
  }
  take(splitter.end());
  return { seen, mode: splitter.mode };
}

/** Deterministic pseudo-random cut points, so a failure can be replayed. */
function randomCuts(length: number, seed: number): number[] {
  let state = seed;
  const cuts: number[] = [];
  for (let at = 0; ; ) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    at += 1 + (state % 7);
    if (at >= length) return cuts;
    cuts.push(at);
  }
}

/**
 * The values of `input` read whole, checked against `expected`, and then read again cut in every way: one byte at a
 * time, in two pieces at every offset, and in random pieces. Every reading must give the same values.
 */
function expectSplit(
  input: string | Uint8Array,
  expected: [text: string, line: number, fault?: string][],
  options?: JsonValueSplitterOptions & { mode?: SplitMode | null },
) {
  const bytes = bytesOf(input);
  const whole = split(bytes, [], options);
  expect(whole.seen).toEqual(expected.map(([text, line, fault]) => ({ text, line, fault: fault ?? null })));
  if (options?.mode !== undefined) expect(whole.mode).toBe(options.mode);
  const everyByte = Array.from({ length: Math.max(0, bytes.length - 1) }, (_, index) => index + 1);
  expect(split(bytes, everyByte, options)).toEqual(whole);
  for (const cut of everyByte) expect(split(bytes, [cut], options)).toEqual(whole);
  for (let seed = 1; seed <= 20; seed++)
    expect(split(bytes, randomCuts(bytes.length, seed), options)).toEqual(whole);
}

describe('JsonValueSplitter', () => {
  describe('shapes', () => {
    it('yields the elements of a CloudTrail log file', () => {
      expectSplit(
        '{"Records":[{"a":1},{"b":[2,{"c":3}]}]}',
        [
          ['{"a":1}', 1],
          ['{"b":[2,{"c":3}]}', 1],
        ],
        {
          mode: 'records',
        },
      );
    });

    it('allows whitespace between the tokens of the log file prefix, and after a byte order mark', () => {
      expectSplit('\uFEFF{ \n "Records"\t:\r\n [\n  {"a":1} ,\n  {"b":2}\n ]\n}\n', [
        ['{"a":1}', 4],
        ['{"b":2}', 5],
      ]);
    });

    it('yields an element of a log file even when it is not an object', () => {
      expectSplit('{"Records":[1, "x]", null, [1,2], {}]}', [
        ['1', 1],
        ['"x]"', 1],
        ['null', 1],
        ['[1,2]', 1],
        ['{}', 1],
      ]);
    });

    it('reads log files one after another, as cat and multi-member gzip give them', () => {
      expectSplit('{"Records":[{"a":1}]}{"Records":[]}\n{"Records":[{"b":2}]}', [
        ['{"a":1}', 1],
        ['{"b":2}', 2],
      ]);
    });

    it('skips what follows the Records array inside its object', () => {
      expectSplit('{"Records":[{"a":1}], "x": {"y": "]}\\"{"}}\n{"Records":[{"b":2}]}', [
        ['{"a":1}', 1],
        ['{"b":2}', 2],
      ]);
    });

    it('yields a later document that is neither a log file nor an array whole, and splits arrays in any mix', () => {
      expectSplit('{"Records":[{"a":1}]}\n{"b":2}\n[3]{"Records":[{"c":4}]}[{"d":5}]', [
        ['{"a":1}', 1],
        ['{"b":2}', 2],
        ['3', 3],
        ['{"c":4}', 3],
        ['{"d":5}', 3],
      ]);
    });

    it('yields the elements of a top-level array, and of arrays that follow it', () => {
      expectSplit(
        '[\n  {"a": 1},\n  {\n    "b": [2]\n  },\n  7, "s", true\n]\n[{"c":3}]',
        [
          ['{"a": 1}', 2],
          ['{\n    "b": [2]\n  }', 3],
          ['7', 6],
          ['"s"', 6],
          ['true', 6],
          ['{"c":3}', 8],
        ],
        { mode: 'array' },
      );
    });

    it('yields each line of NDJSON', () => {
      expectSplit(
        '{"a":1}\n\n{"b":2}\r\n{"c":3}',
        [
          ['{"a":1}', 1],
          ['{"b":2}', 3],
          ['{"c":3}', 4],
        ],
        {
          mode: 'values',
        },
      );
    });

    it('yields concatenated and pretty-printed documents', () => {
      expectSplit('{\n  "a": {\n    "b": 1\n  }\n}\n{"c":2}{"d":3} {"e":4},{"f":5}', [
        ['{\n  "a": {\n    "b": 1\n  }\n}', 1],
        ['{"c":2}', 6],
        ['{"d":3}', 6],
        ['{"e":4}', 6],
        ['{"f":5}', 6],
      ]);
    });

    it('yields top-level scalars, an array among objects, and an object that only looks like a log file', () => {
      expectSplit('{"Recordsx":[1]}\n42\n"text"\nnull\n[1]\n{"Records":{}}\n', [
        ['{"Recordsx":[1]}', 1],
        ['42', 2],
        ['"text"', 3],
        ['null', 4],
        ['[1]', 5],
        ['{"Records":{}}', 6],
      ]);
    });

    it('yields nothing for empty or blank input', () => {
      expectSplit('', []);
      expectSplit(' \n\t\r\n', []);
      expectSplit('\uFEFF', []);
      expectSplit('{"Records":[]}', [], { mode: 'records' });
      expectSplit('[]', [], { mode: 'array' });
    });
  });

  describe('strings', () => {
    it('ignores brackets, braces, escaped quotes and escaped backslashes inside strings', () => {
      const value = '{"a":"}]{[","b":"say \\"hi\\" }","c":"\\\\","d":"\\\\\\"]","e":["\\"",{"f":"{"}]}';
      expect(JSON.parse(value)).toBeTypeOf('object');
      expectSplit(`${value}\n${value}`, [
        [value, 1],
        [value, 2],
      ]);
      expectSplit(`{"Records":[${value},${value}]}`, [
        [value, 1],
        [value, 1],
      ]);
    });

    it('keeps multi-byte characters whole whatever the chunk boundaries', () => {
      const value = '{"name":"café ☕ 😀 ]}","\u2028":"\\u005d"}';
      expectSplit(`[${value},${value}]`, [
        [value, 1],
        [value, 1],
      ]);
    });

    it('finds the Records prefix only as the key, not inside a string', () => {
      expectSplit('{"x":"{\\"Records\\":[1]}"}\n{"Records":[{"a":1}]}', [
        ['{"x":"{\\"Records\\":[1]}"}', 1],
        ['{"Records":[{"a":1}]}', 2],
      ]);
    });
  });

  describe('broken input', () => {
    it('ends a value at a line break inside a string and goes on at the next line that starts with {', () => {
      expectSplit('{"a":"cut\n  more "junk"\n{"b":1}\n{"c":"x\\\n{"d":2}\n', [
        ['{"a":"cut', 1, 'newline-in-string'],
        ['{"b":1}', 3],
        ['{"c":"x\\', 4, 'newline-in-string'],
        ['{"d":2}', 5],
      ]);
    });

    it('ends a value cut short outside a string where a line starts with { or [', () => {
      expectSplit('{"a":{"b":[1,\n{"c":2}\n{"d":\n[3]\n', [
        ['{"a":{"b":[1,\n', 1, 'unterminated'],
        ['{"c":2}', 2],
        ['{"d":\n', 3, 'unterminated'],
        ['[3]', 4],
      ]);
    });

    it('goes on at a line that starts with [ after a broken string', () => {
      expectSplit('{"a":"cut\n[{"b":1}]\n', [
        ['{"a":"cut', 1, 'newline-in-string'],
        ['[{"b":1}]', 2],
      ]);
    });

    it('recovers inside an array and still sees its end', () => {
      expectSplit('[\n{"a":"x\n{"b":1},\n{"c":[\n{"d":2}\n]\n{"e":3}', [
        ['{"a":"x', 2, 'newline-in-string'],
        ['{"b":1}', 3],
        ['{"c":[\n', 4, 'unterminated'],
        ['{"d":2}', 5],
        ['{"e":3}', 7],
      ]);
    });

    it('yields a value cut short by the end of input as unterminated', () => {
      expectSplit('{"a":1}\n{"b":[', [
        ['{"a":1}', 1],
        ['{"b":[', 2, 'unterminated'],
      ]);
      expectSplit('{"a":"x', [['{"a":"x', 1, 'unterminated']]);
      expectSplit('{"Rec', [['{"Rec', 1, 'unterminated']]);
    });

    it('reports an array the input leaves open, as records may be missing', () => {
      expectSplit('{"Records":[{"a":1},', [
        ['{"a":1}', 1],
        ['', 1, 'unclosed-array'],
      ]);
      expectSplit('[1, 2', [
        ['1', 1],
        ['2', 1],
        ['', 1, 'unclosed-array'],
      ]);
    });

    it('yields a junk line as one value, and stray closing brackets too', () => {
      expectSplit('hello, world\n}\n{"a":1}\n]]\n', [
        ['hello, world', 1],
        ['}', 2],
        ['{"a":1}', 3],
        [']]', 4],
      ]);
    });

    it('yields bytes that begin like a byte order mark but are not one', () => {
      expectSplit(new Uint8Array([0xef, 0xbb, 0x41, 0x0a, 0x7b, 0x7d]), [
        ['\uFFFDA', 1],
        ['{}', 2],
      ]);
      expectSplit(new Uint8Array([0xef]), [['\uFFFD', 1]]);
    });

    it('skips a value over the limit without keeping it, and goes on after it', () => {
      const big = `{"a":"${'x'.repeat(40)}"}`;
      const options = { maxValueBytes: 32 };
      expectSplit(
        `${big}\n{"b":1}\n`,
        [
          ['', 1, 'oversize'],
          ['{"b":1}', 2],
        ],
        options,
      );
      expectSplit(
        `{"Records":[${big},{"b":1}]}`,
        [
          ['', 1, 'oversize'],
          ['{"b":1}', 1],
        ],
        options,
      );
      expectSplit(
        `{"a":1}\n${big.slice(0, -2)}`,
        [
          ['{"a":1}', 1],
          ['', 2, 'oversize'],
        ],
        options,
      );
      const [oversize] = new JsonValueSplitter(options).push(encoder.encode(`${big}\n`));
      expect(oversize).toMatchObject({ size: big.length, fault: { kind: 'oversize' } });
      expect(oversize?.fault?.message).toContain(`${big.length} bytes`);
    });

    it('accepts a value of exactly the limit', () => {
      expectSplit('{"a":"xx"}\n', [['{"a":"xx"}', 1]], { maxValueBytes: 10 });
    });

    it('never throws on random bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300)), (bytes, cuts) => {
          const sorted = [...new Set(cuts.filter((cut) => cut < bytes.length))].sort((a, b) => a - b);
          const result = split(bytes, sorted, { maxValueBytes: 64 });
          expect(result).toEqual(split(bytes, [], { maxValueBytes: 64 }));
        }),
      );
    });
  });

  describe('memory', () => {
    /** A stream of `count` NDJSON records of about `size` bytes, in chunks of `chunkSize`, made as it is read. */
    function* stream(count: number, size: number, chunkSize: number) {
      const line = encoder.encode(`${JSON.stringify({ eventID: 'x', padding: 'p'.repeat(size - 30) })}\n`);
      let chunk = new Uint8Array(chunkSize);
      let filled = 0;
      for (let record = 0; record < count; record++) {
        for (let offset = 0; offset < line.length; ) {
          const copied = Math.min(line.length - offset, chunkSize - filled);
          chunk.set(line.subarray(offset, offset + copied), filled);
          filled += copied;
          offset += copied;
          if (filled === chunkSize) {
            yield chunk;
            chunk = new Uint8Array(chunkSize);
            filled = 0;
          }
        }
      }
      yield chunk.subarray(0, filled);
    }

    it('holds no more than the bytes of the record being read between chunks', () => {
      const splitter = new JsonValueSplitter();
      let values = 0;
      let largestHeld = 0;
      for (const chunk of stream(20_000, 1_000, 4_096)) {
        values += splitter.push(chunk).length;
        largestHeld = Math.max(largestHeld, splitter.bufferedBytes);
      }
      values += splitter.end().length;
      expect(values).toBe(20_000);
      expect(largestHeld).toBeGreaterThan(0);
      expect(largestHeld).toBeLessThanOrEqual(1_000);
    });

    it('stops holding a value once it is over the limit', () => {
      const splitter = new JsonValueSplitter({ maxValueBytes: 100_000 });
      const results = [];
      let largestHeld = 0;
      for (const chunk of stream(1, 5_000_000, 65_536)) {
        results.push(...splitter.push(chunk));
        largestHeld = Math.max(largestHeld, splitter.bufferedBytes);
      }
      results.push(...splitter.end());
      expect(largestHeld).toBeLessThanOrEqual(100_000);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ size: 5_000_000 - 2, fault: { kind: 'oversize' } });
    });
  });

  describe('property: any objects in any shape and any chunking come back exactly', () => {
    const objects = fc.array(
      fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }), {
        maxKeys: 6,
      }),
      { maxLength: 12 },
    );
    const shapes = {
      array: (values: unknown[]) => JSON.stringify(values),
      'pretty array': (values: unknown[]) => JSON.stringify(values, null, 2),
      'log file': (values: unknown[]) => JSON.stringify({ Records: values }),
      ndjson: (values: unknown[]) => values.map((value) => `${JSON.stringify(value)}\n`).join(''),
      'pretty documents': (values: unknown[]) =>
        values.map((value) => JSON.stringify(value, null, 2)).join('\n'),
    };

    it.each(Object.entries(shapes))('%s', (_, shape) => {
      fc.assert(
        fc.property(objects, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (values, sizes) => {
          const bytes = encoder.encode(shape(values));
          const splitter = new JsonValueSplitter();
          const parsed: unknown[] = [];
          const take = (split: ReturnType<JsonValueSplitter['push']>) => {
            for (const value of split) {
              expect(value.fault).toBeNull();
              parsed.push(JSON.parse(decoder.decode(value.bytes)));
            }
          };
          for (let from = 0, turn = 0; from < bytes.length; turn++) {
            const size = sizes[turn % sizes.length] as number;
            take(splitter.push(bytes.subarray(from, from + size)));
            from += size;
          }
          take(splitter.end());
          expect(parsed).toEqual(JSON.parse(JSON.stringify(values)));
        }),
        { numRuns: 300 },
      );
    });
  });
});
