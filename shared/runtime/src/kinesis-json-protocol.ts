import type { GetRecordsCommandOutput, _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import { AwsJson1_1Protocol } from '@aws-sdk/core/protocols';
import { collectBody } from '@smithy/core/protocols';
import type {
  HandlerExecutionContext,
  HttpResponse,
  MetadataBearer,
  OperationSchema,
  SerdeFunctions,
} from '@smithy/types';
import { freeNow } from './free-memory.js';

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

/**
 * Kinesis' JSON protocol with a direct reader for GetRecords, the one call on the enricher's hot path; every other
 * operation, and every error, goes through the SDK's own reader.
 *
 * The SDK walks each response through its schema, field by field, and checks every record's base64 text against a
 * regular expression before decoding it: that check alone was 7% of the enricher's CPU in a drain's profile, and the
 * client's `base64Decoder` setting no longer reaches it. The text comes from Kinesis over TLS, and a record whose
 * bytes are damaged anyway fails its JSON parse and is dead-lettered with its reason.
 */
export class KinesisJsonProtocol extends AwsJson1_1Protocol {
  override async deserializeResponse<Output extends MetadataBearer>(
    operationSchema: OperationSchema,
    context: HandlerExecutionContext & SerdeFunctions,
    response: HttpResponse,
  ): Promise<Output> {
    if (operationSchema.name !== 'GetRecords' || response.statusCode >= 300) {
      return super.deserializeResponse(operationSchema, context, response);
    }
    const body = JSON.parse(await bodyText(response.body, context)) as GetRecordsBody;
    const records = body.Records ?? [];
    const data = new PageData(records);
    const output: GetRecordsCommandOutput = {
      Records: records.map(({ Data, ApproximateArrivalTimestamp, ...rest }) => ({
        ...rest,
        Data: Data === undefined ? undefined : data.decode(Data),
        ApproximateArrivalTimestamp:
          ApproximateArrivalTimestamp === undefined
            ? undefined
            : new Date(ApproximateArrivalTimestamp * 1000),
      })),
      NextShardIterator: body.NextShardIterator,
      MillisBehindLatest: body.MillisBehindLatest,
      ChildShards: body.ChildShards,
      $metadata: this.deserializeMetadata(response),
    };
    return output as unknown as Output;
  }
}

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

  constructor(records: readonly { Data?: string }[]) {
    let capacity = 0;
    for (const { Data } of records) if (Data !== undefined) capacity += Buffer.byteLength(Data, 'base64');
    // Not from Buffer's pool, whose memory other buffers share, so that it can be freed on its own.
    this.#bytes = Buffer.allocUnsafeSlow(capacity);
    pageBuffers.add(this.#bytes.buffer);
  }

  decode(base64: string): Uint8Array {
    const start = this.#offset;
    // Fewer bytes than measured when the text holds characters base64 skips; the rest is never exposed.
    this.#offset += this.#bytes.write(base64, start, 'base64');
    return new Uint8Array(this.#bytes.buffer, this.#bytes.byteOffset + start, this.#offset - start);
  }
}

/**
 * Frees at once the memory of a page's data, which this protocol decoded into one buffer: every view of it is
 * emptied. Only for a page that nothing reads any more; a page read otherwise is left to the garbage collector.
 */
export function releaseRecordData(data: Uint8Array): void {
  const { buffer } = data;
  if (pageBuffers.delete(buffer)) freeNow(buffer);
}

/**
 * The body as text. Read through a buffer of its own, freed as soon as the text is made: the SDK's collector joins
 * the chunks into a buffer that, like the data, would wait for a full collection. So would the chunks: Node's HTTP
 * client copies each piece of a body into a buffer of its own, up to 64 KiB, below the size glibc maps on its own, so
 * that a page's 30-odd chunks waited in glibc's heap for the collector (42 MiB of heap at an overload's peak, 32 MiB
 * once they were freed here). They are freed once copied. A chunk that shares its memory with anything else (a view
 * into a larger buffer) is left.
 */
async function bodyText(body: unknown, context: SerdeFunctions): Promise<string> {
  if (!isAsyncIterable(body)) {
    const bytes = await collectBody(body, context);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('GetRecords body: expected bytes');
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const joined = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  for (const chunk of chunks) if (ownsItsMemory(chunk)) freeNow(chunk.buffer);
  const text = joined.toString('utf8');
  freeNow(joined.buffer);
  return text;
}

const ownsItsMemory = (chunk: Uint8Array) =>
  chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
