// Small pprof profiles with known answers, encoded with pprof-format (the codec Datadog's profiler uses).
import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';

/** One frame: function name, file, line of the sample in it (and the function's start line, 0 = unknown). */
export interface FrameSpec {
  name: string;
  file: string;
  line: number;
  startLine?: number;
}
export interface SampleSpec {
  /** Leaf first, as pprof stores stacks. An inner array is one Location with several Lines (inlined, innermost first). */
  stack: (FrameSpec | FrameSpec[])[];
  values: number[];
}
export interface PprofSpec {
  sampleTypes: [string, string][];
  samples: SampleSpec[];
  period?: number;
  periodType?: [string, string];
  durationNanos?: number;
}

export function encodeSpec(spec: PprofSpec, gzip = true): Buffer {
  const strings = new StringTable();
  const functions: PprofFunction[] = [];
  const functionIds = new Map<string, number>();
  const locations: Location[] = [];
  const functionId = (frame: FrameSpec): number => {
    const key = `${frame.name}\0${frame.file}`;
    let id = functionIds.get(key);
    if (id === undefined) {
      id = functions.length + 1;
      functions.push(new PprofFunction({ id, name: strings.dedup(frame.name), systemName: strings.dedup(frame.name), filename: strings.dedup(frame.file), startLine: frame.startLine ?? 0 }));
      functionIds.set(key, id);
    }
    return id;
  };
  const locationId = (frames: FrameSpec[]): number => {
    const id = locations.length + 1;
    locations.push(new Location({ id, line: frames.map(frame => new Line({ functionId: functionId(frame), line: frame.line })) }));
    return id;
  };
  const samples = spec.samples.map(sample => new Sample({
    locationId: sample.stack.map(entry => locationId(Array.isArray(entry) ? entry : [entry])),
    value: sample.values,
  }));
  const profile = new Profile({
    sampleType: spec.sampleTypes.map(([type, unit]) => new ValueType({ type: strings.dedup(type), unit: strings.dedup(unit) })),
    sample: samples,
    location: locations,
    function: functions,
    stringTable: strings,
    period: spec.period ?? 0,
    periodType: spec.periodType ? new ValueType({ type: strings.dedup(spec.periodType[0]), unit: strings.dedup(spec.periodType[1]) }) : undefined,
    durationNanos: spec.durationNanos ?? 0,
  });
  const bytes = Buffer.from(profile.encode());
  return gzip ? gzipSync(bytes) : bytes;
}
