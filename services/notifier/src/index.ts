export { type NotifierConfig, NotifierConfigSchema, parseNotifierConfig } from './config.js';
export { EXIT_BAD_CONFIG, EXIT_OK, runNotifier } from './main.js';
export { type SlackMessage, toSlackMessage } from './slack-message.js';
