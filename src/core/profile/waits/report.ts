// Report side of wait attribution: the recordings of every thread (`$hotspots.waits`), their profiles'
// idle samples and the sharing rule (share.ts) → the report's `waits` and `categories.blockedMs`.
import { sampleWeightCapUs, sampleWeightUs } from '../sampleWeights';
import type { LocationResolver } from '../sourceMaps';
import type { ReportWait } from '../types';
import type { WaitRecording } from './recording';
import { RECORD_FIELDS } from './recording';
import { IdleSpan, shareIdleTime, TimedAwait } from './share';

/** The parts of a profile the idle timeline is read from. */
export interface SampledTimeline {
  startTime: number;
  endTime: number;
  samples?: ArrayLike<number>;
  timeDeltas?: ArrayLike<number>;
}

interface SiteAggregate {
  file: string;
  line: number;
  function: string;
  count: number;
  waitUs: number;
  maxWaitUs: number;
  blockedUs: number;
  awaitedByUs: Map<string, number>;
}

/** How many awaiting lines a wait lists (`awaitedBy`), heaviest first. */
const MAX_AWAITED_BY = 3;

export class WaitsCollector {
  private readonly sites = new Map<string, SiteAggregate>();
  private blockedUs = 0;
  private recorded = false;
  private elapsedUs: number | undefined;
  readonly warnings: string[] = [];

  constructor(private readonly resolver: LocationResolver) {}

  /**
   * Adds one thread: `isIdleSample(i)` says whether sample i is V8's `(idle)`; `isMain` whether this is the
   * run's main thread as the preload recorded it (its profile spans the user's program from start to end).
   */
  addThread(timeline: SampledTimeline, recording: WaitRecording | undefined, isIdleSample: (sample: number) => boolean, intervalUs: number, isMain: boolean): void {
    if (isMain && this.elapsedUs === undefined) {
      // From the user's first file (after the instrumentation's own start-up) to the end of the thread.
      const programStartUs = recording?.programStartMs !== undefined ? recording.programStartMs * 1000 + recording.clockOffsetUs : timeline.startTime;
      const startUs = Math.min(Math.max(programStartUs, timeline.startTime), timeline.endTime);
      if (timeline.endTime > startUs) this.elapsedUs = timeline.endTime - startUs;
    }
    if (!recording) return;
    this.recorded = true;
    const siteKeys = this.resolveSites(recording);
    for (let site = 0; site < siteKeys.length; site++) {
      const aggregate = this.sites.get(siteKeys[site])!;
      aggregate.count += recording.counts[site] ?? 0;
      aggregate.waitUs += recording.waitUs[site] ?? 0;
      aggregate.maxWaitUs = Math.max(aggregate.maxWaitUs, recording.maxWaitUs?.[site] ?? 0);
    }
    const shared = shareIdleTime(timedAwaits(recording), idleSpans(timeline, isIdleSample, intervalUs));
    this.blockedUs += shared.totalBlockedUs;
    for (const [site, us] of shared.blockedUs) this.sites.get(siteKeys[site])!.blockedUs += us;
    for (const [site, parents] of shared.awaitedByUs) {
      const aggregate = this.sites.get(siteKeys[site])!;
      for (const [parent, us] of parents) {
        const key = siteKeys[parent];
        if (key !== siteKeys[site]) aggregate.awaitedByUs.set(key, (aggregate.awaitedByUs.get(key) ?? 0) + us);
      }
    }
    for (const { file, reason } of recording.skipped) this.warnings.push(`waits are not measured in ${file} (the instrumentation could not parse it: ${reason}); its CPU time is`);
    if (recording.droppedRecords > 0) {
      this.warnings.push(`${recording.droppedRecords} long awaits were counted but not timed (too many to keep): their blocked time is missing`);
    }
  }

  /** Elapsed time of the user's program (the main thread's profile), if known. */
  get elapsedMs(): number | undefined {
    return this.elapsedUs === undefined ? undefined : roundMs(this.elapsedUs / 1000);
  }

  /** Whether any thread recorded its awaits (waits were on). */
  get hasRecordings(): boolean {
    return this.recorded;
  }

  get totalBlockedMs(): number {
    return roundMs(this.blockedUs / 1000);
  }

  /** Await lines sorted by blocked time, then wait time; `wallMs` is what blockedPercent is a share of. */
  build(wallMs: number, includeDependencies: boolean): ReportWait[] {
    const waits: ReportWait[] = [];
    for (const site of this.sites.values()) {
      if (site.count === 0 && site.blockedUs === 0) continue;
      if (!includeDependencies && /[\\/]node_modules[\\/]/.test(site.file)) continue;
      const wait: ReportWait = {
        file: site.file,
        line: site.line,
        function: site.function,
        count: site.count,
        waitMs: roundMs(site.waitUs / 1000),
        maxWaitMs: roundMs(site.maxWaitUs / 1000),
        blockedMs: roundMs(site.blockedUs / 1000),
        blockedPercent: wallMs > 0 ? Math.round((site.blockedUs / 1000 / wallMs) * 10000) / 100 : 0,
      };
      const awaitedBy = [...site.awaitedByUs].sort((a, b) => b[1] - a[1]).slice(0, MAX_AWAITED_BY);
      if (awaitedBy.length > 0) {
        wait.awaitedBy = awaitedBy.map(([key, us]) => {
          const parent = this.sites.get(key)!;
          return { file: parent.file, line: parent.line, function: parent.function, ms: roundMs(us / 1000) };
        });
      }
      waits.push(wait);
    }
    return waits.sort((a, b) => b.blockedMs - a.blockedMs || b.waitMs - a.waitMs || a.file.localeCompare(b.file) || a.line - b.line);
  }

  /** Original file:line of each site of a recording (several sites may share a line); creates aggregates. */
  private resolveSites(recording: WaitRecording): string[] {
    const keys: string[] = [];
    for (const { url, sites, names } of recording.files) {
      for (let i = 0; i + 1 < sites.length; i += 2) {
        // Sites are recorded as they are on disk, before the instrumentation added its text.
        const { file, line } = this.resolver.resolveOnDisk(url, sites[i], sites[i + 1]);
        const key = `${file}\0${line}`;
        if (!this.sites.has(key)) {
          this.sites.set(key, { file, line, function: names[i / 2] ?? '(anonymous)', count: 0, waitUs: 0, maxWaitUs: 0, blockedUs: 0, awaitedByUs: new Map() });
        }
        keys.push(key);
      }
    }
    return keys;
  }
}

/** The recording's timed awaits on the profile clock. */
export function timedAwaits(recording: WaitRecording): TimedAwait[] {
  const { records, clockOffsetUs } = recording;
  const awaits: TimedAwait[] = [];
  for (let r = 0; r + RECORD_FIELDS <= records.length; r += RECORD_FIELDS) {
    const startUs = records[r + 1] * 1000 + clockOffsetUs;
    awaits.push({ site: records[r], startUs, endUs: startUs + records[r + 2] * 1000, id: records[r + 3], parent: records[r + 4] });
  }
  return awaits;
}

/** Idle spans of a profile, consecutive idle samples merged (sample i lasts until sample i + 1, see model.ts). */
export function idleSpans(timeline: SampledTimeline, isIdleSample: (sample: number) => boolean, intervalUs: number): IdleSpan[] {
  const { samples, timeDeltas } = timeline;
  const spans: IdleSpan[] = [];
  if (!samples || !timeDeltas) return spans;
  let at = timeline.startTime;
  // An idle sample lasts as long as the report says it does (capped: see profile/sampleWeights.ts), so
  // blocked time never exceeds the idle time of the categories.
  const capUs = sampleWeightCapUs(intervalUs);
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i];
    if (!isIdleSample(i)) continue;
    const next = sampleWeightUs(timeDeltas, i, samples.length, intervalUs, capUs);
    const previous = spans[spans.length - 1];
    if (previous && previous.endUs === at) previous.endUs = at + next;
    else spans.push({ startUs: at, endUs: at + next });
  }
  return spans;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
