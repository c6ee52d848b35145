import {
  createKafka,
  describeSecurity,
  ensureTopics,
  KafkaAccessGuard,
  kafkaConnection,
  keyPartitioner,
  reportAccessRefusal,
  subscribeToAlerts,
} from '@sarwatch/kafka';
import {
  configOrReport,
  createLogger,
  listenForStopWithDeadline,
  MetricsUnavailableError,
  startMetricsServer,
  untilDone,
} from '@sarwatch/runtime';
import { AlertNotifier } from './alert-notifier.js';
import { parseNotifierConfig } from './config.js';
import { KafkaUndeliverableAlerts } from './kafka-undeliverable-alerts.js';
import { NotifierPrometheusMetrics } from './notifier-metrics.js';
import { HttpWebhook } from './webhook.js';

export const EXIT_OK = 0;
export const EXIT_BAD_CONFIG = 2;

/** The notifier's composition root. Resolves with the process exit code. */
export async function runNotifier(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const config = configOrReport(parseNotifierConfig, env, 'sarwatch notify');
  if (config === null) return EXIT_BAD_CONFIG;
  const log = createLogger({ name: 'sarwatch-notifier', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  // An alert not settled by then is delivered again after the restart: its offset is not committed.
  const stop = listenForStopWithDeadline(log, config.SHUTDOWN_TIMEOUT_MS, 'settling the alert in hand');
  const guard = new KafkaAccessGuard(kafkaConnection(config));
  const stopped = AbortSignal.any([stop.signal, guard.signal]);
  try {
    const metrics = new NotifierPrometheusMetrics();
    let ready = false;
    const kafka = createKafka({ connection: guard.connection, clientId: config.KAFKA_CLIENT_ID, log });
    const producer = kafka.producer({
      idempotent: true,
      allowAutoTopicCreation: false,
      createPartitioner: keyPartitioner,
    });
    const notifier = new AlertNotifier(
      new HttpWebhook(config.WEBHOOK_URL, config.WEBHOOK_TIMEOUT_MS),
      new KafkaUndeliverableAlerts(producer, config.KAFKA_NOTIFIER_DLQ_TOPIC),
      metrics,
      {
        retry: { initialMs: config.WEBHOOK_RETRY_MIN_MS, maxMs: config.WEBHOOK_RETRY_MAX_MS },
        giveUpAfterMs: config.NOTIFIER_GIVE_UP_AFTER_MS,
      },
      log.child({ component: 'webhook' }),
    );
    const subscription = subscribeToAlerts(
      kafka,
      {
        topic: config.KAFKA_ALERTS_TOPIC,
        groupId: config.NOTIFIER_GROUP_ID,
        fromBeginning: config.NOTIFIER_START_FROM === 'earliest',
        handle: (alert, delivery) => notifier.notify(alert, delivery),
        accessDenied: guard.check,
      },
      log.child({ component: 'subscription' }),
    );
    const server = await startMetricsServer({
      host: config.METRICS_HOST,
      port: config.METRICS_PORT,
      registry: metrics.registry,
      readiness: () => ({ ready, reason: ready ? 'consuming alerts' : 'connecting to Kafka' }),
      fatal: () =>
        subscription.failure ? `the alerts consumer stopped: ${subscription.failure.message}` : null,
    });
    log.info(
      {
        webhook: new URL(config.WEBHOOK_URL).origin,
        topic: config.KAFKA_ALERTS_TOPIC,
        brokers: config.KAFKA_BROKERS,
        security: describeSecurity(guard.connection),
      },
      `metrics on http://${server.address}/metrics, /healthz, /readyz`,
    );
    try {
      const started = await untilDone(
        'connect to Kafka and subscribe to the alerts topic',
        log,
        stopped,
        async () => {
          if (config.KAFKA_CREATE_TOPICS) {
            await ensureTopics(
              kafka,
              [
                {
                  topic: config.KAFKA_NOTIFIER_DLQ_TOPIC,
                  numPartitions: 1,
                  replicationFactor: config.KAFKA_REPLICATION_FACTOR,
                },
              ],
              log,
            );
          }
          await producer.connect();
          await subscription.start();
          return true;
        },
        guard.check,
      );
      if (!started) return EXIT_OK;
      ready = true;
      log.info('delivering alerts');
      await new Promise((resolve) => stopped.addEventListener('abort', resolve, { once: true }));
    } finally {
      ready = false;
      await subscription.stop();
      await producer.disconnect();
      await server.close();
    }
    if (guard.failure) throw guard.failure;
    log.info('stopped cleanly');
    return EXIT_OK;
  } catch (error) {
    if (error instanceof MetricsUnavailableError) {
      process.stderr.write(`sarwatch notify: ${error.message}\n`);
      return EXIT_BAD_CONFIG;
    }
    const refused = reportAccessRefusal(error, 'sarwatch notify', log);
    if (refused === null) throw error;
    return refused;
  } finally {
    stop.dispose();
  }
}
