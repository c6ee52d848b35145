import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

/** zod's safeParse, same result type. */
export type SafeParse<Schema extends z.ZodType> = (value: unknown) => z.ZodSafeParseResult<z.output<Schema>>;

// Formats are enforced by the patterns zod writes beside them. Patterns compile without the `u` flag, as zod's own
// regular expressions are written; lengths count code points in both. Strict: a keyword Ajv does not know fails
// the compilation rather than being ignored.
const ajv = new Ajv2020({
  strict: true,
  allowUnionTypes: true,
  validateFormats: false,
  unicodeRegExp: false,
});

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
  const accepts = ajv.compile(input);
  return (value) =>
    accepts(value) ? { success: true, data: value as z.output<Schema> } : schema.safeParse(value);
}
