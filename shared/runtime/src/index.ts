export { Backoff, type BackoffOptions } from './backoff.js';
export {
  AwsRegionSchema,
  ConfigError,
  configOrReport,
  fileText,
  minNotAboveMax,
  parseEnvironment,
  positiveInt,
  secretFile,
} from './env-config.js';
export { freeNow } from './free-memory.js';
export { releaseRecordData } from './get-records-body.js';
export { createKinesisClient, endpointSettings, type KinesisClientOptions } from './kinesis-client.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { LoggingConfigSchema } from './logging-config.js';
export { type MetricsServerOptions, MetricsUnavailableError, startMetricsServer } from './metrics-server.js';
export { SARWATCH_ALLOCATOR_ENV, SARWATCH_NODE_FLAGS } from './process-settings.js';
export { RecycledMemory, recycledMemory } from './recycled-memory.js';
export { sleep } from './sleep.js';
export {
  EXIT_FORCED,
  EXIT_INTERRUPTED,
  listenForStop,
  listenForStopWithDeadline,
  type StopSignals,
} from './stop-signals.js';
export { untilDone } from './until-done.js';
