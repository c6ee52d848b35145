import type { Rng } from './prng.js';
import type { World } from './world.js';

/**
 * PutApplicationPolicy bodies, one per sharing outcome the enricher must tell apart (developer guide,
 * security_iam_resource-based-policy-examples): public is `principals ["*"]` without `principalOrgIDs`;
 * organization-wide is `["*"]` with `principalOrgIDs`; named accounts; and no statements at all, which makes
 * the application private again.
 */
export const POLICY_KINDS = ['public', 'organization', 'accounts', 'private'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export interface PolicyStatement {
  statementId: string;
  principals: string[];
  actions: string[];
  principalOrgIDs?: string[];
}

const POLICY_KIND_WEIGHTS: readonly (readonly [PolicyKind, number])[] = [
  ['organization', 4],
  ['accounts', 3],
  ['public', 2],
  ['private', 1],
];

const DEPLOY_ACTIONS = ['GetApplication', 'CreateCloudFormationChangeSet', 'CreateCloudFormationTemplate'];

export function policyStatements(rng: Rng, world: World, ownerId: string): PolicyStatement[] {
  const kind = rng.weighted(POLICY_KIND_WEIGHTS);
  const statementId = `${kind}-${rng.chars('0123456789abcdef', 8)}`;
  switch (kind) {
    case 'public':
      return [{ statementId, principals: ['*'], actions: ['Deploy'] }];
    case 'organization':
      return [
        {
          statementId,
          principals: ['*'],
          principalOrgIDs: [world.organizationId],
          actions: rng.chance(0.3) ? ['Deploy', 'UnshareApplication'] : ['Deploy'],
        },
      ];
    case 'accounts': {
      const others = [...world.publishers, world.outsider].map((a) => a.id).filter((id) => id !== ownerId);
      const chosen = rng.chance(0.5) ? others : [rng.pick(others)];
      return [{ statementId, principals: chosen, actions: rng.chance(0.5) ? ['Deploy'] : DEPLOY_ACTIONS }];
    }
    case 'private':
      return [];
  }
}
