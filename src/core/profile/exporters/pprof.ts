// pprof exporter: writes profiles as a gzipped profile.proto (`.pb.gz`) that `go tool pprof`, Pyroscope,
// Datadog and `pprof-format` read, so a local run can sit next to production profiles.
//
// Sample values: [samples/count, cpu/nanoseconds], the period type cpu/nanoseconds (as Go's CPU profiles).
// Times are the same self times the report shows (../sampleWeights.ts). Each call-tree node with time
// becomes one sample per sampled line: its stack of locations, leaf first, where the leaf location
// carries the sampled line and every caller its function's line (V8 records no call-site lines).
// Locations are mapped through source maps like the report, so TypeScript lines stay TypeScript lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import type { CpuProfileLike } from '../cpuprofile';
import { sampleIntervalUs, selfTimePerNode } from '../sampleWeights';
import { createLocationResolver, type LocationResolver } from '../sourceMaps';
import type { CpuProfileCallFrame } from '../types';

export interface PprofInput {
  path: string;
  profile: CpuProfileLike;
}

/** V8 pseudo frames that are not work: left out of a CPU profile. */
const LEFT_OUT = new Set(['(root)', '(idle)']);

/** Writes the profiles (merged) as gzipped pprof to `file`, creating its folder. */
export function writePprofFile(file: string, inputs: readonly PprofInput[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, toPprof(inputs));
}

/** Encodes the profiles (merged) as gzipped pprof. */
export function toPprof(inputs: readonly PprofInput[]): Uint8Array {
  return gzipSync(encodePprof(inputs));
}

/** Encodes the profiles (merged) as uncompressed profile.proto bytes. */
export function encodePprof(inputs: readonly PprofInput[]): Uint8Array {
  const strings = new StringTable();
  const writer = new PprofWriter(strings, createLocationResolver(inputs.map(input => input.profile.$hotspots)));
  let startUs = Infinity;
  let endUs = -Infinity;
  let intervalUs = 0;
  for (const { profile } of inputs) {
    writer.add(profile);
    startUs = Math.min(startUs, profile.startTime);
    endUs = Math.max(endUs, profile.endTime);
    intervalUs ||= sampleIntervalUs(profile);
  }
  const cpu = new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') });
  const profile = new Profile({
    sampleType: [new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }), cpu],
    sample: writer.samples,
    location: writer.locations,
    function: writer.functions,
    stringTable: strings,
    // V8 times are µs on a monotonic clock, not the epoch: the start is only set when it looks like a date.
    timeNanos: Number.isFinite(startUs) && startUs > 1e15 ? BigInt(Math.round(startUs)) * 1000n : 0,
    durationNanos: Number.isFinite(endUs - startUs) && endUs > startUs ? Math.round((endUs - startUs) * 1000) : 0,
    periodType: new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    period: Math.round((intervalUs || 1000) * 1000),
    defaultSampleType: strings.dedup('cpu'),
  });
  return profile.encode();
}

class PprofWriter {
  readonly samples: Sample[] = [];
  readonly locations: Location[] = [];
  readonly functions: PprofFunction[] = [];
  private readonly functionIds = new Map<string, number>();
  private readonly locationIds = new Map<string, number>();

  constructor(private readonly strings: StringTable, private readonly resolver: LocationResolver) {}

  add(profile: CpuProfileLike): void {
    const nodes = profile.nodes;
    const indexOfId = new Map<number, number>();
    nodes.forEach((node, index) => indexOfId.set(node.id, index));
    const parent = new Int32Array(nodes.length).fill(-1);
    nodes.forEach((node, index) => {
      for (const child of node.children ?? []) {
        const childIndex = indexOfId.get(child);
        if (childIndex !== undefined && parent[childIndex] < 0 && childIndex !== index) parent[childIndex] = index;
      }
    });
    const hitCounts = Float64Array.from(nodes, node => node.hitCount ?? 0);
    const { selfUs, sampleCounts } = selfTimePerNode(profile, { count: nodes.length, hitCounts, indexOf: id => indexOfId.get(id) ?? -1 }, sampleIntervalUs(profile));
    for (let index = 0; index < nodes.length; index++) {
      if (!(selfUs[index] > 0) || LEFT_OUT.has(nodes[index].callFrame.functionName)) continue;
      const callers: number[] = [];
      const seen = new Set<number>([index]);
      for (let up = parent[index]; up >= 0 && !seen.has(up); up = parent[up]) {
        seen.add(up);
        if (!LEFT_OUT.has(nodes[up].callFrame.functionName)) callers.push(this.locationId(nodes[up].callFrame, undefined));
      }
      const ticks = nodes[index].positionTicks ?? [];
      const totalTicks = ticks.reduce((sum, tick) => sum + tick.ticks, 0);
      if (totalTicks === 0) {
        this.sample([this.locationId(nodes[index].callFrame, undefined), ...callers], sampleCounts[index], selfUs[index]);
        continue;
      }
      for (const tick of ticks) {
        if (tick.ticks <= 0) continue;
        this.sample([this.locationId(nodes[index].callFrame, tick.line), ...callers], tick.ticks, (selfUs[index] * tick.ticks) / totalTicks);
      }
    }
  }

  private sample(locationIds: number[], count: number, us: number): void {
    this.samples.push(new Sample({ locationId: locationIds, value: [Math.max(1, Math.round(count)), Math.round(us * 1000)] }));
  }

  /** Location of a frame at a sampled line (1-based, generated), or at its function's line when undefined. */
  private locationId(callFrame: CpuProfileCallFrame, line: number | undefined): number {
    const functionId = this.functionId(callFrame);
    const start = this.functions[functionId - 1];
    const originalLine = line === undefined ? Number(start.startLine) : this.originalLine(callFrame, line);
    const key = `${functionId}\0${originalLine}`;
    let id = this.locationIds.get(key);
    if (id === undefined) {
      id = this.locations.length + 1;
      this.locations.push(new Location({ id, line: [new Line({ functionId, line: originalLine })] }));
      this.locationIds.set(key, id);
    }
    return id;
  }

  private functionId(callFrame: CpuProfileCallFrame): number {
    const key = `${callFrame.functionName}\0${callFrame.url}\0${callFrame.lineNumber}\0${callFrame.columnNumber}`;
    let id = this.functionIds.get(key);
    if (id === undefined) {
      id = this.functions.length + 1;
      const name = callFrame.functionName || '(anonymous)';
      const location = callFrame.url && callFrame.lineNumber >= 0 ? this.resolver.resolve(callFrame.url, callFrame.lineNumber, Math.max(0, callFrame.columnNumber)) : undefined;
      this.functions.push(new PprofFunction({
        id,
        name: this.strings.dedup(name),
        systemName: this.strings.dedup(name),
        filename: this.strings.dedup(location?.file ?? ''),
        startLine: location?.line ?? 0,
      }));
      this.functionIds.set(key, id);
    }
    return id;
  }

  private originalLine(callFrame: CpuProfileCallFrame, line: number): number {
    if (!callFrame.url) return line;
    return this.resolver.resolve(callFrame.url, line - 1).line;
  }
}
