// How a pprof file is recognized (its name, its first bytes), apart from the importer (pprof.ts), which
// loads node:zlib and the protobuf codec: every report build asks "is this pprof?" and most never read one
// (`hotspots profile` builds its report from .cpuprofile files alone, inside its fixed cost).

/** File name endings of pprof files. */
export const PPROF_EXTENSIONS = ['.pb.gz', '.pprof', '.pb'];

/** Whether the first bytes look like pprof: gzip, or a protobuf starting with field 1 (sample_type). */
export function looksLikePprof(head: Uint8Array): boolean {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
  // Uncompressed profile.proto starts with its first sample_type: field 1 (length-delimited), a short
  // length, then the ValueType's field 1 (varint). Text never starts with these bytes.
  return head.length >= 3 && head[0] === 0x0a && head[1] < 0x80 && head[2] === 0x08;
}
