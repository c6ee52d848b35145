/** Ports the integration tests own; all on 127.0.0.1, none a local-run default. */
export const TEST_PORTS = {
  kafka: 19092,
  kafkaController: 19093,
  kinesis: 14567,
  /** The compatibility run's Kafka 3.9 broker and its emulator. */
  kafka3: 19192,
  kafka3Controller: 19193,
  kinesisForKafka3: 14568,
  /** `sarwatch local` under test starts its own broker and emulator here. */
  localKafka: 19292,
  localKinesis: 14569,
  /** ... and its enricher's metrics, away from the 9464 a developer's `npm run local` uses. */
  localMetrics: 19468,
  /** moto's AWS API server, for `sarwatch infra`. */
  moto: 15099,
  /** moto again, for the ECS Fargate stack deployed from its CloudFormation template. */
  motoEcs: 15199,
  /** moto again, as the S3 bucket a CloudTrail trail writes to. */
  motoS3: 15299,
  /** ... and the trail that backfill and reconcile read, beside a live pipeline. */
  motoTrail: 15399,
  /** `sarwatch reconcile --every` under test serves its metrics here. */
  reconcileMetrics: 19466,
  /** A broker of its own, which the outage tests stop and start, and a Kinesis emulator with short iterators. */
  faultKafka: 19492,
  faultKafkaController: 19493,
  faultKinesis: 14571,
  /** A real Prometheus and the enricher and notifier it scrapes. */
  prometheus: 19090,
  scrapedMetrics: 19464,
  scrapedNotifierMetrics: 19465,
  /** A broker of its own with TLS listeners: SASL_SSL with SCRAM-SHA-512, and SASL_SSL with OAUTHBEARER. */
  secureKafka: 19592,
  secureKafkaController: 19593,
  secureKafkaScram: 19594,
  secureKafkaOauth: 19595,
} as const;
