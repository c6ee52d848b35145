export { type EnricherConfig, EnricherConfigSchema, parseEnricherConfig } from './config.js';
export { EXIT_BAD_CONFIG, EXIT_OK, runEnricher } from './main.js';
