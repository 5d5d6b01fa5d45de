// `HOTSPOTS_PHASES=1 hotspots profile …`: prints on stderr when each phase of the command ended, in ms
// since this process started (performance.now() counts from the process's time origin), so the fixed cost
// of a run can be split into CLI start, launch, the program itself, collection, report build and output
// (bench/fixed-cost.bench.js reads this line).

const PHASES_VARIABLE = 'HOTSPOTS_PHASES';
const entries: string[] = [];

function enabled(): boolean {
  return process.env[PHASES_VARIABLE] === '1';
}

/** Records that `phase` ended now. */
export function markPhase(phase: string): void {
  if (enabled()) entries.push(`${phase} ${performance.now().toFixed(1)}`);
}

/** Records a duration measured elsewhere (the program's own wall time). */
export function noteDuration(what: string, ms: number): void {
  if (enabled()) entries.push(`(${what} ${ms.toFixed(1)})`);
}

/** Writes the recorded phases as one line: `hotspots phases (ms since start): cli 41.2 | … `. */
export function printPhases(stream: NodeJS.WritableStream): void {
  if (enabled() && entries.length > 0) stream.write(`hotspots phases (ms since start): ${entries.join(' | ')}\n`);
}
