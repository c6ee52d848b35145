import { secondsAfter } from './clock.js';
import { mitLicense, readme, samTemplate, templateParameters } from './documents.js';
import { policyStatements } from './policies.js';
import type { Rng } from './prng.js';
import { type Application, applicationArn, semver, type World } from './world.js';

/** Every Serverless Application Repository API action that CloudTrail records (botocore service model). */
export const SAR_OPERATIONS = [
  'CreateApplication',
  'CreateApplicationVersion',
  'UpdateApplication',
  'PutApplicationPolicy',
  'UnshareApplication',
  'DeleteApplication',
  'GetApplication',
  'GetApplicationPolicy',
  'GetCloudFormationTemplate',
  'ListApplications',
  'ListApplicationVersions',
  'ListApplicationDependencies',
  'CreateCloudFormationChangeSet',
  'CreateCloudFormationTemplate',
] as const;
export type SarOperation = (typeof SAR_OPERATIONS)[number];

/** Reads and deployments dominate; publishing is occasional and policy changes and deletes are rare. */
/**
 * Reads and deployments make most of an organisation's SAR traffic; publishing, sharing and deleting are a few
 * calls a day. About 6% of calls here change an application, which keeps alerts to a few in a hundred events.
 */
export const SAR_OPERATION_WEIGHTS: Readonly<Record<SarOperation, number>> = {
  GetApplication: 24,
  ListApplications: 13,
  ListApplicationVersions: 10,
  GetCloudFormationTemplate: 9,
  GetApplicationPolicy: 6,
  ListApplicationDependencies: 6,
  CreateCloudFormationTemplate: 12,
  CreateCloudFormationChangeSet: 11,
  CreateApplicationVersion: 2.5,
  UpdateApplication: 1.5,
  CreateApplication: 0.6,
  PutApplicationPolicy: 1,
  UnshareApplication: 0.2,
  DeleteApplication: 0.2,
};

const READ_ONLY: ReadonlySet<SarOperation> = new Set(SAR_OPERATIONS.filter((op) => /^(Get|List)/.test(op)));

export const isReadOnly = (operation: SarOperation) => READ_ONLY.has(operation);

/** ListApplications lists the caller's own account; every other action names one application. */
export const needsApplication = (operation: SarOperation) => operation !== 'ListApplications';

type Json = Record<string, unknown>;

export interface OperationContext {
  rng: Rng;
  world: World;
  /** Null only for ListApplications. */
  app: Application | null;
  /** Where a deployment's change set and stack live: the caller's account, which may not own the app. */
  callerAccountId: string;
  now: Date;
}

export interface OperationPayload {
  requestParameters: Json | null;
  responseElements: Json | null;
}

/**
 * Request and response bodies in the camelCase CloudTrail records for this service (developer guide sample,
 * logging-using-cloudtrail). Successful Get/List calls carry no response body, as is usual for read events.
 */
export function buildOperation(operation: SarOperation, context: OperationContext): OperationPayload {
  const { rng, world, app, now } = context;
  if (operation === 'ListApplications' || app === null) {
    return {
      requestParameters: rng.chance(0.5) ? { maxItems: rng.pick([10, 50, 100]) } : null,
      responseElements: null,
    };
  }
  const applicationId = applicationArn(app, world.region);
  const semanticVersion = semver(app.version);
  const creationTime = new Date(now.getTime() - rng.int(5, 900)).toISOString();
  switch (operation) {
    case 'CreateApplication': {
      app.version = [1, 0, 0];
      const request = {
        ...describeApplication(app),
        sourceCodeUrl: sourceCodeUrl(app),
        semanticVersion: semver(app.version),
      };
      const withLicense = rng.chance(0.3);
      return {
        requestParameters: {
          ...request,
          templateBody: samTemplate(app, rng),
          readmeBody: readme(app),
          ...(withLicense ? { licenseBody: mitLicense(app, now.getUTCFullYear()) } : {}),
        },
        responseElements: {
          ...applicationResponse(context, applicationId, creationTime),
          version: versionResponse(context, applicationId, creationTime),
        },
      };
    }
    case 'CreateApplicationVersion': {
      app.version = rng.chance(0.8)
        ? [app.version[0], app.version[1], app.version[2] + 1]
        : [app.version[0], app.version[1] + 1, 0];
      const request = {
        applicationId,
        semanticVersion: semver(app.version),
        sourceCodeUrl: sourceCodeUrl(app),
      };
      return {
        requestParameters: { ...request, templateBody: samTemplate(app, rng) },
        responseElements: versionResponse(context, applicationId, creationTime),
      };
    }
    case 'UpdateApplication':
      return {
        requestParameters: {
          applicationId,
          description: app.description,
          ...(rng.chance(0.5)
            ? { readmeBody: readme(app), labels: app.labels }
            : { homePageUrl: homePage(app) }),
        },
        responseElements: {
          ...applicationResponse(context, applicationId, creationTime),
          version: versionResponse(context, applicationId, creationTime),
        },
      };
    case 'PutApplicationPolicy': {
      const statements = policyStatements(rng, world, app.owner.id);
      return {
        requestParameters: { applicationId, statements },
        responseElements: { applicationId, statements },
      };
    }
    case 'UnshareApplication':
      return {
        requestParameters: { applicationId, organizationId: world.organizationId },
        responseElements: null,
      };
    case 'DeleteApplication':
    case 'GetApplicationPolicy':
      return { requestParameters: { applicationId }, responseElements: null };
    case 'GetApplication':
      return {
        requestParameters: { applicationId, ...(rng.chance(0.4) ? { semanticVersion } : {}) },
        responseElements: null,
      };
    case 'GetCloudFormationTemplate':
      return { requestParameters: { applicationId, templateId: rng.uuid() }, responseElements: null };
    case 'ListApplicationVersions':
      return {
        requestParameters: { applicationId, maxItems: rng.pick([10, 50, 100]) },
        responseElements: null,
      };
    case 'ListApplicationDependencies':
      return { requestParameters: { applicationId, semanticVersion }, responseElements: null };
    case 'CreateCloudFormationChangeSet':
      return changeSet(context, applicationId, semanticVersion);
    case 'CreateCloudFormationTemplate': {
      const templateId = rng.uuid();
      return {
        requestParameters: { applicationId, semanticVersion },
        responseElements: {
          applicationId,
          creationTime,
          // SAR keeps a prepared template for six hours.
          expirationTime: secondsAfter(now, 6 * 3600).toISOString(),
          semanticVersion,
          status: 'PREPARING',
          templateId,
          templateUrl: `${bucketUrl(context)}/${app.owner.id}/${app.name}/${semanticVersion}/${templateId}/template.yaml`,
        },
      };
    }
  }
}

function changeSet(
  context: OperationContext,
  applicationId: string,
  semanticVersion: string,
): OperationPayload {
  const { rng, world, app, callerAccountId } = context;
  const name = app?.name ?? 'application';
  const stackName = `serverlessrepo-${name}`;
  const changeSetName = `${stackName}-${rng.int(1_000_000, 9_999_999)}`;
  const cfn = `arn:aws:cloudformation:${world.region}:${callerAccountId}`;
  const overrides = app ? templateParameters(app).slice(0, 2) : [];
  return {
    requestParameters: {
      applicationId,
      semanticVersion,
      stackName,
      changeSetName,
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_RESOURCE_POLICY'],
      parameterOverrides: overrides.map((p) => ({
        name: p.name,
        value: p.type === 'Number' ? '30' : 'INFO',
      })),
    },
    responseElements: {
      applicationId,
      changeSetId: `${cfn}:changeSet/${changeSetName}/${rng.uuid()}`,
      semanticVersion,
      stackId: `${cfn}:stack/${stackName}/${rng.uuid()}`,
    },
  };
}

const homePage = (app: Application) =>
  `https://github.com/example-${app.owner.team.split(' ')[0]?.toLowerCase()}/${app.name}`;
const sourceCodeUrl = (app: Application) => `${homePage(app)}/tree/v${semver(app.version)}`;

// Real responses hold presigned S3 URLs several hundred characters long; a plain object URL keeps record sizes
// in the range the brief sets without changing anything a consumer reads.
const bucketUrl = (context: OperationContext) =>
  `https://awsserverlessrepo-changesets-${context.world.region}.s3.amazonaws.com`;

function describeApplication(app: Application): Json {
  return {
    name: app.name,
    author: app.owner.team,
    description: app.description,
    homePageUrl: homePage(app),
    spdxLicenseId: 'MIT',
    labels: app.labels,
  };
}

function applicationResponse(context: OperationContext, applicationId: string, creationTime: string): Json {
  const app = context.app as Application;
  const base = `${bucketUrl(context)}/${app.owner.id}/${app.name}`;
  return {
    applicationId,
    ...describeApplication(app),
    creationTime,
    licenseUrl: `${base}/LICENSE`,
    readmeUrl: `${base}/README.md`,
  };
}

function versionResponse(context: OperationContext, applicationId: string, creationTime: string): Json {
  const app = context.app as Application;
  const semanticVersion = semver(app.version);
  return {
    applicationId,
    semanticVersion,
    sourceCodeUrl: sourceCodeUrl(app),
    templateUrl: `${bucketUrl(context)}/${app.owner.id}/${app.name}/${semanticVersion}/template.yaml`,
    creationTime,
    parameterDefinitions: templateParameters(app),
    requiredCapabilities: ['CAPABILITY_IAM'],
    resourcesSupported: true,
  };
}
