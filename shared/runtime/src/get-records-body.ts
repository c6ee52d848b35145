import type { GetRecordsCommandOutput, _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import { recycledMemory } from './recycled-memory.js';

/** GetRecords' body as Kinesis sends it: the record data base64-encoded, times in epoch seconds. */
interface GetRecordsBody {
  Records?: (Omit<KinesisRecord, 'Data' | 'ApproximateArrivalTimestamp'> & {
    Data?: string;
    ApproximateArrivalTimestamp?: number;
  })[];
  NextShardIterator?: string;
  MillisBehindLatest?: number;
  ChildShards?: GetRecordsCommandOutput['ChildShards'];
}

export type GetRecordsPage = Omit<GetRecordsCommandOutput, '$metadata'>;

const DATA_VALUE_START = Buffer.from('"Data":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Starts the placeholder of a record's data: never a base64 character, so a placeholder is never data. */
const PLACEHOLDER_MARK = '#';

/**
 * Reads a GetRecords body from its bytes without making them one string. As text, a page's body (1.7 MB for 500
 * records of 2-3 KB) was a single string too large for the young generation's pages: it was allocated among the old
 * generation's large objects and stayed there until the next full collection, so every page added its body's size to
 * the old generation, and a drain needed a full collection every 15 pages or so (`--trace-gc`).
 *
 * So each record's base64 text is located in the bytes and replaced by a placeholder naming where it is; JSON.parse
 * reads what is left (about 230 bytes a record), and each record's data is decoded from its own bytes. The pattern
 * `"Data":"` cannot occur inside a JSON string, whose quotes are all escaped, unless its first quote is one of them
 * (a key ending in `\"Data`): every other occurrence starts the value of a `Data` key. A value that holds an escape
 * (JSON allows `\/`, Kinesis never writes one) is left in the text as it is, and so is any value a key written with
 * spaces around its colon starts: JSON.parse reads them, as it reads the rest.
 */
export function readGetRecordsBody(bytes: Uint8Array): GetRecordsPage {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = dataValues(body);
  const parsed = JSON.parse(withPlaceholders(body, values)) as GetRecordsBody;
  const records = parsed.Records ?? [];
  const data = new PageData(body, values, records);
  return {
    // The members the SDK's own deserializer takes, named: an object rest that leaves some out is copied by the
    // runtime, key by key, for every record.
    Records: records.map((record) => ({
      SequenceNumber: record.SequenceNumber,
      Data: record.Data === undefined ? undefined : data.decode(record.Data),
      ApproximateArrivalTimestamp:
        record.ApproximateArrivalTimestamp === undefined
          ? undefined
          : new Date(record.ApproximateArrivalTimestamp * 1000),
      PartitionKey: record.PartitionKey,
      EncryptionType: record.EncryptionType,
    })),
    NextShardIterator: parsed.NextShardIterator,
    MillisBehindLatest: parsed.MillisBehindLatest,
    ChildShards: parsed.ChildShards,
  };
}

/** Where each record's base64 text is in the body: start and end offsets, in pairs. */
function dataValues(body: Buffer): number[] {
  const values: number[] = [];
  // The next backslash at or after the current value, found again only once passed: searched for anew at each
  // value, a body without one (as Kinesis writes them) was scanned to its end once per record.
  let backslash = body.indexOf(BACKSLASH);
  for (let at = body.indexOf(DATA_VALUE_START); at !== -1; at = body.indexOf(DATA_VALUE_START, at)) {
    const start = at + DATA_VALUE_START.length;
    const end = body.indexOf(QUOTE, start);
    if (end === -1) break;
    if (backslash !== -1 && backslash < start) backslash = body.indexOf(BACKSLASH, start);
    const holdsEscape = backslash !== -1 && backslash < end;
    if (!holdsEscape && !isEscaped(body, at)) values.push(start, end);
    at = end;
  }
  return values;
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(body: Buffer, at: number): boolean {
  let backslashes = 0;
  while (body[at - 1 - backslashes] === BACKSLASH) backslashes += 1;
  return backslashes % 2 === 1;
}

/** The body's text with the value at `values[2k]` replaced by the placeholder `#k`. */
function withPlaceholders(body: Buffer, values: readonly number[]): string {
  if (values.length === 0) return body.toString('utf8');
  let length = body.length;
  for (let k = 0; k < values.length; k += 2) {
    length += placeholder(k).length - ((values[k + 1] as number) - (values[k] as number));
  }
  const text = Buffer.allocUnsafe(length);
  let written = 0;
  let from = 0;
  for (let k = 0; k < values.length; k += 2) {
    written += body.copy(text, written, from, values[k]);
    written += text.write(placeholder(k), written, 'latin1');
    from = values[k + 1] as number;
  }
  written += body.copy(text, written, from);
  return text.toString('utf8', 0, written);
}

const placeholder = (valueIndex: number) => `${PLACEHOLDER_MARK}${valueIndex}`;

/**
 * ArrayBuffers holding a GetRecords page's data, which this module made and nothing else views: only those may be
 * freed by `releaseRecordData`. Detaching an ArrayBuffer that other views share (Node's buffer pool) would empty them.
 */
const pageBuffers = new WeakSet<ArrayBufferLike>();

/**
 * Every record's data of a page, decoded into one buffer. Alone, each record's data would be a buffer of its own,
 * garbage once its page is committed, and external memory that only a full collection gives back: under a backlog,
 * tens of megabytes of it waited at once. One buffer per page can be freed as soon as the page is done.
 */
class PageData {
  readonly #bytes: Buffer;
  #offset = 0;

  constructor(
    private readonly body: Buffer,
    private readonly values: readonly number[],
    records: readonly { Data?: string }[],
  ) {
    // Four base64 characters make at most three bytes. A placeholder counts as the few bytes its own text would
    // make: never exposed, and cheaper than telling placeholders apart twice.
    let capacity = 0;
    for (let k = 0; k < values.length; k += 2) {
      capacity += Math.floor((((values[k + 1] as number) - (values[k] as number)) * 3) / 4);
    }
    for (const { Data } of records) if (Data !== undefined) capacity += Buffer.byteLength(Data, 'base64');
    // Not from Buffer's pool, whose memory other buffers share, so that it can be given back on its own.
    this.#bytes = recycledMemory.take(capacity);
    pageBuffers.add(this.#bytes.buffer);
  }

  decode(Data: string): Uint8Array {
    const value = this.#placeholderValue(Data);
    // Each record's text is a string short enough to die young; base64 is ASCII, so latin1 reads it unchanged.
    const base64 = value ? this.body.toString('latin1', value[0], value[1]) : Data;
    const start = this.#offset;
    // Fewer bytes than measured when the text holds characters base64 skips; the rest is never exposed.
    this.#offset += this.#bytes.write(base64, start, 'base64');
    return new Uint8Array(this.#bytes.buffer, this.#bytes.byteOffset + start, this.#offset - start);
  }

  /** The body's offsets of the value a placeholder stands for, or null when `Data` is the data's own text. */
  #placeholderValue(Data: string): [number, number] | null {
    if (!Data.startsWith(PLACEHOLDER_MARK)) return null;
    const valueIndex = Number(Data.slice(PLACEHOLDER_MARK.length));
    const start = this.values[valueIndex];
    const end = this.values[valueIndex + 1];
    return start !== undefined && end !== undefined && placeholder(valueIndex) === Data ? [start, end] : null;
  }
}

/**
 * Gives back at once the memory of a page's data, which this module decoded into one buffer, for the next large
 * buffer (see RecycledMemory): every view of it is emptied. Only for a page that nothing reads any more; a page read otherwise is left to the garbage collector.
 */
export function releaseRecordData(data: Uint8Array): void {
  const { buffer } = data;
  if (pageBuffers.delete(buffer)) recycledMemory.give(buffer);
}
