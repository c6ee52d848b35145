import type { Identity, Operation, Risk, Severity } from '../contract/enriched-event.js';

/** What the risk rules look at: the facts enrichment has already derived. */
export interface RiskFacts {
  eventName: string;
  readOnly: boolean | null;
  errorCode: string | null;
  identity: Identity;
  operation: Operation | null;
}

interface RiskRule {
  code: string;
  severity: Severity;
  applies(facts: RiskFacts): boolean;
}

const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const ACCESS_DENIED = /AccessDenied|Unauthorized|Forbidden/i;

// CloudTrail marks reads; when it does not say, the name tells (Get*, List*, Describe*, Search*).
// Identity Center enforces MFA at its own sign-in; CloudTrail then reports the role session as without MFA.
const IDENTITY_CENTER_ROLE = '/aws-reserved/sso.amazonaws.com/';
const isIdentityCenter = ({ identity }: RiskFacts) =>
  identity.type === 'IdentityCenterUser' || (identity.principalArn?.includes(IDENTITY_CENTER_ROLE) ?? false);

const isWrite = (f: RiskFacts) =>
  f.readOnly === null ? !/^(Get|List|Describe|Search)/.test(f.eventName) : !f.readOnly;
const succeeded = (f: RiskFacts) => f.errorCode === null;
const category = (f: RiskFacts) => (succeeded(f) ? f.operation?.category : undefined);

/**
 * Each rule names one reason to look at an event; an event's severity is the highest among the rules that apply.
 * The codes are part of the contract: keep the table in docs/events-v1.md in step with this list.
 */
export const RISK_RULES: readonly RiskRule[] = [
  {
    code: 'made-public',
    severity: 'critical',
    applies: (f) => succeeded(f) && f.operation?.visibility === 'public',
  },
  { code: 'root-activity', severity: 'high', applies: (f) => f.identity.type === 'Root' },
  { code: 'application-deleted', severity: 'high', applies: (f) => category(f) === 'delete' },
  { code: 'cross-account-write', severity: 'high', applies: (f) => f.identity.crossAccount && isWrite(f) },
  {
    code: 'shared-with-organization',
    severity: 'medium',
    applies: (f) => succeeded(f) && f.operation?.visibility === 'organization',
  },
  {
    code: 'shared-with-accounts',
    severity: 'medium',
    applies: (f) => succeeded(f) && f.operation?.visibility === 'accounts',
  },
  {
    code: 'no-mfa-console',
    severity: 'medium',
    applies: (f) => f.identity.viaConsole && f.identity.mfaAuthenticated === false && !isIdentityCenter(f),
  },
  {
    code: 'access-denied',
    severity: 'medium',
    applies: (f) => f.errorCode !== null && ACCESS_DENIED.test(f.errorCode),
  },
  {
    code: 'unknown-identity',
    severity: 'medium',
    applies: (f) => f.identity.type === 'Unknown' && f.identity.rawType !== null,
  },
  { code: 'application-published', severity: 'low', applies: (f) => category(f) === 'publish' },
  { code: 'application-updated', severity: 'low', applies: (f) => category(f) === 'update' },
  { code: 'sharing-removed', severity: 'low', applies: (f) => category(f) === 'unshare' },
  {
    code: 'long-term-key-write',
    severity: 'low',
    applies: (f) => f.identity.credential === 'long-term' && isWrite(f),
  },
];

export function assessRisk(facts: RiskFacts): Risk {
  const reasons: string[] = [];
  let severity: Severity = 'info';
  for (const rule of RISK_RULES) {
    if (!rule.applies(facts)) continue;
    reasons.push(rule.code);
    if (SEVERITY_ORDER.indexOf(rule.severity) > SEVERITY_ORDER.indexOf(severity)) severity = rule.severity;
  }
  return { severity, reasons };
}
