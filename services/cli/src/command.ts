export interface Command {
  name: string;
  /** The full --help text: usage, options, environment. */
  help: string;
  run(args: string[]): Promise<number>;
}

export const EXIT_USAGE = 2;

export const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');
