import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AlertRule,
  type CloudTrailRecord,
  type EnrichedEvent,
  enrich,
  SAMPLE_EVENTS,
} from '@sarwatch/core';
import { createLogger } from '@sarwatch/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ALERT_RULES_FILE, readAlertRulesFile } from './alert-rules-file.js';
import { LiveAlertRules } from './live-alert-rules.js';

const log = createLogger({ name: 'test', level: 'silent', format: 'json' });

/** A SAR write call: PutApplicationPolicy by an IAM user. */
const policyChange = (eventID: string): EnrichedEvent =>
  enrich({ ...(SAMPLE_EVENTS[0]?.event.detail as CloudTrailRecord), eventID });

const rulesFile = (ids: string[]) =>
  JSON.stringify({
    version: 1,
    rules: ids.map((id) => ({
      id,
      title: id,
      severity: 'high',
      why: 'test',
      match: { eventName: ['PutApplicationPolicy'] },
    })),
  });

class RecordingMetrics {
  loaded: string[][] = [];
  rejected = 0;
  rulesLoaded(rules: readonly AlertRule[]) {
    this.loaded.push(rules.map((rule) => rule.id));
  }
  rulesRejected() {
    this.rejected += 1;
  }
}

const firedIds = (rules: LiveAlertRules, eventId: string) =>
  rules.evaluate(policyChange(eventId)).fired.map((alert) => alert.rule.id);

describe('LiveAlertRules', () => {
  let dir: string;
  const madeDirs: string[] = [];
  const makeDir = (prefix: string) => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    madeDirs.push(dir);
    return dir;
  };
  let rules: LiveAlertRules | undefined;
  afterEach(() => {
    rules?.stop();
    for (const made of madeDirs.splice(0)) rmSync(made, { recursive: true, force: true });
  });

  const setUp = async (text: string) => {
    const path = join(makeDir('sarwatch-rules-'), 'rules.json');
    writeFileSync(path, text);
    const metrics = new RecordingMetrics();
    rules = await LiveAlertRules.load(path, log, metrics);
    return { path, metrics, rules };
  };

  it('refuses to start on a bad file, naming the rule and the field', async () => {
    await expect(setUp('{"version":1,"rules":[{"id":"x","severity":"urgent"}]}')).rejects.toThrow(
      /rule "x" \(rules\[0\]\) severity/,
    );
  });

  it('reloads on reload(), and keeps the rules in force when the new file is bad', async () => {
    const { path, metrics, rules } = await setUp(rulesFile(['first']));
    expect(firedIds(rules, 'e1')).toEqual(['first']);
    writeFileSync(path, rulesFile(['second']));
    await rules.reload('SIGHUP');
    expect(firedIds(rules, 'e2')).toEqual(['second']);
    writeFileSync(path, '{"version":1,"rules":[{');
    await rules.reload('SIGHUP');
    expect(firedIds(rules, 'e3')).toEqual(['second']);
    expect(metrics).toMatchObject({ loaded: [['first'], ['second']], rejected: 1 });
  });

  it('refuses a rule naming a field the event lacks, at start and at reload, keeping the rules in force', async () => {
    const typo = JSON.stringify({
      version: 1,
      rules: [{ id: 't', title: 't', severity: 'high', why: 'w', match: { identity: { actr: ['human'] } } }],
    });
    await expect(setUp(typo)).rejects.toThrow(
      /identity\.actr is not a field of the enriched event \(did you mean identity\.actor\?\)/,
    );
    const { path, metrics, rules } = await setUp(rulesFile(['kept']));
    writeFileSync(path, typo);
    await rules.reload('SIGHUP');
    expect(firedIds(rules, 'e4')).toEqual(['kept']);
    expect(metrics.rejected).toBe(1);
  });

  it('reloads by itself when the file is replaced, as editors and config management do', async () => {
    const { path, rules } = await setUp(rulesFile(['before']));
    rules.watch();
    writeFileSync(`${path}.new`, rulesFile(['after']));
    renameSync(`${path}.new`, path);
    await vi.waitFor(() => expect(firedIds(rules, `e-${Date.now()}-${Math.random()}`)).toEqual(['after']), {
      timeout: 5_000,
      interval: 50,
    });
  });

  it('says a refusal again on SIGHUP, but not when another file of the folder changes', async () => {
    const { path, metrics, rules } = await setUp(rulesFile(['kept']));
    rules.watch();
    writeFileSync(path, '{"version":1,"rules":[{');
    await vi.waitFor(() => expect(metrics.rejected).toBe(1), { timeout: 5_000, interval: 50 });
    writeFileSync(join(dir, 'unrelated.txt'), 'x');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(metrics.rejected).toBe(1);
    await rules.reload('SIGHUP');
    expect(metrics.rejected).toBe(2);
  });

  it('follows a mounted Kubernetes ConfigMap, which changes by swapping its ..data link', async () => {
    // The kubelet's layout: rules.json -> ..data/rules.json, ..data -> ..<timestamp>/, replaced atomically.
    makeDir('sarwatch-configmap-');
    const version = (name: string, ids: string[]) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'rules.json'), rulesFile(ids));
    };
    version('..2026_12_05_10_00_00.1', ['mounted-first']);
    symlinkSync('..2026_12_05_10_00_00.1', join(dir, '..data'));
    symlinkSync(join('..data', 'rules.json'), join(dir, 'rules.json'));
    const rules = await LiveAlertRules.load(join(dir, 'rules.json'), log, new RecordingMetrics());
    rules.watch();
    try {
      version('..2026_12_05_10_05_00.2', ['mounted-second']);
      symlinkSync('..2026_12_05_10_05_00.2', join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
      await vi.waitFor(
        () => expect(firedIds(rules, `c-${Date.now()}-${Math.random()}`)).toEqual(['mounted-second']),
        {
          timeout: 5_000,
          interval: 50,
        },
      );
    } finally {
      rules.stop();
    }
  });
});

describe('the default rules file', () => {
  it('is the shipped SAR rule pack, and valid', async () => {
    const loaded = await readAlertRulesFile(DEFAULT_ALERT_RULES_FILE);
    expect(loaded.ok ? loaded.rules.length : loaded.errors).toBeGreaterThan(10);
  });
});
