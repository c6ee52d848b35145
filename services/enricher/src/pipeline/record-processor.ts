import { type DeadLetterReason, decodeRecord, enrich, eventKey, serializeEvent } from '@sarwatch/core';
import type { OutboundMessage, StreamRecord } from '../ports.js';

export interface RecordProcessorOptions {
  streamName: string;
  eventsTopic: string;
  deadLetterTopic: string;
  maxRecordBytes: number;
  maxEventBytes: number;
  /** Text fields of `detail` longer than this are cut to it, with their length and SHA-256. */
  maxTextLength: number;
}

export interface ProcessedBatch {
  messages: OutboundMessage[];
  enriched: number;
  deadLettered: Map<DeadLetterReason, number>;
}

/** Turns one page of stream records into Kafka messages: an enriched event, or a dead letter with its reason. */
export class RecordProcessor {
  constructor(private readonly options: RecordProcessorOptions) {}

  process(shardId: string, records: readonly StreamRecord[]): ProcessedBatch {
    const batch: ProcessedBatch = { messages: [], enriched: 0, deadLettered: new Map() };
    for (const record of records) {
      const message = this.toEventMessage(record);
      if ('reason' in message) {
        batch.messages.push(this.toDeadLetter(shardId, record, message.reason, message.detail));
        batch.deadLettered.set(message.reason, (batch.deadLettered.get(message.reason) ?? 0) + 1);
      } else {
        batch.messages.push(message);
        batch.enriched += 1;
      }
    }
    return batch;
  }

  private toEventMessage(
    record: StreamRecord,
  ): OutboundMessage | { reason: DeadLetterReason; detail: string } {
    const decoded = decodeRecord(record.data, { maxRecordBytes: this.options.maxRecordBytes });
    if (!decoded.ok) return { reason: decoded.reason, detail: decoded.message };
    let value: string;
    let event: ReturnType<typeof enrich>;
    try {
      event = enrich(decoded.record, {
        maxTextLength: this.options.maxTextLength,
        serializedLength: record.data.byteLength,
      });
      value = serializeEvent(event, decoded.record, decoded.recordJson);
    } catch (error) {
      return { reason: 'enrichment-failed', detail: error instanceof Error ? error.message : String(error) };
    }
    if (value.length > this.options.maxEventBytes) {
      return {
        reason: 'unpublishable',
        detail: `enriched event is ${value.length} bytes, the limit is ${this.options.maxEventBytes}`,
      };
    }
    return {
      topic: this.options.eventsTopic,
      key: eventKey(event),
      value,
      headers: {
        'content-type': 'application/json',
        'sarwatch-event-name': event.eventName,
        'sarwatch-identity-type': event.identity.type,
      },
    };
  }

  private toDeadLetter(
    shardId: string,
    record: StreamRecord,
    reason: DeadLetterReason,
    detail: string,
  ): OutboundMessage {
    return {
      topic: this.options.deadLetterTopic,
      key: `${shardId}:${record.sequenceNumber}`,
      value: record.data,
      headers: {
        'sarwatch-reason': reason,
        'sarwatch-reason-detail': detail.slice(0, 1_000),
        'sarwatch-stream': this.options.streamName,
        'sarwatch-shard-id': shardId,
        'sarwatch-sequence-number': record.sequenceNumber,
        'sarwatch-partition-key': record.partitionKey,
        ...(record.arrivedAt ? { 'sarwatch-arrived-at': record.arrivedAt.toISOString() } : {}),
      },
    };
  }
}
