import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

/** zod's safeParse, same result type. */
export type SafeParse<Schema extends z.ZodType> = (value: unknown) => z.ZodSafeParseResult<z.output<Schema>>;

// Formats are enforced by the patterns zod writes beside them. Patterns compile without the `u` flag, as zod's own
// regular expressions are written. Strict: a keyword Ajv does not know fails the compilation rather than being ignored.
const options = {
  strict: true,
  allowUnionTypes: true,
  validateFormats: false,
  unicodeRegExp: false,
} as const;
// zod counts a string's length in code points. Ajv can count them too, walking every string in JavaScript (a fifth of
// a record's validation), or take `length`, the UTF-16 units: as many or more. That can only refuse more under a
// maximum, which zod then answers, and under a minimum of one it is the same test (a string has a unit when it has a
// code point). Only a larger minimum needs code points. Ajv calls the option deprecated and says so on every
// construction; its other warnings are strict-mode errors here, thrown, so nothing is lost by silencing it.
const countingUnits = new Ajv2020({ ...options, unicode: false, logger: false });
const countingCodePoints = new Ajv2020(options);

/**
 * zod's safeParse for the input every record goes through, at a quarter of the cost: the schema is also compiled,
 * through its JSON Schema, into one validating function (Ajv), which answers first. A value it accepts is returned
 * as it is, not copied, which is zod's own result for schemas without transforms or defaults, checked here once.
 * A value it refuses goes to zod, whose answer and messages are the ones given: so zod stays the single source of
 * truth, and a difference between the two can only cost time, never let a bad record through, as long as the
 * compiled validator accepts nothing zod refuses. compiled-parser.test.ts holds them to that on mutated records.
 */
export function compileSafeParse<Schema extends z.ZodType>(schema: Schema): SafeParse<Schema> {
  // A kind JSON Schema cannot state (z.custom, a refinement) makes toJSONSchema throw: it is never widened to
  // "anything", which would let the compiled validator accept what zod refuses.
  const input = z.toJSONSchema(schema, { io: 'input' });
  const output = z.toJSONSchema(schema, { io: 'output' });
  if (JSON.stringify(input) !== JSON.stringify(output)) {
    throw new Error('compileSafeParse needs a schema whose output is its input: no transforms, no defaults');
  }
  const accepts = (hasMinimumLengthOver1(input) ? countingCodePoints : countingUnits).compile(input);
  return (value) =>
    accepts(value) ? { success: true, data: value as z.output<Schema> } : schema.safeParse(value);
}

function hasMinimumLengthOver1(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  if ('minLength' in schema && typeof schema.minLength === 'number' && schema.minLength > 1) return true;
  return Object.values(schema).some(hasMinimumLengthOver1);
}
