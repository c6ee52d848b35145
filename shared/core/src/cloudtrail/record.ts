import { z } from 'zod';
import { UserIdentitySchema } from './user-identity.js';

/** Caller-supplied JSON of any shape: we only need to know it is an object. */
const JsonObjectSchema = z.looseObject({});

/**
 * One CloudTrail record. Strict on the fields enrichment relies on (ids, time, source, name, region, identity),
 * tolerant of everything CloudTrail adds over time: unknown fields are kept as they are.
 */
export const CloudTrailRecordSchema = z.looseObject({
  eventVersion: z.string().min(1),
  eventID: z.string().min(1).max(128),
  eventTime: z.iso.datetime({ offset: true }),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  awsRegion: z.string().min(1),
  userIdentity: UserIdentitySchema,
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  requestParameters: JsonObjectSchema.nullish(),
  responseElements: JsonObjectSchema.nullish(),
  additionalEventData: JsonObjectSchema.nullish(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  requestID: z.string().optional(),
  readOnly: z.boolean().optional(),
  eventType: z.string().optional(),
  managementEvent: z.boolean().optional(),
  recipientAccountId: z.string().optional(),
  eventCategory: z.string().optional(),
  sessionCredentialFromConsole: z.union([z.string(), z.boolean()]).optional(),
});
export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;
