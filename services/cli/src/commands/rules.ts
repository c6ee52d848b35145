import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  AlertEngine,
  DEFAULT_ENRICH_OPTIONS,
  enrich,
  type ReadRecord,
  RecordReader,
  toAlert,
} from '@sarwatch/core';
import { DEFAULT_ALERT_RULES_FILE, readAlertRulesFile } from '@sarwatch/enricher';
import { type Command, EXIT_USAGE } from '../command.js';
import { messageOf, oneLine, openFailure, openInput, unpacked } from '../input/record-input.js';

const EXIT_INVALID_RULES = 1;

export const rulesCommand: Command = {
  name: 'rules',
  help: `Usage: sarwatch rules check [RULES_FILE]
       sarwatch rules test [--json] RULES_FILE EVENTS_FILE|-

check  Says whether RULES_FILE (default: the SAR rule pack, ${DEFAULT_ALERT_RULES_FILE})
       is a valid rules file, listing every problem with its rule and field.
test   Enriches the CloudTrail records of EVENTS_FILE (any input 'sarwatch classify' reads) and runs them
       through the rules in order, on CloudTrail's clock, as the enricher does: thresholds, dedup keys and
       suppression windows apply. Prints one line per alert, then how often each rule fired. With --json,
       prints each alert as it would be published on sarwatch.alerts.v1, one per line.

The rules file format and the default SAR rule pack: docs/alerts.md.

Exit codes: 0 valid (and every record read), 1 invalid rules file or unreadable records, 2 bad usage or a file
that cannot be opened.
`,
  async run(args) {
    let parsed: { positionals: string[]; json: boolean };
    try {
      const { positionals, values } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean', default: false } },
      });
      parsed = { positionals, json: values.json };
    } catch (error) {
      return usage((error as Error).message);
    }
    const [action, ...files] = parsed.positionals;
    if (action === 'check' && files.length <= 1 && !parsed.json)
      return check(files[0] ?? DEFAULT_ALERT_RULES_FILE);
    if (action === 'test' && files.length === 2)
      return test(files[0] as string, files[1] as string, parsed.json);
    return usage(action === undefined ? 'check or test?' : `unexpected arguments: ${args.join(' ')}`);
  },
};

function usage(problem: string): number {
  process.stderr.write(`sarwatch rules: ${problem}\nRun 'sarwatch rules --help' for usage.\n`);
  return EXIT_USAGE;
}

async function check(rulesFile: string): Promise<number> {
  const loaded = await readAlertRulesFile(rulesFile);
  if (!loaded.ok) return reportInvalid(rulesFile, loaded.errors);
  const enabled = loaded.rules.filter((rule) => rule.enabled).length;
  process.stdout.write(`${rulesFile}: ${loaded.rules.length} rules, ${enabled} enabled, valid\n`);
  return 0;
}

function reportInvalid(rulesFile: string, errors: string[]): number {
  process.stderr.write(`sarwatch rules: ${rulesFile} is not a valid rules file:\n  ${errors.join('\n  ')}\n`);
  return EXIT_INVALID_RULES;
}

async function test(rulesFile: string, eventsFile: string, json: boolean): Promise<number> {
  const loaded = await readAlertRulesFile(rulesFile);
  if (!loaded.ok) return reportInvalid(rulesFile, loaded.errors);
  let input: Readable;
  try {
    input = await openInput(eventsFile);
  } catch (error) {
    process.stderr.write(`sarwatch rules: cannot read ${eventsFile}: ${openFailure(error)}\n`);
    return EXIT_USAGE;
  }
  const engine = new AlertEngine(loaded.rules);
  const fired = new Map(loaded.rules.filter((rule) => rule.enabled).map((rule) => [rule.id, 0]));
  const counts = { records: 0, unreadable: 0, alerts: 0, suppressed: 0 };
  const evaluate = ({ position, size, result }: ReadRecord) => {
    counts.records += 1;
    if (!result.ok) {
      counts.unreadable += 1;
      process.stderr.write(
        `sarwatch rules: record ${position.index} (line ${position.line}): ${result.reason}: ${oneLine(result.message)}\n`,
      );
      return;
    }
    try {
      const event = enrich(result.record, { ...DEFAULT_ENRICH_OPTIONS, serializedLength: size });
      const atMs = Date.parse(event.eventTime);
      const outcome = engine.evaluate(event, Number.isNaN(atMs) ? 0 : atMs);
      counts.suppressed += outcome.suppressed;
      for (const alert of outcome.fired.map((one) => toAlert(one, new Date()))) {
        counts.alerts += 1;
        fired.set(alert.ruleId, (fired.get(alert.ruleId) ?? 0) + 1);
        process.stdout.write(
          json
            ? `${JSON.stringify(alert)}\n`
            : `${alert.event.eventTime}  ${alert.ruleId}  ${alert.severity}  ${alert.summary}  (events: ${alert.eventIds.join(', ')})\n`,
        );
      }
    } catch (error) {
      counts.unreadable += 1;
      process.stderr.write(
        `sarwatch rules: record ${position.index} (line ${position.line}): enrichment-failed: ${oneLine(messageOf(error))}\n`,
      );
    }
  };
  const reader = new RecordReader();
  try {
    for await (const chunk of unpacked(input, { bytesRead: 0 })) reader.push(chunk).forEach(evaluate);
    reader.end().forEach(evaluate);
  } catch (error) {
    process.stderr.write(`sarwatch rules: reading ${eventsFile} failed: ${oneLine(messageOf(error))}\n`);
    return EXIT_INVALID_RULES;
  }
  // The tally goes to stderr with --json, so stdout stays one alert per line.
  const tally = json ? process.stderr : process.stdout;
  const width = Math.max(4, ...[...fired.keys()].map((id) => id.length));
  tally.write(`\n${'rule'.padEnd(width)}  alerts\n`);
  for (const [id, count] of fired) tally.write(`${id.padEnd(width)}  ${count}\n`);
  tally.write(
    `${counts.records} records, ${counts.unreadable} unreadable; ${counts.alerts} alerts from ` +
      `${[...fired.values()].filter((count) => count > 0).length} of ${fired.size} rules; ` +
      `${counts.suppressed} matches suppressed\n`,
  );
  return counts.unreadable > 0 ? 1 : 0;
}
