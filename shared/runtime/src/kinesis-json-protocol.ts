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
    const bytes = await collectBody(response.body, context);
    const body = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    ) as GetRecordsBody;
    const output: GetRecordsCommandOutput = {
      Records: (body.Records ?? []).map(({ Data, ApproximateArrivalTimestamp, ...rest }) => ({
        ...rest,
        Data: Data === undefined ? undefined : decodeBase64(Data),
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

function decodeBase64(text: string): Uint8Array {
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
