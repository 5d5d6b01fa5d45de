import { CliError, CliIO } from './common';

export async function profileCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new CliError('profile: placeholder until the module lands');
}
