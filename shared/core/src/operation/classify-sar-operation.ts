import type { CloudTrailRecord } from '../cloudtrail/record.js';
import type { Operation, OperationCategory } from '../contract/enriched-event.js';

export const SAR_EVENT_SOURCE = 'serverlessrepo.amazonaws.com';

const CATEGORY_BY_EVENT_NAME: Readonly<Record<string, OperationCategory>> = {
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
};

// arn:aws:serverlessrepo:<region>:<account>:applications/<name>
const APPLICATION_ARN = /^arn:aws[\w-]*:serverlessrepo:[\w-]+:\d{12}:applications\/([^/]+)$/;

/** What a Serverless Application Repository call did and to which application; null for other services. */
export function classifySarOperation(record: CloudTrailRecord): Operation | null {
  if (record.eventSource !== SAR_EVENT_SOURCE) return null;
  const request = record.requestParameters ?? {};
  const response = record.responseElements ?? {};
  const applicationId = text(request.applicationId) ?? text(response.applicationId);
  const version = typeof response.version === 'object' && response.version !== null ? response.version : {};
  return {
    category: categoryOf(record.eventName, request),
    applicationId,
    applicationName: text(request.name) ?? text(response.name) ?? applicationNameFromArn(applicationId),
    semanticVersion:
      text(request.semanticVersion) ??
      text(response.semanticVersion) ??
      text((version as Record<string, unknown>).semanticVersion),
  };
}

function categoryOf(eventName: string, request: Record<string, unknown>): OperationCategory {
  const category = CATEGORY_BY_EVENT_NAME[eventName] ?? 'other';
  // A policy with no statements takes every grant away: the application is private again.
  if (category === 'share' && Array.isArray(request.statements) && request.statements.length === 0) {
    return 'unshare';
  }
  return category;
}

export function applicationNameFromArn(applicationId: string | null): string | null {
  if (applicationId === null) return null;
  return APPLICATION_ARN.exec(applicationId)?.[1] ?? null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
