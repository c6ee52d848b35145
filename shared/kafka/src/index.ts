export {
  type AccessCheck,
  accessCheck,
  accessFailureReason,
  KafkaAccessGuard,
  reportAccessRefusal,
} from './access-failure.js';
export { KafkaBrokersSchema } from './brokers-config.js';
export {
  describeSecurity,
  type KafkaConnection,
  type KafkaConnectionEnv,
  KafkaConnectionEnvShape,
  type KafkaSasl,
  kafkaConnection,
  kafkaConnectionProblems,
  parseKafkaConnection,
  SASL_MECHANISMS,
  type SaslMechanism,
} from './connection-config.js';
export { EXIT_KAFKA_ACCESS, KafkaAccessError } from './errors.js';
export { findFencingError } from './fencing.js';
export { createKafka } from './kafka-client.js';
export { ensureTopics, type TopicSpec } from './kafka-topics.js';
export { keyPartitioner } from './key-partitioner.js';
export { messageJson } from './message-json.js';
export { ResilientConsumer } from './resilient-consumer.js';
export {
  type Delivery,
  type InvalidMessage,
  Subscription,
  type SubscriptionOptions,
  subscribeToAlerts,
  subscribeToEvents,
} from './subscription.js';
export { readTopicRange, type TopicRangeOptions } from './topic-range.js';
