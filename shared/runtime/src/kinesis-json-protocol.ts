import type { GetRecordsCommandOutput } from '@aws-sdk/client-kinesis';
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
import { readGetRecordsBody } from './get-records-body.js';
import { recycledMemory } from './recycled-memory.js';

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
    const body = await bodyBytes(response.body, context);
    try {
      const output: GetRecordsCommandOutput = {
        ...readGetRecordsBody(body.bytes),
        $metadata: this.deserializeMetadata(response),
      };
      return output as unknown as Output;
    } finally {
      if (body.ours) recycledMemory.give(body.bytes.buffer);
    }
  }
}

/**
 * The body's bytes, in a buffer of its own (`ours`) that the caller frees once read: the SDK's collector joins the
 * chunks into a buffer that, like the data, would wait for a full collection. So would the chunks: Node's HTTP
 * client copies each piece of a body into a buffer of its own, up to 64 KiB, below the size glibc maps on its own, so
 * that a page's 30-odd chunks waited in glibc's heap for the collector (42 MiB of heap at an overload's peak, 32 MiB
 * once they were freed here). They are freed once copied. A chunk that shares its memory with anything else (a view
 * into a larger buffer) is left.
 */
async function bodyBytes(
  body: unknown,
  context: SerdeFunctions,
): Promise<{ bytes: Uint8Array; ours: boolean }> {
  if (!isAsyncIterable(body)) return { bytes: await collectBody(body, context), ours: false };
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('GetRecords body: expected bytes');
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const joined = recycledMemory.take(length);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  for (const chunk of chunks) if (ownsItsMemory(chunk)) freeNow(chunk.buffer);
  return { bytes: joined, ours: true };
}

const ownsItsMemory = (chunk: Uint8Array) =>
  chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
