import { z } from 'zod';

type Write = (value: unknown) => string;

/** What JSON.stringify escapes: a quote, a backslash, a control character, a (lone) surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it looks for.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

const writeString: Write = (value) =>
  typeof value === 'string' && !NEEDS_ESCAPING.test(value) ? `"${value}"` : writeAny(value);
const writeUnescapedString: Write = (value) => (typeof value === 'string' ? `"${value}"` : writeAny(value));
const writeAny: Write = (value) => JSON.stringify(value) ?? 'null';

/**
 * A JSON serializer made from a zod schema: for every value the schema accepts, the same text as JSON.stringify
 * with the keys in the schema's order (the order `enrich` builds them in).
 *
 * The enriched event is serialized once per record, and it was the costliest step after parsing: JSON.stringify
 * discovers the shape value by value, while here the shape is known, so the schema is turned into one string
 * expression, compiled once (as zod compiles its own object parsers). Only the schema reaches the generated code,
 * never a value: keys are written as JSON string literals, and every value is read through the helpers. Kinds the
 * compiler does not know, and objects with optional fields (JSON.stringify omits undefined), go to JSON.stringify.
 */
export function compileSerializer<Schema extends z.ZodType>(
  schema: Schema,
  { open = false, stringsNeedNoEscaping = false }: SerializerOptions = {},
): (value: z.output<Schema>) => string {
  const helpers: Write[] = [];
  const body = expression(schema, 'value', helpers, open);
  return new Function('writeString', 'helpers', `return (value) => ${body};`)(
    stringsNeedNoEscaping ? writeUnescapedString : writeString,
    helpers,
  );
}

export interface SerializerOptions {
  /**
   * Leave the top-level object without its closing brace, for a caller that appends members of its own: cutting the
   * brace off afterwards would copy the whole text once more.
   */
  open?: boolean;
  /**
   * The caller knows that no string in the value needs escaping in JSON (see serializeEvent), so they are written
   * without being looked at. A wrong promise writes invalid JSON: make it only with proof.
   */
  stringsNeedNoEscaping?: boolean;
}

/** JavaScript that evaluates to the JSON text of the value at `path`. */
function expression(schema: z.ZodType, path: string, helpers: Write[], open = false): string {
  if (open && !(schema instanceof z.ZodObject)) throw new Error('only an object can be left open');
  if (schema instanceof z.ZodString) return `writeString(${path})`;
  if (schema instanceof z.ZodBoolean)
    return `(${path} === true ? 'true' : ${path} === false ? 'false' : 'null')`;
  if (schema instanceof z.ZodNullable) {
    return `(${path} === null ? 'null' : ${expression(schema.unwrap() as z.ZodType, path, helpers)})`;
  }
  if (schema instanceof z.ZodObject && Object.values(schema.shape).every((field) => !isOptional(field))) {
    const members = Object.entries(schema.shape).map(([key, field], index) => {
      const name = JSON.stringify(`${index === 0 ? '{' : ','}${JSON.stringify(key)}:`);
      return `${name} + ${expression(field as z.ZodType, `${path}[${JSON.stringify(key)}]`, helpers)}`;
    });
    const close = open ? '' : '}';
    return members.length === 0 ? `'{${close}'` : `(${members.join(' + ')} + '${close}')`;
  }
  return `helpers[${helpers.push(helper(schema)) - 1}](${path})`;
}

/** Enums and arrays are functions of their own; anything unknown is JSON.stringify's. */
function helper(schema: z.ZodType): Write {
  if (schema instanceof z.ZodEnum) return writeEnum(schema.options);
  if (!(schema instanceof z.ZodArray)) return writeAny;
  const writeElement = compileSerializer(schema.element as z.ZodType);
  return (value) => {
    if (!Array.isArray(value)) return writeAny(value);
    if (value.length === 0) return '[]';
    let json = `[${writeElement(value[0])}`;
    for (let index = 1; index < value.length; index++) json += `,${writeElement(value[index])}`;
    return `${json}]`;
  };
}

const isOptional = (field: unknown) => field instanceof z.ZodOptional;

/** Each option's JSON is written once, here; a value outside the enum still gets JSON.stringify's text. */
function writeEnum(options: readonly (string | number)[]): Write {
  const written = new Map<unknown, string>(options.map((option) => [option, JSON.stringify(option)]));
  return (value) => written.get(value) ?? writeAny(value);
}
