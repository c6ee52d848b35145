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
export const SourceSchema = z.object({
  ipAddress: z.string().nullable(),
  kind: SourceKindSchema,
  userAgent: z.string().nullable(),
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

export const OperationSchema = z.object({
  category: OperationCategorySchema,
  applicationId: z.string().nullable(),
  applicationName: z.string().nullable(),
  semanticVersion: z.string().nullable(),
});
export type Operation = z.infer<typeof OperationSchema>;

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
  detail: z.record(z.string(), z.unknown()),
});
export type EnrichedEvent = z.infer<typeof EnrichedEventSchema>;

export const EVENTS_TOPIC_V1 = 'sarwatch.events.v1';
