export { ConfigError, type EnricherConfig, EnricherConfigSchema, parseEnricherConfig } from './config.js';
export { createKinesisClient } from './kinesis/kinesis-client.js';
export { createLogger, type Logger } from './logger.js';
export { EXIT_BAD_CONFIG, EXIT_OK, runEnricher } from './main.js';
