// Reader of pprof `Sample` messages (profile.proto: `repeated uint64 location_id = 1; repeated int64 value = 2;
// repeated Label label = 3;`), the one message a profile holds hundreds of thousands of.
//
// Everything else in a profile is decoded by pprof-format. Its Sample decoder allocates an object, two arrays
// and a subarray per number: on a 750k-sample profile with 50-frame stacks that is 31 million subarrays and
// most of the import time. This reader keeps two reusable arrays and the byte range of the stack, which
// PlacedStacks compares in place to find stacks already placed in the call tree.
// Labels are skipped (the model has no use for them). Test: test/unit/profile/pprofSamples.test.ts checks it
// against pprof-format's encoder and decoder.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
const LOCATION_ID_FIELD = 1;
const VALUE_FIELD = 2;

export class PprofSampleReader {
  /** The sample's values, in the order of the profile's sample types. Reused by the next `read`. */
  readonly values: number[] = [];
  private readonly locationIds: number[] = [];
  /** [start, end) of each location_id field: a packed run, or one unpacked varint. */
  private readonly stackRanges: number[] = [];
  /** Whether the last location_id field read was packed. */
  private isPacked = false;
  private bytes: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private end = 0;

  /** Reads the Sample encoded in bytes[start, end). Throws an Error saying what is wrong on malformed input. */
  read(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes;
    this.offset = start;
    this.end = end;
    this.values.length = 0;
    this.stackRanges.length = 0;
    this.locationIds.length = 0;
    this.isPacked = false;
    while (this.offset < end) {
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      const wireType = tag % 8;
      if (wireType === WIRE_LENGTH_DELIMITED) {
        const length = this.varint();
        const fieldStart = this.offset;
        if (fieldStart + length > end) throw new Error(`a sample's field ${field} is cut off`);
        if (field === LOCATION_ID_FIELD) {
          this.stackRanges.push(fieldStart, fieldStart + length);
          this.isPacked = true;
          this.offset = fieldStart + length;
        } else if (field === VALUE_FIELD) {
          while (this.offset < fieldStart + length) this.values.push(this.varint());
          if (this.offset !== fieldStart + length) throw new Error('a sample\'s values are cut off');
        } else {
          this.offset = fieldStart + length;
        }
      } else if (wireType === WIRE_VARINT) {
        const valueStart = this.offset;
        const value = this.varint();
        if (field === LOCATION_ID_FIELD) {
          this.stackRanges.push(valueStart, this.offset);
          this.isPacked = false;
        }
        else if (field === VALUE_FIELD) this.values.push(value);
      } else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) {
        this.offset += wireType === WIRE_FIXED64 ? 8 : 4;
        if (this.offset > end) throw new Error(`a sample's field ${field} is cut off`);
      } else {
        throw new Error(`a sample has an unknown wire type ${wireType}`);
      }
    }
  }

  /** The location ids, leaf first. Decoded on first use after `read`. */
  get stack(): readonly number[] {
    if (this.locationIds.length === 0 && this.stackRanges.length > 0) {
      const saved = this.offset;
      for (let r = 0; r < this.stackRanges.length; r += 2) {
        this.offset = this.stackRanges[r];
        while (this.offset < this.stackRanges[r + 1]) this.locationIds.push(this.varint());
      }
      this.offset = saved;
    }
    return this.locationIds;
  }

  /** [start, end) of the stack's bytes when it is one packed field (what writers produce), else undefined. */
  packedStack(): [number, number] | undefined {
    return this.stackRanges.length === 2 && this.isPacked ? [this.stackRanges[0], this.stackRanges[1]] : undefined;
  }

  private varint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.offset >= this.end) throw new Error('a sample ends inside a number');
      const byte = this.bytes[this.offset++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      if (shift >= 63) throw new Error('a sample has a number longer than 10 bytes');
    }
  }
}

/**
 * Stacks already placed in the call tree, found by their packed encoding: an open-addressing table of typed
 * arrays holding, per stack, where its first sample encodes it, its tree node, its sampled line and ticks. Bytes are
 * compared on a hash match, so two stacks never share an entry. Unaggregated profiles (one pprof sample per
 * tick, as converters write) repeat stacks many times; this spares both the decode and the walk down the tree.
 */
export class PlacedStacks {
  private hashes = new Int32Array(1 << 12);
  private starts = new Int32Array(1 << 12);
  private lengths = new Int32Array(1 << 12);
  private nodes = new Int32Array(1 << 12).fill(-1);
  private lines = new Float64Array(1 << 12);
  private ticks = new Float64Array(1 << 12);
  private count = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The slot of the stack encoded at bytes[start, end): found, or empty and ready for `set`. */
  slotOf(start: number, end: number): number {
    // Grow before looking, so that a slot handed out stays valid through `set` and `addTicks`.
    if ((this.count + 1) * 2 > this.nodes.length) this.grow();
    const hash = this.hash(start, end);
    const mask = this.nodes.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      if (this.nodes[slot] < 0) {
        this.hashes[slot] = hash;
        this.starts[slot] = start;
        this.lengths[slot] = end - start;
        return slot;
      }
      if (this.hashes[slot] === hash && this.sameBytes(this.starts[slot], start, this.lengths[slot], end - start)) return slot;
    }
  }

  /** The tree node id at `slot`, or -1 when the stack has not been placed yet. */
  nodeAt(slot: number): number {
    return this.nodes[slot];
  }

  /** Places the stack of an empty slot (from `slotOf`, with no insert since). */
  set(slot: number, node: number, line: number): void {
    this.nodes[slot] = node;
    this.lines[slot] = line;
    this.count++;
  }

  addTicks(slot: number, ticks: number): void {
    this.ticks[slot] += ticks;
  }

  /** Every placed stack: its node id, sampled line and summed ticks. */
  forEach(visit: (node: number, line: number, ticks: number) => void): void {
    for (let slot = 0; slot < this.nodes.length; slot++) if (this.nodes[slot] >= 0) visit(this.nodes[slot], this.lines[slot], this.ticks[slot]);
  }

  private hash(start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ this.bytes[i], 0x01000193);
    return hash;
  }

  private sameBytes(a: number, b: number, lengthA: number, lengthB: number): boolean {
    if (lengthA !== lengthB) return false;
    const bytes = this.bytes;
    for (let i = 0; i < lengthA; i++) if (bytes[a + i] !== bytes[b + i]) return false;
    return true;
  }

  private grow(): void {
    const { hashes, starts, lengths, nodes, lines, ticks } = this;
    const size = nodes.length * 2;
    this.hashes = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.lengths = new Int32Array(size);
    this.nodes = new Int32Array(size).fill(-1);
    this.lines = new Float64Array(size);
    this.ticks = new Float64Array(size);
    const mask = size - 1;
    for (let old = 0; old < nodes.length; old++) {
      if (nodes[old] < 0) continue;
      let slot = hashes[old] & mask;
      while (this.nodes[slot] >= 0) slot = (slot + 1) & mask;
      this.hashes[slot] = hashes[old];
      this.starts[slot] = starts[old];
      this.lengths[slot] = lengths[old];
      this.nodes[slot] = nodes[old];
      this.lines[slot] = lines[old];
      this.ticks[slot] = ticks[old];
    }
  }
}
