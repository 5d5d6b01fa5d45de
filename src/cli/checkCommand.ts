// `hotspots check --baseline <before.json> <script>`: the regression check for CI. Runs the script a few
// times under the profiler and fails (exit 1) when the median busy time is slower than the baseline by
// more than the allowed percentage, printing the lines responsible.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseMeasure, evaluateRegression, measuredMs, medianRunIndex, RegressionVerdict } from '../core/compare/check';
import { nonIdleMs } from '../core/compare/compare';
import { describeOverall, formatLine } from '../core/compare/format';
import { attachSourceContext, readSourceFromDisk, ReportWithContext } from '../core/compare/sourceContext';
import { formatMs } from '../core/profile/format';
import { ProfileLaunchError } from '../core/profile/launch';
import { profileScript } from '../core/profile/runReport';
import { CliError, CliIO, EXIT_FINDINGS, EXIT_OK } from './common';
import { evaluateMemoryRegression, formatMemoryVerdict } from '../core/compare/compareMemory';
import { formatComparedWaits } from '../core/compare/formatWaitsComparison';
import { loadInput, parseOptions, positiveInteger, writeJson } from './compareCommand';

const USAGE = `usage: hotspots check [options] <script> [-- <args>...]

Regression check for CI: runs <script> under the CPU profiler --runs times and compares the median
with a baseline report. Time is counted in samples of your code (samples x interval), which other
load on the machine does not inflate; a program that spends a noticeable share of its time waiting on
its awaits is judged by its elapsed time instead (samples do not see waiting). Exits 1 when the run is slower than the baseline by more than
--max-regression percent and prints the lines responsible, 0 otherwise, 2 on usage or input errors
(including a script that fails or is not sampled, and a baseline recorded for another script). The
script's output is shown only when it fails.

options:
  --baseline <file>         baseline report (from 'hotspots profile --json' or --save-baseline)
  --max-regression <pct>    allowed slowdown in percent (default 10)
  --max-memory-regression <pct>
                            also sample the heap and fail when the median run allocates more than
                            this percent above the baseline (which must come from such a check)
  --runs <n>                runs to take the median of (default 3)
  --save-baseline <file>    write the median run's report as a new baseline (alone: just measure)
  --json <file|->           write the verdict and comparison as JSON (- = stdout; text to stderr)
  --top <n>                 how many lines to show (default 10)
  --node <path>             node executable (default: node on the PATH)
  --interval-us <n>         sampling interval in microseconds (default 1000)
  --help                    show this help`;

const DEFAULT_MAX_REGRESSION_PERCENT = 10;
const DEFAULT_RUNS = 3;
/** How much of a failing run's output is shown: enough for the error, not the whole log. */
const OUTPUT_TAIL_CHARS = 4000;

export async function checkCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseOptions('check', argv, {
    valued: ['--baseline', '--max-regression', '--max-memory-regression', '--runs', '--save-baseline', '--json', '--top', '--node', '--interval-us'],
    flags: ['--help'],
    stopAtFirstPositional: true,
  });
  if (parsed.flags.has('--help')) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const script = parsed.positional[0];
  if (!script) throw new CliError("check: missing <script>; see 'hotspots check --help'");
  const baselinePath = parsed.values.get('--baseline');
  const savePath = parsed.values.get('--save-baseline');
  if (!baselinePath && !savePath) throw new CliError('check: --baseline <file> is required (or --save-baseline <file> to record one)');
  if (savePath === '-') throw new CliError('check: --save-baseline needs a file name (the baseline is read back from it later)');
  const maxRegression = nonNegativeNumber(parsed.values.get('--max-regression') ?? String(DEFAULT_MAX_REGRESSION_PERCENT));
  const runs = positiveInteger('check', '--runs', parsed.values.get('--runs') ?? String(DEFAULT_RUNS));
  const top = positiveInteger('check', '--top', parsed.values.get('--top') ?? '10');
  const intervalUs = positiveInteger('check', '--interval-us', parsed.values.get('--interval-us') ?? '1000');
  // Load the baseline before spending minutes on runs, so a typo fails at once.
  const baseline = baselinePath ? loadInput(path.resolve(io.cwd, baselinePath), io.cwd) : undefined;
  if (baseline && nonIdleMs(baseline) <= 0) throw new CliError(`check: the baseline ${baselinePath} sampled no busy time`);
  // A baseline of another script would pass or fail on a comparison that means nothing (scripts are
  // compared relative to each run's working directory, so another checkout of the project still matches,
  // and as absolute paths, so the same file checked from another folder does too).
  const baselineScript = baseline?.workload?.script ? path.relative(baseline.workload.cwd, baseline.workload.script) : undefined;
  const checkedScript = path.relative(io.cwd, path.resolve(io.cwd, script));
  const sameFile = !!baseline?.workload?.script && path.resolve(baseline.workload.cwd, baseline.workload.script) === path.resolve(io.cwd, script);
  if (baselineScript !== undefined && baselineScript !== checkedScript && !sameFile) {
    throw new CliError(`check: the baseline ${baselinePath} was recorded for ${baselineScript}, not ${checkedScript} (run from the same folder, or record one with --save-baseline)`);
  }
  const memoryText = parsed.values.get('--max-memory-regression');
  const maxMemoryRegression = memoryText === undefined ? undefined : nonNegativeNumber(memoryText, '--max-memory-regression');
  if (baseline && maxMemoryRegression !== undefined && !baseline.memory) {
    throw new CliError(`check: the baseline ${baselinePath} has no heap data (save one with --save-baseline and --max-memory-regression)`);
  }

  const reports: ReportWithContext[] = [];
  const progress = parsed.values.get('--json') === '-' ? io.stderr : io.stdout;
  for (let run = 1; run <= runs; run++) {
    const report = await profileOnce(script, parsed.rest, parsed.values.get('--node'), intervalUs, io, run, maxMemoryRegression !== undefined);
    reports.push(report);
    progress.write(`run ${run}/${runs}: ${describeRun(report)}\n`);
  }

  if (savePath) {
    const measure = chooseMeasure(reports);
    const medianReport = reports[medianRunIndex(reports.map(report => measuredMs(report, measure)))];
    writeJson(savePath, medianReport, { ...io, stdout: io.stderr });
    progress.write(`baseline written to ${savePath}: the median of ${runs} run${runs > 1 ? 's' : ''}, ${formatMs(measuredMs(medianReport, measure))}\n`);
  }
  if (!baseline) return EXIT_OK;

  const verdict = evaluateRegression(baseline, reports, maxRegression, { readSource: readSourceFromDisk });
  const textStream = writeJson(parsed.values.get('--json'), verdict, io);
  textStream.write(formatVerdict(verdict, top, io.cwd));
  if (maxMemoryRegression === undefined) return verdict.regressed ? EXIT_FINDINGS : EXIT_OK;
  const memoryVerdict = evaluateMemoryRegression(baseline, reports, maxMemoryRegression);
  textStream.write(formatMemoryVerdict(memoryVerdict, { top, cwd: io.cwd }));
  return verdict.regressed || memoryVerdict.regressed ? EXIT_FINDINGS : EXIT_OK;
}

async function profileOnce(script: string, args: string[], node: string | undefined, intervalUs: number, io: CliIO, run: number, memory = false): Promise<ReportWithContext> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-check-'));
  let output = '';
  try {
    const { report, result } = await profileScript({
      script, args, node, cwd: io.cwd, env: io.env, outDir, intervalUs, stdio: 'pipe', memory,
      onOutput: chunk => { output = (output + chunk).slice(-OUTPUT_TAIL_CHARS); },
    });
    if (result.exitCode !== 0) {
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
      if (output.trim()) io.stderr.write(`${output.trimEnd()}\n`);
      throw new CliError(`check: run ${run}: the script ${how}; a failing run cannot be compared`);
    }
    // A run without samples (no profile written, unreadable profile) would pass any threshold.
    if (nonIdleMs(report) <= 0) {
      const why = report.warnings.length > 0 ? report.warnings.join('; ') : 'the script finished before the first sample';
      throw new CliError(`check: run ${run} sampled no time, nothing to compare (${why})`);
    }
    return attachSourceContext(report, readSourceFromDisk, { command: result.command, cwd: io.cwd, script, args });
  } catch (error) {
    if (error instanceof ProfileLaunchError) throw new CliError(`check: ${error.message}`);
    throw error;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

function formatVerdict(verdict: RegressionVerdict, top: number, cwd: string): string {
  const out: string[] = [];
  const change = `${verdict.changePercent >= 0 ? '+' : '−'}${Math.abs(verdict.changePercent).toFixed(1)}%`;
  const runs = verdict.runsMs.length > 1 ? `median of ${verdict.runsMs.length} runs: ${verdict.runsMs.map(formatMs).join(', ')}` : '1 run';
  const unit = verdict.measure === 'samples' ? 'in samples of your code' : verdict.measure === 'elapsed' ? 'elapsed (the program waits on its awaits: judged by elapsed time)' : 'busy';
  out.push(`Baseline ${formatMs(verdict.baselineMs)} ${unit}, now ${formatMs(verdict.medianMs)} (${runs})`);
  out.push(verdict.regressed
    ? `REGRESSION: ${change} slower than the baseline (allowed: +${verdict.maxRegressionPercent}%)`
    : `OK: ${change} against the baseline (allowed: +${verdict.maxRegressionPercent}%), ${describeOverall(verdict.comparison)}`);
  if (verdict.regressed) {
    out.push('', 'Lines responsible (slower or new; median run vs baseline, self time and share)');
    if (verdict.responsibleLines.length === 0) out.push('  (no single line stands out: the time is spread out or outside your code)');
    for (const line of verdict.responsibleLines.slice(0, top)) out.push(formatLine(line, cwd));
    // Judged by elapsed time: the waiting that grew explains it as much as any CPU line.
    if (verdict.measure === 'elapsed') out.push(...formatComparedWaits(verdict.comparison, top, cwd));
  }
  // The full comparison is in --json and `hotspots compare`; here only what explains the verdict.
  if (verdict.comparison.warnings.length > 0) {
    out.push('', 'Warnings');
    for (const warning of verdict.comparison.warnings) out.push(`  - ${warning}`);
  }
  return `${out.join('\n')}\n`;
}

function describeRun(report: ReportWithContext): string {
  const elapsed = report.elapsedMs !== undefined ? `, ${formatMs(report.elapsedMs)} elapsed` : '';
  return `${formatMs(measuredMs(report, 'samples'))} in samples of your code (${formatMs(nonIdleMs(report))} busy${elapsed})`;
}

/** A percentage, with or without the `%` sign (`10`, `12.5%`). */
function nonNegativeNumber(text: string, option = '--max-regression'): number {
  const value = Number(text.replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new CliError(`check: ${option} must be a percentage ≥ 0, got '${text}'`);
  return value;
}
