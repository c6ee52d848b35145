import { type EventBridgeClient, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { compilePattern, createRuleDelivery, RuleStateSchema, SAMPLE_EVENTS } from '@sarwatch/core';

export interface SampleVerdict {
  name: string;
  shouldMatch: boolean;
  /** sarwatch's pattern engine, the one the local EventBridge uses. */
  engineMatches: boolean;
  /** EventBridge's own TestEventPattern, or why it gave no answer. */
  eventBridge: { matches: boolean } | { unavailable: string };
  /** Whether the rule, in its current state, would put the event into the stream. */
  delivered: boolean;
  ok: boolean;
}

/**
 * Puts sample events through the rule's pattern twice, with EventBridge's TestEventPattern and with sarwatch's
 * engine, and says for each whether the rule in `state` delivers it. An endpoint that does not implement
 * TestEventPattern (moto does not) is reported as such, never counted as a pass or a failure.
 */
export async function verifySamples(
  eventBridge: EventBridgeClient,
  pattern: string,
  state: string,
): Promise<SampleVerdict[]> {
  const compiled = compilePattern(pattern);
  // A state this version does not know delivers nothing, as far as it can tell.
  const knownState = RuleStateSchema.safeParse(state);
  const deliver = createRuleDelivery({ pattern, state: knownState.success ? knownState.data : 'DISABLED' });
  const verdicts: SampleVerdict[] = [];
  for (const sample of SAMPLE_EVENTS) {
    const engineMatches = compiled.matches(sample.event);
    const answer = await testEventPattern(eventBridge, pattern, JSON.stringify(sample.event));
    verdicts.push({
      name: sample.name,
      shouldMatch: sample.shouldMatch,
      engineMatches,
      eventBridge: answer,
      delivered: deliver(sample.event).delivered,
      ok:
        engineMatches === sample.shouldMatch &&
        (!('matches' in answer) || answer.matches === sample.shouldMatch),
    });
  }
  return verdicts;
}

async function testEventPattern(
  eventBridge: EventBridgeClient,
  pattern: string,
  event: string,
): Promise<SampleVerdict['eventBridge']> {
  try {
    const result = await eventBridge.send(
      new TestEventPatternCommand({ EventPattern: pattern, Event: event }),
    );
    return result.Result === undefined
      ? { unavailable: 'answered without a Result' }
      : { matches: result.Result };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // A server error or an unknown operation is the endpoint's gap; a refused pattern or event is ours to see.
    if (status !== undefined && (status >= 500 || status === 404 || status === 501)) {
      return { unavailable: `${(error as Error).name} (HTTP ${status})` };
    }
    throw error;
  }
}
