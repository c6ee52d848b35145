import { z } from 'zod';

type Write = (value: unknown) => string;

/** What JSON.stringify escapes: a quote, a backslash, a control character, a (lone) surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it looks for.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

const writeString: Write = (value) =>
  typeof value === 'string' && !NEEDS_ESCAPING.test(value) ? `"${value}"` : writeAny(value);
const writeAny: Write = (value) => JSON.stringify(value) ?? 'null';
// Unescaped strings are written between quotes known in advance, where no other value's text would fit.
const notAString = (path: string) => {
  throw new TypeError(`the serializer expected a string at ${path}`);
};

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
  const body = concatenation(pieces(schema, 'value', { helpers, stringsNeedNoEscaping }, open));
  return new Function('writeString', 'notAString', 'helpers', `return (value) => ${body};`)(
    writeString,
    notAString,
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

interface Compilation {
  helpers: Write[];
  stringsNeedNoEscaping: boolean;
}

/** The JSON text of a value, in order: text known when compiling, or JavaScript that evaluates to text. */
type Piece = { text: string } | { code: string };

/**
 * One `+` chain, with neighbouring known text joined: every `+` of a string makes one more piece of rope for V8 to
 * allocate and later flatten, and an unescaped string's quotes join the key before it and the comma after it.
 */
function concatenation(parts: Piece[]): string {
  const joined: Piece[] = [];
  for (const part of parts) {
    const last = joined.at(-1);
    if ('text' in part && last && 'text' in last) last.text += part.text;
    else joined.push({ ...part });
  }
  return `(${joined.map((part) => ('text' in part ? JSON.stringify(part.text) : part.code)).join(' + ')})`;
}

/** The pieces of the JSON text of the value at `path`. */
function pieces(schema: z.ZodType, path: string, compilation: Compilation, open = false): Piece[] {
  if (open && !(schema instanceof z.ZodObject)) throw new Error('only an object can be left open');
  if (schema instanceof z.ZodString) {
    return compilation.stringsNeedNoEscaping
      ? [
          { text: '"' },
          { code: `(typeof ${path} === 'string' ? ${path} : notAString(${JSON.stringify(path)}))` },
          { text: '"' },
        ]
      : [{ code: `writeString(${path})` }];
  }
  if (schema instanceof z.ZodBoolean)
    return [{ code: `(${path} === true ? 'true' : ${path} === false ? 'false' : 'null')` }];
  if (schema instanceof z.ZodNullable) {
    const inner = concatenation(pieces(schema.unwrap() as z.ZodType, path, compilation));
    return [{ code: `(${path} === null ? 'null' : ${inner})` }];
  }
  // The serializer writes output values, in which a default has been applied.
  if (schema instanceof z.ZodDefault) return pieces(schema.unwrap() as z.ZodType, path, compilation);
  if (schema instanceof z.ZodObject && Object.values(schema.shape).every((field) => !isOptional(field))) {
    const members = Object.entries(schema.shape).flatMap(([key, field], index) => [
      { text: `${index === 0 ? '{' : ','}${JSON.stringify(key)}:` },
      ...pieces(field as z.ZodType, `${path}[${JSON.stringify(key)}]`, compilation),
    ]);
    if (members.length === 0) members.push({ text: '{' });
    return open ? members : [...members, { text: '}' }];
  }
  return [{ code: `helpers[${compilation.helpers.push(helper(schema, compilation)) - 1}](${path})` }];
}

/** Enums and arrays are functions of their own; anything unknown is JSON.stringify's. */
function helper(schema: z.ZodType, { stringsNeedNoEscaping }: Compilation): Write {
  if (schema instanceof z.ZodEnum) return writeEnum(schema.options);
  if (!(schema instanceof z.ZodArray)) return writeAny;
  const writeElement = compileSerializer(schema.element as z.ZodType, { stringsNeedNoEscaping });
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
