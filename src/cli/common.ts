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

/**
 * Whether `error` is a CliError. Checked by shape, not `instanceof`: `hotspots lint` runs from a
 * bundle of its own (dist/cliLint.js) with its own copy of the class.
 */
export function isCliError(error: unknown): error is CliError {
  return error instanceof Error && error.name === 'CliError' && typeof (error as CliError).exitCode === 'number';
}

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type Subcommand = (argv: string[], io: CliIO) => Promise<number>;
