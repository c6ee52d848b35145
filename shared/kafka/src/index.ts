export { KafkaBrokersSchema } from './brokers-config.js';
export { createKafka } from './kafka-client.js';
export { ensureTopics, type TopicSpec } from './kafka-topics.js';
export { ResilientConsumer } from './resilient-consumer.js';
export {
  type Delivery,
  type InvalidMessage,
  Subscription,
  type SubscriptionOptions,
  subscribeToAlerts,
  subscribeToEvents,
} from './subscription.js';
