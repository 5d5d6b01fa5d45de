// Runs a CLI subcommand in-process the way src/cli.ts does: a CliError becomes its exit code and one
// line on stderr. Shared by the e2e tests of `compare` and `check`.
import { Writable } from 'node:stream';
import { CliError, Subcommand } from '../../src/cli/common';

export interface SubcommandRun { code: number; stdout: string; stderr: string }

export async function runSubcommand(command: Subcommand, argv: string[], cwd: string): Promise<SubcommandRun> {
  const collect = () => {
    const chunks: string[] = [];
    const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
    return { stream, text: () => chunks.join('') };
  };
  const stdout = collect();
  const stderr = collect();
  let code: number;
  try {
    code = await command(argv, { stdout: stdout.stream, stderr: stderr.stream, cwd, env: process.env });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    stderr.stream.write(`hotspots: ${error.message}\n`);
    code = error.exitCode;
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
