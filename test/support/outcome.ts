import type { CollectedMessage } from './topic-collector.js';

export interface Outcome {
  in: number;
  out: number;
  lost: number;
  duplicated: number;
  /** Messages of one key that came out in another order than their events went in. */
  outOfOrder: number;
}

interface SentEvent {
  record: { eventID: string };
}

const eventIdOf = (message: CollectedMessage): string => JSON.parse(String(message.value)).eventId;

/**
 * Compares what went into the stream with what a read_committed subscriber got. Order is judged per Kafka key
 * and partition, against the order the events were put in: events of one key share an account, hence a Kinesis
 * partition key, hence one shard at a time.
 */
export function outcomeOf(sent: readonly SentEvent[], published: readonly CollectedMessage[]): Outcome {
  const sentAt = new Map(sent.map((event, index) => [event.record.eventID, index]));
  const seen = new Set<string>();
  let duplicated = 0;
  let outOfOrder = 0;
  const lastByKey = new Map<string, number>();
  for (const message of published) {
    const eventId = eventIdOf(message);
    if (seen.has(eventId)) duplicated += 1;
    seen.add(eventId);
    const position = sentAt.get(eventId);
    if (position === undefined) continue;
    const key = `${message.partition}|${message.key}`;
    if ((lastByKey.get(key) ?? -1) > position) outOfOrder += 1;
    lastByKey.set(key, Math.max(position, lastByKey.get(key) ?? -1));
  }
  const lost = sent.filter((event) => !seen.has(event.record.eventID)).length;
  return { in: sent.length, out: published.length, lost, duplicated, outOfOrder };
}

export function report(name: string, outcome: Outcome, extra: Record<string, string | number> = {}): void {
  const fields = { ...outcome, ...extra };
  console.log(
    `fault ${name}: ${Object.entries(fields)
      .map(([field, value]) => `${field} ${value}`)
      .join(', ')}`,
  );
}
