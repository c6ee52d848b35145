import type { Command } from '../command.js';

export interface ServiceCommandOptions {
  name: string;
  /** What the service does, for --help: a few lines. */
  description: string;
  /** Its environment variables: the keys of its config schema. */
  variables: readonly string[];
  run(env: NodeJS.ProcessEnv): Promise<number>;
}

/** A long-running service as a command: configured by the environment only, with the same exit codes. */
export function serviceCommand(options: ServiceCommandOptions): Command {
  return {
    name: options.name,
    help: `Usage: sarwatch ${options.name}

${options.description}

Configuration is read from the environment (see README.md for defaults and meaning):
  ${options.variables.join('\n  ')}

Exit codes: 0 stopped cleanly, 1 shutdown deadline passed, 2 invalid configuration, 3 Kafka refused access
(authentication, TLS or authorization; retrying cannot help), 130 second signal.
`,
    run: (args) => {
      if (args.length > 0) {
        process.stderr.write(`sarwatch ${options.name}: takes no arguments, got ${args.join(' ')}\n`);
        return Promise.resolve(2);
      }
      return options.run(process.env);
    },
  };
}
