export { ChildProcesses, defaultChildProcesses } from './children.js';
export { DEVSTACK_ERROR_CODES, DevstackError, type DevstackErrorCode, isDevstackError } from './errors.js';
export { type CommandResult, runCommand } from './exec.js';
export { type ScramUser, type StartKafkaOptions, startKafka } from './kafka.js';
export type { SecureListeners } from './kafka-config.js';
export {
  type EnsureKafkaDistributionOptions,
  ensureKafkaDistribution,
  KAFKA_3_VERSION,
  KAFKA_VERSION,
  type KafkaDistribution,
} from './kafka-distribution.js';
export { type StartKinesisOptions, startKinesis } from './kinesis.js';
export type { DevstackLog } from './log.js';
export { type EnsureMavenJarsOptions, ensureMavenJars, type MavenArtifact } from './maven-jars.js';
export { type MotoServer, startMotoServer } from './moto-server.js';
export { defaultCacheDir, findRepoRoot } from './repo-root.js';
export { describeExit, type RunningProcess, terminate } from './running-process.js';
export { type EnsureStreamOptions, ensureStream } from './stream.js';
export { isPortOpen } from './tcp.js';
export {
  type BrokerKeystore,
  type CertificateAuthority,
  createBrokerKeystore,
  createCertificateAuthority,
} from './tls-material.js';
export { type EnsureTopicsOptions, ensureTopics, type TopicSpec } from './topics.js';
