// Small pieces every subcommand shares: exit codes, the one-line error type, output streams.

export const EXIT_OK = 0;
/** `lint`: findings were reported; `profile`/`check`: the run was slower than allowed. */
export const EXIT_FINDINGS = 1;
/** Usage errors, unreadable input, internal errors. */
export const EXIT_USAGE = 2;

/**
 * An error the user can act on. The CLI prints its message as one line (no stack trace) and exits
 * with `exitCode`.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type Subcommand = (argv: string[], io: CliIO) => Promise<number>;
