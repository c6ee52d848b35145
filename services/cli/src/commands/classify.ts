import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  DEFAULT_ENRICH_OPTIONS,
  enrich,
  type ReadRecord,
  type RecordPosition,
  RecordReader,
} from '@sarwatch/core';
import { type Command, EXIT_USAGE } from '../command.js';
import { messageOf, oneLine, openFailure, openInput, unpacked } from '../input/record-input.js';

const PROGRESS_INTERVAL_MS = 250;

export const classifyCommand: Command = {
  name: 'classify',
  help: `Usage: sarwatch classify [FILE|-]

Reads CloudTrail records of Serverless Application Repository calls from FILE, or from stdin when FILE is - or
absent, and writes each one enriched, as one JSON line on stdout, in input order. The input may be bare CloudTrail
records, EventBridge envelopes, a CloudTrail log file from S3 ({"Records": [...]}), a JSON array, or one JSON
document per line; log files and arrays may follow each other in any mix (cat *.json); gzipped input is unpacked. It is read as a stream, in bounded memory, whatever its size.

A record that cannot be read is reported on stderr in one line, with its position and its dead-letter reason,
and the records after it are still classified:
  sarwatch classify: record 17 (line 230): invalid-json: Unexpected end of JSON input
The first 20 of each reason are shown; a last line counts the others. An input with no record at all says so.
On a terminal, stderr also shows progress.

Exit codes: 0 every record was read, 1 some were not, 2 bad usage or a FILE that cannot be opened.
`,
  async run(args) {
    let file: string | undefined;
    try {
      const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
      if (positionals.length > 1) throw new Error(`takes one FILE, got ${positionals.join(' ')}`);
      file = positionals[0];
    } catch (error) {
      process.stderr.write(`sarwatch classify: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    let input: Readable;
    try {
      input = await openInput(file);
    } catch (error) {
      process.stderr.write(`sarwatch classify: cannot read ${file}: ${openFailure(error)}\n`);
      return EXIT_USAGE;
    }
    return classify(input, process.stdout, process.stderr);
  },
};

interface Counts {
  records: number;
  unreadable: number;
  bytesRead: number;
}

/** Lines shown per dead-letter reason; a file of thousands of bad records is summed up rather than printed. */
const LINES_PER_REASON = 20;

/** Says the first few problems of each reason, and counts the rest. */
class ProblemLines {
  private readonly shown = new Map<string, number>();
  private readonly held = new Map<string, number>();

  line(position: RecordPosition, reason: string, message: string): string {
    const shown = this.shown.get(reason) ?? 0;
    if (shown < LINES_PER_REASON) {
      this.shown.set(reason, shown + 1);
      return failureLine(position, reason, message);
    }
    this.held.set(reason, (this.held.get(reason) ?? 0) + 1);
    return '';
  }

  /** The closing line for what was not shown, or nothing. */
  summary(): string {
    if (this.held.size === 0) return '';
    const total = [...this.held.values()].reduce((sum, count) => sum + count, 0);
    const each = [...this.held].map(([reason, count]) => `${reason} ${count}`).join(', ');
    return `sarwatch classify: ${total} more unreadable records not shown (${each})\n`;
  }
}

async function classify(input: Readable, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream) {
  const output = new LineSink(stdout);
  const problems = new LineSink(stderr);
  const progress = stderr.isTTY ? new Progress(stderr) : null;
  const counts: Counts = { records: 0, unreadable: 0, bytesRead: 0 };
  const reader = new RecordReader();
  const lines = new ProblemLines();

  // One write per chunk of input rather than per record: far fewer system calls, and backpressure still holds.
  const handle = async (records: ReadRecord[]) => {
    let events = '';
    let failures = '';
    for (const { position, size, result } of records) {
      counts.records++;
      if (!result.ok) {
        counts.unreadable++;
        failures += lines.line(position, result.reason, result.message);
        continue;
      }
      try {
        const event = enrich(result.record, { ...DEFAULT_ENRICH_OPTIONS, serializedLength: size });
        // Not serializeEvent: reusing a pretty-printed input record's text would put line breaks in a line format.
        events += `${JSON.stringify(event)}\n`;
      } catch (error) {
        counts.unreadable++;
        failures += lines.line(position, 'enrichment-failed', messageOf(error));
      }
    }
    if (failures) {
      progress?.clear();
      await problems.write(failures);
    }
    if (events) await output.write(events);
    progress?.update(counts);
  };

  let readFailure: unknown = null;
  try {
    for await (const chunk of unpacked(input, counts)) {
      await handle(reader.push(chunk));
      if (output.closed) break;
    }
  } catch (error) {
    readFailure = error;
  }
  if (!output.closed) await handle(reader.end());
  progress?.finish(counts);
  const closing = lines.summary();
  if (closing) await problems.write(closing);
  if (counts.records === 0 && readFailure === null) {
    await problems.write('sarwatch classify: the input held no record\n');
  }
  if (readFailure !== null) {
    await problems.write(`sarwatch classify: reading the input failed: ${oneLine(messageOf(readFailure))}\n`);
  }
  if (output.failure !== null) {
    await problems.write(
      `sarwatch classify: writing the output failed: ${oneLine(output.failure.message)}\n`,
    );
  }
  await output.flush();
  return readFailure !== null || output.failure !== null || counts.unreadable > 0 ? 1 : 0;
}

function failureLine(position: RecordPosition, reason: string, message: string): string {
  return `sarwatch classify: record ${position.index} (line ${position.line}): ${reason}: ${oneLine(message)}\n`;
}

/**
 * Writes to stdout or stderr honouring backpressure. When the reader goes away (`| head` closes the pipe) the
 * stream fails with EPIPE: that ends the output quietly, it is not an error worth a stack trace.
 */
class LineSink {
  closed = false;
  failure: Error | null = null;

  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.closed = true;
      if (error.code !== 'EPIPE') this.failure ??= error;
    });
  }

  async write(text: string): Promise<void> {
    if (this.closed || this.stream.write(text) || this.stream.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done).off('close', done).off('error', done);
        resolve();
      };
      this.stream.on('drain', done).on('close', done).on('error', done);
    });
  }

  /** Resolves when everything written has left the process, so that exiting loses nothing. */
  async flush(): Promise<void> {
    if (this.closed || this.stream.destroyed || this.stream.writableLength === 0) return;
    await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
  }
}

/** One line on the terminal, redrawn at most every PROGRESS_INTERVAL_MS; short runs never show it. */
class Progress {
  private lastDrawn = Date.now();
  private shown = false;
  private visible = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(counts: Counts) {
    const now = Date.now();
    if (now - this.lastDrawn < PROGRESS_INTERVAL_MS) return;
    this.lastDrawn = now;
    this.stream.write(`\r\x1b[K${describe(counts)}`);
    this.shown = true;
    this.visible = true;
  }

  /** Makes room for a line of its own, such as an unreadable record. */
  clear() {
    if (!this.visible) return;
    this.stream.write('\r\x1b[K');
    this.visible = false;
  }

  finish(counts: Counts) {
    if (this.shown) this.stream.write(`\r\x1b[K${describe(counts)}\n`);
  }
}

const describe = (counts: Counts) =>
  `sarwatch classify: ${counts.records} records, ${counts.unreadable} unreadable, ` +
  `${(counts.bytesRead / 1e6).toFixed(1)} MB read`;
