import type { Visibility } from '../contract/enriched-event.js';

export interface PolicyReading {
  visibility: Visibility;
  principals: string[];
  organizationIds: string[];
}

/**
 * Who may deploy an application under the policy a PutApplicationPolicy call set. CloudTrail's exact recording of
 * the body is not documented, so this reads what is there: the response's resulting statements when present,
 * else the request's; each statement's `principals` and `principalOrgIDs`, whatever their case.
 *
 * `*` without organization ids is public; `*` limited to organization ids is the organization; account ids alone
 * are those accounts; no statement at all makes the application private again. The widest grant wins.
 */
export function readApplicationPolicy(
  request: Record<string, unknown>,
  response: Record<string, unknown>,
): PolicyReading | null {
  const statements = statementsOf(response) ?? statementsOf(request);
  if (statements === null) return null;
  const principals = new Set<string>();
  const organizationIds = new Set<string>();
  let visibility: Visibility = 'private';
  for (const statement of statements) {
    const grantees = strings(field(statement, 'principals'));
    const orgs = strings(field(statement, 'principalOrgIDs'));
    for (const grantee of grantees) principals.add(grantee);
    for (const org of orgs) organizationIds.add(org);
    visibility = widest(visibility, statementVisibility(grantees, orgs));
  }
  return { visibility, principals: [...principals], organizationIds: [...organizationIds] };
}

const ORDER: readonly Visibility[] = ['private', 'accounts', 'organization', 'public'];
const widest = (a: Visibility, b: Visibility): Visibility => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

function statementVisibility(grantees: string[], orgs: string[]): Visibility {
  if (grantees.includes('*')) return orgs.length > 0 ? 'organization' : 'public';
  return grantees.length > 0 ? 'accounts' : 'private';
}

function statementsOf(container: Record<string, unknown>): Record<string, unknown>[] | null {
  const direct = field(container, 'statements');
  const nested = field(container, 'applicationPolicy') ?? field(container, 'policy');
  const list = Array.isArray(direct) ? direct : isObject(nested) ? field(nested, 'statements') : undefined;
  return Array.isArray(list) ? list.filter(isObject) : null;
}

/** A field by its documented camelCase name, or as an SDK might spell it in PascalCase. */
function field(container: Record<string, unknown>, name: string): unknown {
  return container[name] ?? container[name.charAt(0).toUpperCase() + name.slice(1)];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
