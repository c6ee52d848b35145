import { z } from 'zod';

/**
 * CloudTrail `userIdentity`. Every field is optional in real data (AwsServiceEvent records carry no `type`),
 * so the schema only insists on the types of the fields we read; unknown fields pass through untouched.
 */
export const SessionIssuerSchema = z.looseObject({
  type: z.string().optional(),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  userName: z.string().optional(),
});
export type SessionIssuer = z.infer<typeof SessionIssuerSchema>;

export const SessionContextSchema = z.looseObject({
  sessionIssuer: SessionIssuerSchema.optional(),
  webIdFederationData: z
    .looseObject({
      federatedProvider: z.string().optional(),
      attributes: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  attributes: z
    .looseObject({
      creationDate: z.string().optional(),
      // CloudTrail writes the string "true"/"false"; a boolean is tolerated because some relays re-type it.
      mfaAuthenticated: z.union([z.string(), z.boolean()]).optional(),
    })
    .optional(),
  sourceIdentity: z.string().optional(),
  ec2RoleDelivery: z.string().optional(),
});
export type SessionContext = z.infer<typeof SessionContextSchema>;

export const UserIdentitySchema = z.looseObject({
  type: z.string().optional(),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  accessKeyId: z.string().optional(),
  userName: z.string().optional(),
  sessionContext: SessionContextSchema.optional(),
  invokedBy: z.string().optional(),
  identityProvider: z.string().optional(),
  onBehalfOf: z
    .looseObject({ userId: z.string().optional(), identityStoreArn: z.string().optional() })
    .optional(),
});
export type UserIdentity = z.infer<typeof UserIdentitySchema>;
