import type { CloudTrailRecord } from '../cloudtrail/record.js';
import type { Operation, OperationCategory } from '../contract/enriched-event.js';
import { readApplicationPolicy } from './application-policy.js';

export const SAR_EVENT_SOURCE = 'serverlessrepo.amazonaws.com';

// A Map, not an object literal: event names are untrusted input, and `toString` must not find Object's method.
const CATEGORY_BY_EVENT_NAME: ReadonlyMap<string, OperationCategory> = new Map(
  Object.entries({
    CreateApplication: 'publish',
    CreateApplicationVersion: 'publish',
    UpdateApplication: 'update',
    PutApplicationPolicy: 'share',
    UnshareApplication: 'unshare',
    DeleteApplication: 'delete',
    GetApplication: 'read',
    GetApplicationPolicy: 'read',
    GetCloudFormationTemplate: 'read',
    ListApplications: 'read',
    ListApplicationVersions: 'read',
    ListApplicationDependencies: 'read',
    SearchApplications: 'read',
    CreateCloudFormationChangeSet: 'deploy',
    CreateCloudFormationTemplate: 'deploy',
  } satisfies Record<string, OperationCategory>),
);

/** Whether `eventName` is a Serverless Application Repository API call we know: a bounded set, fit for a label. */
export const isKnownSarEventName = (eventName: string): boolean => CATEGORY_BY_EVENT_NAME.has(eventName);

// arn:aws:serverlessrepo:<region>:<account>:applications/<name>
const APPLICATION_ARN = /^arn:aws[\w-]*:serverlessrepo:[\w-]+:\d{12}:applications\/([^/]+)$/;

/** What a Serverless Application Repository call did and to which application; null for other services. */
export function classifySarOperation(record: CloudTrailRecord): Operation | null {
  if (record.eventSource !== SAR_EVENT_SOURCE) return null;
  const request = record.requestParameters ?? {};
  const response = record.responseElements ?? {};
  const applicationId = text(request.applicationId) ?? text(response.applicationId);
  const version = typeof response.version === 'object' && response.version !== null ? response.version : {};
  const policy =
    record.eventName === 'PutApplicationPolicy' ? readApplicationPolicy(request, response) : null;
  const unsharedFrom = record.eventName === 'UnshareApplication' ? text(request.organizationId) : null;
  return {
    category:
      policy?.visibility === 'private'
        ? 'unshare'
        : (CATEGORY_BY_EVENT_NAME.get(record.eventName) ?? 'other'),
    applicationId,
    applicationName: text(request.name) ?? text(response.name) ?? applicationNameFromArn(applicationId),
    semanticVersion:
      text(request.semanticVersion) ??
      text(response.semanticVersion) ??
      text((version as Record<string, unknown>).semanticVersion),
    // A failed call changed nothing: what it tried to grant stays visible in principals, but not as a visibility.
    visibility: record.errorCode === undefined ? (policy?.visibility ?? null) : null,
    principals: policy?.principals ?? [],
    organizationIds: policy?.organizationIds ?? (unsharedFrom ? [unsharedFrom] : []),
  };
}

export function applicationNameFromArn(applicationId: string | null): string | null {
  if (applicationId === null) return null;
  return APPLICATION_ARN.exec(applicationId)?.[1] ?? null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
