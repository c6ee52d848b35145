import { readFileSync } from 'node:fs';
import { type Command, EXIT_USAGE, wantsHelp } from './command.js';
import { backfillCommand } from './commands/backfill.js';
import { classifyCommand } from './commands/classify.js';
import { feedCommand } from './commands/feed.js';
import { infraCommand } from './commands/infra.js';
import { localCommand } from './commands/local.js';
import { notifyCommand } from './commands/notify.js';
import { reconcileCommand } from './commands/reconcile.js';
import { rulesCommand } from './commands/rules.js';
import { runCommand } from './commands/run.js';
import { tailCommand } from './commands/tail.js';

const COMMANDS: readonly Command[] = [
  runCommand,
  notifyCommand,
  localCommand,
  feedCommand,
  tailCommand,
  backfillCommand,
  reconcileCommand,
  classifyCommand,
  rulesCommand,
  infraCommand,
];

const overview = () => `Usage: sarwatch <command> [options]
       sarwatch help <command> | --help | --version

A real-time audit stream for the AWS Serverless Application Repository.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join('\n')}

Run 'sarwatch help <command>' or 'sarwatch <command> --help' for a command's options and exit codes.
Exit codes: 0 success, 2 bad usage; each command's --help lists its others.
`;

function version(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return `sarwatch ${packageJson.version} (Node.js ${process.versions.node})\n`;
}

const usageError = (message: string) => {
  process.stderr.write(`sarwatch: ${message}; run 'sarwatch --help' for the commands\n`);
  return EXIT_USAGE;
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(version());
    return 0;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && args.length === 0)) {
    process.stdout.write(overview());
    return 0;
  }
  if (name === undefined) {
    process.stderr.write(overview());
    return EXIT_USAGE;
  }
  if (name === 'help') {
    const about = COMMANDS.find((candidate) => candidate.name === args[0]);
    if (!about || args.length > 1) return usageError(`no command '${args.join(' ')}'`);
    process.stdout.write(about.help);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) return usageError(`unknown command '${name}'`);
  if (wantsHelp(args)) {
    process.stdout.write(command.help);
    return 0;
  }
  return command.run(args);
}
