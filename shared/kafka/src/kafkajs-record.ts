/** The arguments kafkajs' produce requests give `recordBatch/record/v0` for each message. */
export interface KafkajsRecordInput {
  offsetDelta?: unknown;
  timestampDelta?: unknown;
  key?: unknown;
  value?: unknown;
  headers?: unknown;
}
export type KafkajsRecord<Encoded> = (record: KafkajsRecordInput) => Encoded;

/** A field of a record, as bytes: a Buffer as it is, a string as UTF-8, null or undefined as absent. */
type Field = Buffer | string | null | undefined;
type HeaderValue = Buffer | string;

/** Up to this magnitude, a delta's zigzag encoding (twice it, plus one if negative) is still an exact number. */
const EXACT_DELTA_LIMIT = 2 ** 51;
/**
 * Texts up to this long (header names and values, keys) are measured and written by a loop here when they are ASCII:
 * a call into Node's UTF-8 code costs more than the loop.
 */
const SHORT_TEXT = 128;

const isField = (value: unknown): value is Field =>
  value == null || typeof value === 'string' || Buffer.isBuffer(value);
const isHeaderValue = (value: unknown): value is HeaderValue =>
  typeof value === 'string' || Buffer.isBuffer(value);

const zigZag32 = (value: number): number => ((value << 1) ^ (value >> 31)) >>> 0;

/** Bytes of an unsigned varint of up to 53 bits, as many as kafkajs' 64-bit arithmetic writes for the same value. */
function sizeOfUVarLong(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}
const sizeOfVarInt = (value: number): number => sizeOfUVarLong(zigZag32(value));

/** A text's length in UTF-8, which equals its length in UTF-16 units exactly when every character is ASCII. */
function utf8Length(text: string): number {
  if (text.length > SHORT_TEXT) return Buffer.byteLength(text);
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) >= 0x80) return Buffer.byteLength(text);
  }
  return text.length;
}
const byteLength = (field: HeaderValue): number =>
  typeof field === 'string' ? utf8Length(field) : field.length;
const sizeOfField = (field: Field): number => {
  if (field == null) return 1;
  const length = byteLength(field);
  return sizeOfVarInt(length) + length;
};

/** Each header of kafkajs' headers object, in its order: a value per name, or several for an array. */
function forEachHeader(
  headers: Record<string, unknown>,
  visit: (name: string, value: unknown) => void,
): void {
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const entry = headers[name];
    if (Array.isArray(entry)) for (const value of entry) visit(name, value);
    else visit(name, entry);
  }
}

/** The headers' size with their count, or undefined when a value is neither a string nor a Buffer. */
function sizeOfHeaders(headers: Record<string, unknown>): number | undefined {
  let count = 0;
  let size = 0;
  let covered = true;
  forEachHeader(headers, (name, value) => {
    if (!isHeaderValue(value)) covered = false;
    else size += sizeOfField(name) + sizeOfField(value);
    count++;
  });
  return covered ? sizeOfVarInt(count) + size : undefined;
}

/** Writes records into one buffer of their exact size, each write returning the offset after it. */
function writeUVarLong(into: Buffer, at: number, value: number): number {
  let offset = at;
  let rest = value;
  while (rest >= 128) {
    into[offset++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  into[offset++] = rest;
  return offset;
}
const writeVarInt = (into: Buffer, at: number, value: number): number =>
  writeUVarLong(into, at, zigZag32(value));
function writeField(into: Buffer, at: number, field: Field): number {
  if (field == null) return writeVarInt(into, at, -1);
  const length = byteLength(field);
  const offset = writeVarInt(into, at, length);
  if (typeof field !== 'string') into.set(field, offset);
  else if (length === field.length && length <= SHORT_TEXT) {
    for (let index = 0; index < length; index++) into[offset + index] = field.charCodeAt(index);
  } else into.write(field, offset, length, 'utf8');
  return offset + length;
}
function writeHeaders(into: Buffer, at: number, headers: Record<string, unknown>): number {
  let count = 0;
  forEachHeader(headers, () => count++);
  let offset = writeVarInt(into, at, count);
  forEachHeader(headers, (name, value) => {
    offset = writeField(into, offset, name);
    offset = writeField(into, offset, value as HeaderValue);
  });
  return offset;
}

/**
 * kafkajs' record encoder (`recordBatch/record/v0`), giving the same bytes from one buffer of the record's exact
 * size. kafkajs builds each record from an encoder per header and per field, writes its timestamp delta through
 * BigInt arithmetic, and each variable-length integer through a Buffer of its own: 7.5% of a drain's CPU in the
 * profile (`npm run bench -- --only e2e --profile`), for the few bytes of framing around each message and its
 * headers; 4.3% with this, most of it writing the value and the headers into place. Records this does not cover keep kafkajs' own encoding:
 * a field that is neither a Buffer, a string nor absent (kafkajs writes a number as its text, and throws on a null
 * header value), and a delta that is not an integer of at most 2^51.
 */
export function exactSizeRecord<Encoded>(
  kafkajsOwn: KafkajsRecord<Encoded>,
  wrap: (bytes: Buffer) => Encoded,
): KafkajsRecord<Encoded> {
  return (record) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} } = record;
    if (
      !Number.isInteger(timestampDelta) ||
      Math.abs(timestampDelta as number) > EXACT_DELTA_LIMIT ||
      !Number.isInteger(offsetDelta) ||
      !isField(key) ||
      !isField(value) ||
      typeof headers !== 'object' ||
      headers === null
    ) {
      return kafkajsOwn(record);
    }
    const headersSize = sizeOfHeaders(headers as Record<string, unknown>);
    if (headersSize === undefined) return kafkajsOwn(record);
    const delta = timestampDelta as number;
    const zigZagDelta = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    const bodySize =
      1 +
      sizeOfUVarLong(zigZagDelta) +
      sizeOfVarInt(offsetDelta as number) +
      sizeOfField(key) +
      sizeOfField(value) +
      headersSize;

    const bytes = Buffer.allocUnsafe(sizeOfVarInt(bodySize) + bodySize);
    let at = writeVarInt(bytes, 0, bodySize);
    bytes[at++] = 0; // attributes: none are defined for a record
    at = writeUVarLong(bytes, at, zigZagDelta);
    at = writeVarInt(bytes, at, offsetDelta as number);
    at = writeField(bytes, at, key);
    at = writeField(bytes, at, value);
    writeHeaders(bytes, at, headers as Record<string, unknown>);
    return wrap(bytes);
  };
}
