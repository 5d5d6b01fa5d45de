import { CliError, CliIO } from './common';

export async function reportCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new CliError('report: placeholder until the module lands');
}
