import { CliError, CliIO } from './common';

export async function lintCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new CliError('lint: placeholder until the module lands');
}
