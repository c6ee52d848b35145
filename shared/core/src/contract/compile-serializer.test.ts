import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  enrichFixture,
  listContractFixtures,
  loadContractFixture,
} from '../../test-support/contract-fixtures.js';
import { compileSerializer } from './compile-serializer.js';
import { EnrichedEventSchema } from './enriched-event.js';

const EnrichmentSchema = EnrichedEventSchema.omit({ detail: true });
const serializeEnrichment = compileSerializer(EnrichmentSchema);
const enrichedFixtures = ['identity', 'sar', 'edge'].flatMap((folder) =>
  listContractFixtures(folder).map((name) => {
    const { detail: _, ...enrichment } = enrichFixture(loadContractFixture(name));
    return enrichment;
  }),
);

describe('compileSerializer', () => {
  it('writes what JSON.stringify writes for every fixture’s enrichment', () => {
    expect(enrichedFixtures.length).toBeGreaterThan(20);
    for (const enrichment of enrichedFixtures) {
      expect(serializeEnrichment(enrichment)).toBe(JSON.stringify(enrichment));
    }
  });

  it('escapes as JSON.stringify does: quotes, backslashes, controls, lone surrogates', () => {
    const special = fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\ud800', '\udc00', '😀', 'é');
    const text = fc.array(fc.oneof(special, fc.string({ unit: 'binary' }))).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.constantFrom(...enrichedFixtures), text, text, (enrichment, userAgent, reason) => {
        const edited = {
          ...enrichment,
          source: { ...enrichment.source, userAgent },
          risk: { ...enrichment.risk, reasons: [reason, reason] },
        };
        expect(serializeEnrichment(edited)).toBe(JSON.stringify(edited));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes the same text when promised that no string needs escaping, and the promise holds', () => {
    const serializeUnescaped = compileSerializer(EnrichmentSchema, { stringsNeedNoEscaping: true });
    const plain = enrichedFixtures.filter((enrichment) => !JSON.stringify(enrichment).includes('\\'));
    expect(plain.length).toBeGreaterThan(20);
    for (const enrichment of plain) {
      expect(serializeUnescaped(enrichment)).toBe(JSON.stringify(enrichment));
    }
  });

  it('refuses a value that is no string where the schema has one, rather than write it between quotes', () => {
    const serializeUnescaped = compileSerializer(EnrichmentSchema, { stringsNeedNoEscaping: true });
    const [enrichment] = enrichedFixtures;
    if (!enrichment) throw new Error('no fixture');
    const broken = { ...enrichment, eventName: 42 as unknown as string };
    expect(() => serializeUnescaped(broken)).toThrow(/expected a string at value\["eventName"\]/);
    expect(serializeEnrichment(broken)).toBe(JSON.stringify(broken));
  });

  it('writes a field with a default as the value it holds', () => {
    const schema = z.object({ origin: z.enum(['stream', 'trail']).default('stream'), at: z.string() });
    const value = schema.parse({ at: 'x' });
    expect(compileSerializer(schema)(value)).toBe('{"origin":"stream","at":"x"}');
    expect(compileSerializer(schema)({ origin: 'trail', at: 'y' })).toBe(
      JSON.stringify({ origin: 'trail', at: 'y' }),
    );
  });

  it('leaves the object open for a caller that appends members', () => {
    const schema = z.object({ name: z.string(), tags: z.array(z.string()), at: z.number().nullable() });
    const open = compileSerializer(schema, { open: true });
    const value = { name: 'a', tags: ['x'], at: null };
    expect(`${open(value)}}`).toBe(JSON.stringify(value));
    expect(() => compileSerializer(z.string(), { open: true })).toThrow();
  });

  it('hands kinds it does not compile, and objects with optional fields, to JSON.stringify', () => {
    const schema = z.object({
      count: z.number(),
      optional: z.object({ a: z.string().optional() }),
      any: z.unknown(),
    });
    const serialize = compileSerializer(schema);
    const value = { count: 1.5, optional: {}, any: { deep: [1, null, 'x'] } };
    expect(serialize(value)).toBe(JSON.stringify(value));
  });
});
