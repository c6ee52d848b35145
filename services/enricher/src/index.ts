export { DEFAULT_ALERT_RULES_FILE, readAlertRulesFile } from './alerts/alert-rules-file.js';
export { type EnricherConfig, EnricherConfigSchema, parseEnricherConfig } from './config.js';
export {
  type CheckpointLogOptions,
  KafkaCheckpointLog,
  type ReconciledRecord,
  ReconciledRecordSchema,
} from './kafka/checkpoint-log.js';
export { KafkaShardLeases, type KafkaShardLeasesOptions } from './kafka/kafka-shard-leases.js';
export {
  MAX_IDS_PER_CLAIM,
  type TrailClaimRecord,
  TrailClaimRecordSchema,
  TrailClaims,
} from './kafka/trail-claims.js';
export { EXIT_BAD_CONFIG, EXIT_OK, runEnricher } from './main.js';
export {
  alertMessage,
  type ProcessedBatch,
  RecordProcessor,
  type RecordProcessorOptions,
} from './pipeline/record-processor.js';
export type { OutboundMessage, StreamRecord } from './ports.js';
