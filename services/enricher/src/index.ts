export { DEFAULT_ALERT_RULES_FILE, readAlertRulesFile } from './alerts/alert-rules-file.js';
export { type EnricherConfig, EnricherConfigSchema, parseEnricherConfig } from './config.js';
export { EXIT_BAD_CONFIG, EXIT_OK, runEnricher } from './main.js';
