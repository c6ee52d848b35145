/** What kafkajs' producer gives `producer/groupMessagesPerPartition` for the messages of one topic. */
export interface KafkajsGroupingInput<Message> {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly Message[];
  partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: Message }) => number;
}

/**
 * kafkajs' grouping of a send's messages by partition, with the same result: an object from each partition to its
 * messages in the order given. kafkajs copies a partition's list for every message added to it, so a page's
 * grouping took time and garbage quadratic in the messages per partition, 1.9% of a drain's CPU in the profile
 * (`npm run bench -- --only e2e --profile`). Each list grows in place here.
 */
export function groupMessagesPerPartition<Message>({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: KafkajsGroupingInput<Message>): Record<number, Message[]> {
  const grouped: Record<number, Message[]> = {};
  if (partitionMetadata.length === 0) return grouped;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    const messagesOfPartition = grouped[partition];
    if (messagesOfPartition) messagesOfPartition.push(message);
    else grouped[partition] = [message];
  }
  return grouped;
}
