export { type FeederConfig, FeederConfigSchema } from './config.js';
export * from './generate/index.js';
export {
  type FeederOptions,
  type FeedLog,
  type FeedRecord,
  type FeedStats,
  KinesisFeeder,
} from './kinesis-feeder.js';
export { type BusCounts, LocalEventBridge } from './local-event-bridge.js';
export { FeedImpossibleError, impossibleFeed } from './put-failure.js';
export {
  type BrokenFileKind,
  type TrailFileTruth,
  type TrailSpec,
  type WrittenTrail,
  writeBrokenTrailFile,
  writeTrail,
} from './trail/trail-writer.js';
