import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';
import { AlertEngine, type AlertOutcome, type AlertRule, type EnrichedEvent } from '@sarwatch/core';
import type { Logger } from '@sarwatch/runtime';
import { EnricherError } from '../errors.js';
import type { Alerting } from '../pipeline/record-processor.js';
import { readAlertRulesFile } from './alert-rules-file.js';

export interface AlertRulesMetrics {
  rulesLoaded(rules: readonly AlertRule[]): void;
  rulesRejected(): void;
}

/** Editors write a file in several steps; one reload after they settle. */
const SETTLE_MS = 250;
const FILE_CHANGED = 'file changed';

/**
 * The alert rules in force, taken from a file and replaced when it changes or on reload(). Swapping happens between
 * two events, never during one, so no event is evaluated against half a rule set or skipped. A file that does not
 * parse leaves the rules in force as they are, and says why in the log.
 *
 * A new rule set starts its thresholds, suppression windows and known application visibility afresh.
 */
export class LiveAlertRules implements Alerting {
  private watcher: FSWatcher | null = null;
  private settle: NodeJS.Timeout | null = null;
  private reloading: Promise<void> = Promise.resolve();
  private rejectedText: string | null = null;

  private constructor(
    private readonly path: string,
    private engine: AlertEngine,
    private loadedText: string,
    private readonly log: Logger,
    private readonly metrics: AlertRulesMetrics,
  ) {}

  /** Loads the file; a bad file at start is the operator's to fix, so its errors are thrown. */
  static async load(path: string, log: Logger, metrics: AlertRulesMetrics): Promise<LiveAlertRules> {
    const loaded = await readAlertRulesFile(path);
    if (!loaded.ok) {
      throw new EnricherError(
        'ALERT_RULES_INVALID',
        `the alert rules in ${path} are not valid:\n  ${loaded.errors.join('\n  ')}`,
      );
    }
    metrics.rulesLoaded(loaded.rules);
    log.info({ path, rules: loaded.rules.length }, 'alert rules loaded');
    return new LiveAlertRules(path, new AlertEngine(loaded.rules), loaded.text, log, metrics);
  }

  evaluate(event: EnrichedEvent): AlertOutcome {
    // Windows run on CloudTrail's clock, so a replay or a lagging shard sees the bursts that really happened.
    const at = Date.parse(event.eventTime);
    return this.engine.evaluate(event, Number.isNaN(at) ? Date.now() : at);
  }

  /**
   * Reloads whenever the file is written, renamed over or recreated, or the folder's links are swapped: a mounted
   * Kubernetes ConfigMap changes by replacing its `..data` link, and no event then names the file. Any change in
   * the folder reads the file again; one whose text is what was last read does nothing.
   */
  watch(): void {
    this.watcher = watch(dirname(this.path), () => {
      if (this.settle) clearTimeout(this.settle);
      this.settle = setTimeout(() => void this.reload(FILE_CHANGED), SETTLE_MS);
    });
    this.watcher.on('error', (error) =>
      this.log.warn(
        { err: error, path: this.path },
        'cannot watch the alert rules file; SIGHUP still reloads',
      ),
    );
  }

  /** Reads the file again; reloads run one at a time, in the order asked. */
  reload(why: string): Promise<void> {
    this.reloading = this.reloading.then(() => this.reloadNow(why));
    return this.reloading;
  }

  stop(): void {
    this.watcher?.close();
    if (this.settle) clearTimeout(this.settle);
  }

  private async reloadNow(why: string): Promise<void> {
    const loaded = await readAlertRulesFile(this.path);
    if (loaded.text !== null && loaded.text === this.loadedText) return;
    // Other files of the folder changing must not repeat a refusal already said; a SIGHUP asks, and is answered.
    if (why === FILE_CHANGED && loaded.text !== null && loaded.text === this.rejectedText) return;
    if (!loaded.ok) {
      this.rejectedText = loaded.text;
      this.metrics.rulesRejected();
      this.log.error(
        { path: this.path, why, errors: loaded.errors },
        'alert rules file rejected; the rules in force stay as they are',
      );
      return;
    }
    this.engine = new AlertEngine(loaded.rules);
    this.loadedText = loaded.text;
    this.metrics.rulesLoaded(loaded.rules);
    this.log.info({ path: this.path, why, rules: loaded.rules.length }, 'alert rules reloaded');
  }
}
