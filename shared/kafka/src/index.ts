export { createKafka } from './kafka-client.js';
export { ResilientConsumer } from './resilient-consumer.js';
export {
  type Delivery,
  type InvalidMessage,
  Subscription,
  type SubscriptionOptions,
  subscribeToAlerts,
  subscribeToEvents,
} from './subscription.js';
