import { z } from 'zod';

export const IDENTITY_TYPES = [
  'Root',
  'IAMUser',
  'AssumedRole',
  'Role',
  'FederatedUser',
  'Directory',
  'AWSAccount',
  'AWSService',
  'IdentityCenterUser',
  'SAMLUser',
  'WebIdentityUser',
  'Unknown',
] as const;
export const IdentityTypeSchema = z.enum(IDENTITY_TYPES);
export type IdentityType = z.infer<typeof IdentityTypeSchema>;

export const CredentialKindSchema = z.enum(['long-term', 'temporary', 'none', 'unknown']);
export type CredentialKind = z.infer<typeof CredentialKindSchema>;

export const ActorSchema = z.enum(['human', 'workload', 'aws-service', 'root', 'unknown']);
export type Actor = z.infer<typeof ActorSchema>;

export const IdentitySchema = z.object({
  type: IdentityTypeSchema,
  rawType: z.string().nullable(),
  principalArn: z.string().nullable(),
  principalId: z.string().nullable(),
  accountId: z.string().nullable(),
  userName: z.string().nullable(),
  sessionName: z.string().nullable(),
  crossAccount: z.boolean(),
  mfaAuthenticated: z.boolean().nullable(),
  credential: CredentialKindSchema,
  viaConsole: z.boolean(),
  invokedBy: z.string().nullable(),
  actor: ActorSchema,
  actorReason: z.string(),
});
export type Identity = z.infer<typeof IdentitySchema>;

export const SourceKindSchema = z.enum(['aws-service', 'public-ip', 'private-ip', 'unknown']);

export const ClientKindSchema = z.enum([
  'console',
  'aws-cli',
  'sdk',
  'cloudformation',
  'sam-cli',
  'terraform',
  'aws-service',
  'other',
  'unknown',
]);
export type ClientKind = z.infer<typeof ClientKindSchema>;

export const ClientSchema = z.object({
  kind: ClientKindSchema,
  /** The SDK's programming language (`javascript`, `python`, `java`, `go`, ...) when `kind` is `sdk`. */
  language: z.string().nullable(),
  /** The tool's own version from the user agent, when it states one. */
  version: z.string().nullable(),
});
export type Client = z.infer<typeof ClientSchema>;

export const SourceSchema = z.object({
  ipAddress: z.string().nullable(),
  kind: SourceKindSchema,
  userAgent: z.string().nullable(),
  client: ClientSchema,
});
export type Source = z.infer<typeof SourceSchema>;

export const OperationCategorySchema = z.enum([
  'publish',
  'update',
  'share',
  'unshare',
  'delete',
  'read',
  'deploy',
  'other',
]);
export type OperationCategory = z.infer<typeof OperationCategorySchema>;

export const VisibilitySchema = z.enum(['public', 'organization', 'accounts', 'private']);
export type Visibility = z.infer<typeof VisibilitySchema>;

export const OperationSchema = z.object({
  category: OperationCategorySchema,
  applicationId: z.string().nullable(),
  applicationName: z.string().nullable(),
  semanticVersion: z.string().nullable(),
  /** Who can deploy the application after a PutApplicationPolicy call; null for every other call. */
  visibility: VisibilitySchema.nullable(),
  /** The principals the policy grants (account ids, or `*`); empty when the call grants none. */
  principals: z.array(z.string()),
  /** The organizations the policy is limited to (PutApplicationPolicy) or unshared from (UnshareApplication). */
  organizationIds: z.array(z.string()),
});
export type Operation = z.infer<typeof OperationSchema>;

export const SeveritySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

export const RiskSchema = z.object({
  /** The highest severity among the reasons; `info` when there is none. */
  severity: SeveritySchema,
  /** Codes of the risk rules that applied, in the order of the rule table. */
  reasons: z.array(z.string()),
});
export type Risk = z.infer<typeof RiskSchema>;

/** What replaces a text field of `detail` longer than the configured limit. */
export const TruncatedTextSchema = z.object({
  sarwatchTruncated: z.literal(true),
  /** The first characters of the original text, up to the limit. */
  prefix: z.string(),
  /** The original length in characters. */
  originalLength: z.number().int(),
  /** SHA-256 of the original text's UTF-8 bytes, lowercase hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type TruncatedText = z.infer<typeof TruncatedTextSchema>;

/**
 * Where sarwatch read the event: `stream`, the live path (EventBridge to Kinesis), or `trail`, the trail's log files
 * in S3 (`sarwatch backfill`, `sarwatch reconcile --repair`). Added in v1 after its first release, so a message
 * without it came from the stream.
 */
export const EventOriginSchema = z.enum(['stream', 'trail']);
export type EventOrigin = z.infer<typeof EventOriginSchema>;

/** The message on `sarwatch.events.v1`. Field names are a contract with subscribers: add, never rename. */
export const EnrichedEventSchema = z.object({
  eventId: z.string(),
  eventTime: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  awsRegion: z.string(),
  recipientAccountId: z.string().nullable(),
  readOnly: z.boolean().nullable(),
  errorCode: z.string().nullable(),
  identity: IdentitySchema,
  source: SourceSchema,
  operation: OperationSchema.nullable(),
  risk: RiskSchema,
  origin: EventOriginSchema.default('stream'),
  /** The original CloudTrail record; text fields over the limit are replaced by a TruncatedText. */
  detail: z.record(z.string(), z.unknown()),
});
export type EnrichedEvent = z.infer<typeof EnrichedEventSchema>;

export const EVENTS_TOPIC_V1 = 'sarwatch.events.v1';
