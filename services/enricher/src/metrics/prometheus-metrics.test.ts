import { describe, expect, it } from 'vitest';
import type { PublishedEventSummary } from '../ports.js';
import { PrometheusMetrics } from './prometheus-metrics.js';

const event = (eventName: string, actor: string): PublishedEventSummary => ({
  eventName,
  identityType: 'IAMUser',
  actor,
  severity: 'info',
  eventTime: '2026-12-07T02:00:00Z',
});

describe('the events published, by series', () => {
  it('counts each event of a page in its own series, unknown event names as other', async () => {
    const metrics = new PrometheusMetrics();
    const page = {
      records: 5,
      events: [
        event('GetApplication', 'human'),
        event('GetApplication', 'workload'),
        event('GetApplication', 'human'),
        event('NotASarCall', 'human'),
        event('AlsoNotOne', 'human'),
      ],
      deadLetters: new Map(),
      duplicates: 0,
      alerts: [],
      alertsSuppressed: 0,
      transactionSeconds: 0.01,
      rememberedIdBytes: 0,
    };
    metrics.pageCommitted('shardId-000000000000', page);
    metrics.pageCommitted('shardId-000000000001', { ...page, events: page.events.slice(0, 1) });
    const counted = (await metrics.registry.getSingleMetric('sarwatch_events_published_total')?.get())
      ?.values;
    const byName = (counted ?? []).map(({ labels, value }) => [labels.event_name, labels.actor, value]);
    expect(byName).toEqual(
      expect.arrayContaining([
        ['GetApplication', 'human', 3],
        ['GetApplication', 'workload', 1],
        ['other', 'human', 2],
      ]),
    );
    expect(byName).toHaveLength(3);
    expect(metrics.snapshot().eventsPublished).toBe(6);
  });
});
