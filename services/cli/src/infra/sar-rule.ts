import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuleState, SARWATCH_DEPLOYMENT_DEFAULTS, validatePattern } from '@sarwatch/core';
import { findRepoRoot } from '@sarwatch/devstack';
import { LocalEventBridge } from '@sarwatch/feeder';

/** The one file the rule's pattern is written in; the template, `sarwatch infra` and the local bus all read it. */
export const defaultPatternFile = () =>
  join(findRepoRoot(), 'infra', 'eventbridge', 'sar-cloudtrail-pattern.json');

/** The pattern file's text, refused with every problem named when EventBridge would refuse it. */
export function readPatternFile(path: string = defaultPatternFile()): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the event pattern ${path}: ${(error as Error).message}`);
  }
  const validation = validatePattern(text);
  if (!validation.ok) {
    throw new Error(`the event pattern in ${path} is not valid: ${validation.errors.join('; ')}`);
  }
  return text;
}

/** Share of generated calls that go to other services, so the local rule visibly keeps them out. */
export const LOCAL_OTHER_SERVICE_RATIO = 0.05;

/** The bus `npm run local` and `sarwatch feed` put events through: sarwatch's deployed rule, on this machine. */
export function localSarRule(state: RuleState, patternFile?: string): LocalEventBridge {
  return new LocalEventBridge({
    pattern: readPatternFile(patternFile),
    state,
    partitionKeyPath: SARWATCH_DEPLOYMENT_DEFAULTS.partitionKeyPath,
  });
}
