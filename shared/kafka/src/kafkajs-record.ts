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

/** Up to this magnitude, a delta's zigzag encoding (twice it, plus one if negative) is still an exact number. */
const EXACT_DELTA_LIMIT = 2 ** 51;

const isField = (value: unknown): value is Field =>
  value == null || typeof value === 'string' || Buffer.isBuffer(value);

const zigZag32 = (value: number): number => ((value << 1) ^ (value >> 31)) >>> 0;

/** Bytes of an unsigned varint of up to 53 bits, as many as kafkajs' 64-bit arithmetic writes for the same value. */
function sizeOfUVarLong(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}
const sizeOfVarInt = (value: number): number => sizeOfUVarLong(zigZag32(value));
const byteLength = (field: string | Buffer): number =>
  typeof field === 'string' ? Buffer.byteLength(field) : field.length;
const sizeOfField = (field: Field): number => {
  if (field == null) return 1;
  const length = byteLength(field);
  return sizeOfVarInt(length) + length;
};

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
  if (typeof field === 'string') into.write(field, offset, length, 'utf8');
  else field.copy(into, offset);
  return offset + length;
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
    const headerPairs: [string, string | Buffer][] = [];
    for (const [name, entry] of Object.entries(headers)) {
      for (const headerValue of Array.isArray(entry) ? entry : [entry]) {
        if (typeof headerValue !== 'string' && !Buffer.isBuffer(headerValue)) return kafkajsOwn(record);
        headerPairs.push([name, headerValue]);
      }
    }
    const delta = timestampDelta as number;
    const zigZagDelta = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    let bodySize =
      1 +
      sizeOfUVarLong(zigZagDelta) +
      sizeOfVarInt(offsetDelta as number) +
      sizeOfField(key) +
      sizeOfField(value) +
      sizeOfVarInt(headerPairs.length);
    for (const [name, headerValue] of headerPairs) bodySize += sizeOfField(name) + sizeOfField(headerValue);

    const bytes = Buffer.allocUnsafe(sizeOfVarInt(bodySize) + bodySize);
    let at = writeVarInt(bytes, 0, bodySize);
    bytes[at++] = 0; // attributes: none are defined for a record
    at = writeUVarLong(bytes, at, zigZagDelta);
    at = writeVarInt(bytes, at, offsetDelta as number);
    at = writeField(bytes, at, key);
    at = writeField(bytes, at, value);
    at = writeVarInt(bytes, at, headerPairs.length);
    for (const [name, headerValue] of headerPairs) {
      at = writeField(bytes, at, name);
      at = writeField(bytes, at, headerValue);
    }
    return wrap(bytes);
  };
}
