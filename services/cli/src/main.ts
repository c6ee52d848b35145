import { type Command, EXIT_USAGE, wantsHelp } from './command.js';
import { classifyCommand } from './commands/classify.js';
import { feedCommand } from './commands/feed.js';
import { infraCommand } from './commands/infra.js';
import { localCommand } from './commands/local.js';
import { notifyCommand } from './commands/notify.js';
import { rulesCommand } from './commands/rules.js';
import { runCommand } from './commands/run.js';
import { tailCommand } from './commands/tail.js';

const COMMANDS: readonly Command[] = [
  runCommand,
  notifyCommand,
  localCommand,
  feedCommand,
  tailCommand,
  classifyCommand,
  rulesCommand,
  infraCommand,
];

const overview = () => `Usage: sarwatch <command> [options]

A real-time audit stream for the AWS Serverless Application Repository.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join('\n')}

Run 'sarwatch <command> --help' for a command's options.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`sarwatch: unknown command '${name}'\n\n${overview()}`);
    return EXIT_USAGE;
  }
  if (wantsHelp(args)) {
    process.stdout.write(command.help);
    return 0;
  }
  return command.run(args);
}
