import {
  aliceIdentity,
  at,
  consoleSession,
  denial,
  eventFrom,
  refused,
  type Scenario,
  series,
} from './sar-rule-pack.js';

/** For every rule of the pack: events that fire it, and near-misses that must not. */
export const SAR_RULE_PACK_CASES: Record<string, { fires: Scenario[]; misses: Scenario[] }> = {
  'application-made-public': {
    fires: [
      { name: 'a policy granting *', event: eventFrom('sar/put-application-policy-public.json') },
      { name: 'the same from the CLI', event: eventFrom('iam-user-cli-put-application-policy.json') },
    ],
    misses: [
      { name: 'the call refused', event: eventFrom('sar/put-application-policy-public.json', refused) },
      {
        // Enrichment blanks a refused call's visibility today; the rule must not depend on it.
        name: 'a refused call that still says public',
        event: { ...eventFrom('sar/put-application-policy-public.json'), errorCode: 'AccessDenied' },
      },
      {
        name: '* limited to an organization',
        event: eventFrom('sar/put-application-policy-organization.json'),
      },
      { name: 'reading the policy', event: eventFrom('sar/get-application-policy.json') },
    ],
  },
  'application-shared-with-organization': {
    fires: [
      {
        name: 'a policy for an organization',
        event: eventFrom('sar/put-application-policy-organization.json'),
      },
    ],
    misses: [
      {
        name: 'the call refused',
        event: eventFrom('sar/put-application-policy-organization.json', refused),
      },
      { name: 'a public policy', event: eventFrom('sar/put-application-policy-public.json') },
      {
        name: 'accounts that must also be in an organization',
        event: eventFrom('edge/policy-accounts-in-organization.json'),
      },
    ],
  },
  'application-shared-with-untrusted-accounts': {
    fires: [
      {
        name: 'any account while trustedAccounts holds the placeholder',
        event: eventFrom('sar/put-application-policy-accounts.json'),
      },
      {
        name: 'one of two accounts trusted',
        event: eventFrom('sar/put-application-policy-accounts.json'),
        parameters: { trustedAccounts: ['111122223333'] },
      },
      {
        name: 'accounts that must also be in an organization',
        event: eventFrom('edge/policy-accounts-in-organization.json'),
        parameters: { trustedAccounts: ['444455556666'] },
      },
    ],
    misses: [
      {
        name: 'every account trusted',
        event: eventFrom('sar/put-application-policy-accounts.json'),
        parameters: { trustedAccounts: ['111122223333', '444455556666', '999999999999'] },
      },
      { name: 'the call refused', event: eventFrom('sar/put-application-policy-accounts.json', refused) },
      { name: 'an organization share', event: eventFrom('sar/put-application-policy-organization.json') },
      { name: 'a public policy', event: eventFrom('sar/put-application-policy-public.json') },
    ],
  },
  'application-sharing-removed': {
    fires: [
      { name: 'UnshareApplication', event: eventFrom('sar/unshare-application.json') },
      { name: 'a policy with no statement', event: eventFrom('sar/put-application-policy-private.json') },
    ],
    misses: [
      { name: 'UnshareApplication refused', event: eventFrom('sar/unshare-application.json', refused) },
      {
        name: 'an empty policy refused',
        event: eventFrom('sar/put-application-policy-private.json', refused),
      },
      { name: 'a policy that shares', event: eventFrom('sar/put-application-policy-accounts.json') },
    ],
  },
  'application-created': {
    fires: [
      { name: 'CreateApplication', event: eventFrom('sar/create-application.json') },
      { name: 'CreateApplication by root', event: eventFrom('identity/root.json') },
    ],
    misses: [
      { name: 'the call refused', event: eventFrom('sar/create-application.json', refused) },
      { name: 'a new version', event: eventFrom('sar/create-application-version.json') },
    ],
  },
  'application-version-published': {
    fires: [
      {
        name: 'a version of an application whose policy sarwatch has not seen',
        event: eventFrom('sar/create-application-version.json'),
      },
      {
        name: 'a version of an application shared with an organization',
        before: [at(0, eventFrom('sar/put-application-policy-organization.json'))],
        event: eventFrom('sar/create-application-version.json'),
      },
      {
        name: 'a version of an application made public, then private again',
        before: [
          at(0, eventFrom('sar/put-application-policy-public.json')),
          at(1_000, eventFrom('sar/put-application-policy-private.json')),
        ],
        event: eventFrom('sar/create-application-version.json'),
      },
      {
        name: 'a version of another application than the public one',
        before: [at(0, eventFrom('sar/put-application-policy-public.json'))],
        event: eventFrom('edge/github-actions-oidc.json'),
      },
    ],
    misses: [
      {
        name: 'a version of a public application',
        before: [at(0, eventFrom('sar/put-application-policy-public.json'))],
        event: eventFrom('sar/create-application-version.json'),
      },
      { name: 'the call refused', event: eventFrom('sar/create-application-version.json', refused) },
      { name: 'a new application', event: eventFrom('sar/create-application.json') },
    ],
  },
  'public-application-version-published': {
    fires: [
      {
        name: 'a version after a public policy on the same application',
        before: [at(0, eventFrom('sar/put-application-policy-public.json'))],
        event: eventFrom('sar/create-application-version.json'),
      },
      {
        name: 'a version after a public policy and a refused attempt to make it private',
        before: [
          at(0, eventFrom('sar/put-application-policy-public.json')),
          at(1_000, eventFrom('sar/put-application-policy-private.json', refused)),
        ],
        event: eventFrom('sar/create-application-version.json'),
      },
    ],
    misses: [
      {
        name: 'a version of an application whose policy sarwatch has not seen',
        event: eventFrom('sar/create-application-version.json'),
      },
      {
        name: 'a version after a refused public policy',
        before: [at(0, eventFrom('sar/put-application-policy-public.json', refused))],
        event: eventFrom('sar/create-application-version.json'),
      },
      {
        name: 'a version of another application than the public one',
        before: [at(0, eventFrom('sar/put-application-policy-public.json'))],
        event: eventFrom('edge/github-actions-oidc.json'),
      },
      {
        name: 'a version after the application was made private again',
        before: [
          at(0, eventFrom('sar/put-application-policy-public.json')),
          at(1_000, eventFrom('sar/put-application-policy-private.json')),
        ],
        event: eventFrom('sar/create-application-version.json'),
      },
      {
        name: 'a refused version of a public application',
        before: [at(0, eventFrom('sar/put-application-policy-public.json'))],
        event: eventFrom('sar/create-application-version.json', refused),
      },
    ],
  },
  'application-updated': {
    fires: [
      { name: 'UpdateApplication', event: eventFrom('sar/update-application.json') },
      { name: 'UpdateApplication with a long-term key', event: eventFrom('identity/iam-user.json') },
    ],
    misses: [
      { name: 'the call refused', event: eventFrom('sar/update-application.json', refused) },
      { name: 'reading the application', event: eventFrom('sar/get-application.json') },
    ],
  },
  'application-deleted': {
    fires: [
      { name: 'DeleteApplication', event: eventFrom('sar/delete-application.json') },
      {
        name: 'DeleteApplication from another account',
        event: eventFrom('identity-center-cross-account-delete.json'),
      },
    ],
    misses: [
      { name: 'the call refused', event: eventFrom('sar/delete-application.json', refused) },
      { name: 'a policy with no statement', event: eventFrom('sar/put-application-policy-private.json') },
    ],
  },
  'event-not-in-trail': {
    fires: [
      {
        name: 'a call reconcile found on the stream but not in the trail',
        event: eventFrom('sar/create-application.json'),
        told: { reconciliation: 'unexpected' },
      },
      {
        name: 'a refused call that is not in the trail either',
        event: eventFrom('sar/delete-application.json', refused),
        told: { reconciliation: 'unexpected' },
      },
    ],
    misses: [{ name: 'the same call on the live path', event: eventFrom('sar/create-application.json') }],
  },
  'root-activity': {
    fires: [
      { name: 'root creates an application', event: eventFrom('identity/root.json') },
      { name: 'root is refused', event: eventFrom('identity/root.json', refused) },
      {
        name: 'root only reads',
        event: eventFrom('identity/root.json', { eventName: 'ListApplications', readOnly: true }),
      },
    ],
    misses: [
      { name: 'an IAM user creates an application', event: eventFrom('sar/create-application.json') },
      {
        name: 'root signs in to the console',
        event: eventFrom('identity/root.json', {
          eventSource: 'signin.amazonaws.com',
          eventName: 'ConsoleLogin',
        }),
      },
    ],
  },
  'console-without-mfa': {
    fires: [
      { name: "an IAM user's console session", event: eventFrom('edge/iam-user-console-session.json') },
      { name: 'root in the console', event: eventFrom('identity/root.json') },
    ],
    misses: [
      {
        name: 'the same session with MFA',
        event: eventFrom('edge/iam-user-console-session.json', {
          userIdentity: {
            ...consoleSession.userIdentity,
            sessionContext: { attributes: { mfaAuthenticated: 'true' } },
          },
        }),
      },
      { name: 'the call refused', event: eventFrom('edge/iam-user-console-session.json', refused) },
      { name: 'an API call without MFA', event: eventFrom('sar/update-application.json') },
      { name: 'a console sign-in without MFA', event: eventFrom('edge/console-login-mfa-no.json') },
      {
        name: 'a service acting with the session, not the console (AWS Internal)',
        event: eventFrom('edge/iam-user-console-session.json', {
          sessionCredentialFromConsole: undefined,
          userAgent: 'AWS Internal',
          userIdentity: { ...consoleSession.userIdentity, invokedBy: 'AWS Internal' },
        }),
      },
      {
        name: 'an Identity Center console session (its MFA is enforced at Identity Center sign-in)',
        event: eventFrom('edge/identity-center-sso-role.json', { sessionCredentialFromConsole: 'true' }),
      },
    ],
  },
  'cross-account-write': {
    fires: [
      {
        name: 'a deletion from another account',
        event: eventFrom('identity-center-cross-account-delete.json'),
      },
      {
        name: 'a write whose record carries no readOnly flag',
        event: eventFrom('identity-center-cross-account-delete.json', { readOnly: undefined }),
      },
    ],
    misses: [
      {
        name: 'a deployment from another account, which sharing exists for',
        event: eventFrom('edge/cross-account-write.json'),
      },
      { name: 'a read from another account', event: eventFrom('identity/aws-account.json') },
      {
        name: 'a read whose record carries no readOnly flag',
        event: eventFrom('identity/aws-account.json', { readOnly: undefined }),
      },
      { name: 'the call refused', event: eventFrom('edge/cross-account-write.json', refused) },
      { name: 'a write from the same account', event: eventFrom('sar/create-cloudformation-template.json') },
    ],
  },
  'access-denied-burst': {
    fires: [
      {
        name: 'a fifth denial within five minutes',
        before: series(4, denial, 60_000),
        event: denial(),
        atMs: 299_000,
      },
      {
        name: 'denials written as AccessDeniedException and ForbiddenException',
        before: series(4, () => denial({ errorCode: 'AccessDeniedException' }), 1_000),
        event: denial({ errorCode: 'ForbiddenException' }),
      },
    ],
    misses: [
      { name: 'a fourth denial', before: series(3, denial, 1_000), event: denial() },
      {
        name: 'a fifth denial once the first left the window',
        before: series(4, denial, 75_000),
        event: denial(),
        atMs: 300_000,
      },
      {
        name: 'a fifth denial of another principal',
        before: series(4, denial, 1_000),
        event: denial({ userIdentity: aliceIdentity }),
      },
      {
        name: 'a fifth throttled call',
        before: series(4, () => denial({ errorCode: 'ThrottlingException' }), 1_000),
        event: denial({ errorCode: 'ThrottlingException' }),
      },
      {
        name: 'a fifth denial of another service',
        before: series(4, () => denial({ eventSource: 'lambda.amazonaws.com' }), 1_000),
        event: denial({ eventSource: 'lambda.amazonaws.com' }),
      },
    ],
  },
  'unknown-identity-type': {
    fires: [
      { name: 'a type sarwatch does not know', event: eventFrom('edge/unrecognised-type.json') },
      { name: "CloudTrail's own Unknown type", event: eventFrom('identity/unknown.json') },
    ],
    misses: [
      {
        name: 'an AWS service event, which has no type at all',
        event: eventFrom('edge/aws-service-event-no-type.json'),
      },
      { name: 'a known type', event: eventFrom('identity/directory.json') },
      { name: 'the call refused', event: eventFrom('edge/unrecognised-type.json', refused) },
    ],
  },
};
