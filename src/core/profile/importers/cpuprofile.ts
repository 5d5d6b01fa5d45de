// Reading and validating `.cpuprofile` files (our preload, Chrome DevTools, `node --cpu-prof`).
//
// Profiles of long runs are huge (100 MB+): mostly the numeric arrays `samples` and `timeDeltas`, plus
// hundreds of thousands of nodes. `JSON.parse` of the whole file needs the whole text in memory plus
// millions of boxed array slots, so the file is instead streamed in chunks through a small state machine
// that looks at the top-level object only:
//  - `samples` / `timeDeltas` are decoded by hand straight into an Int32Array / Float64Array;
//  - `nodes` elements go to JSON.parse in batches of a few MB (never one big string), and the strings
//    repeated in every node (URLs, function names) are shared between nodes;
//  - every other top-level value is small and goes through JSON.parse on its own.
// Neither the file nor a string of it is ever held whole, which keeps peak memory near the parsed size.
import * as fs from 'node:fs';
import type { CpuProfile, CpuProfileCallFrame, CpuProfileNode, HotspotsProfileMeta } from '../types';

/** A profile as returned by the readers: the numeric arrays are typed arrays (always present). */
export interface LoadedCpuProfile extends Omit<CpuProfile, 'samples' | 'timeDeltas'> {
  samples: Int32Array;
  timeDeltas: Float64Array;
  /** Weight (µs) of each sample, set by importers of formats that weigh samples (pprof); see sampleWeights.ts. */
  sampleWeightsUs?: Float64Array;
}

/** Anything the report model accepts: a loaded profile or a plain `CpuProfile` object. */
export interface CpuProfileLike extends Omit<CpuProfile, 'samples' | 'timeDeltas'> {
  samples?: ArrayLike<number>;
  timeDeltas?: ArrayLike<number>;
  sampleWeightsUs?: ArrayLike<number>;
}

/** The input is not a usable CPU profile. The message names the file and what is wrong with it. */
export class ProfileFormatError extends Error {
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ProfileFormatError';
  }
}

/** Bytes read per chunk. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export async function readCpuProfileFile(file: string): Promise<LoadedCpuProfile>;
/** @internal `asTable`: see readCpuProfileTable */
export async function readCpuProfileFile(file: string, asTable: boolean): Promise<LoadedCpuProfile | LoadedCpuProfileTable>;
export async function readCpuProfileFile(file: string, asTable = false): Promise<LoadedCpuProfile | LoadedCpuProfileTable> {
  const parser = new StreamingProfileParser(file, asTable);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    // One buffer for all chunks: dead chunk buffers would otherwise pile up as external memory until the
    // next full GC and dominate peak RSS.
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      parser.push(chunk.subarray(0, bytesRead));
    }
  } catch (error) {
    throw unreadable(file, error);
  } finally {
    await handle.close();
  }
  return validate(parser.end(), file, asTable);
}

export function readCpuProfileFileSync(file: string): LoadedCpuProfile {
  const parser = new StreamingProfileParser(file);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const bytesRead = fs.readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      parser.push(chunk.subarray(0, bytesRead));
    }
  } catch (error) {
    throw unreadable(file, error);
  } finally {
    fs.closeSync(fd);
  }
  return validate(parser.end(), file);
}

/** A read failure as the one-line error users see; a format problem found while reading stays as it is. */
function unreadable(file: string, error: unknown): ProfileFormatError {
  return error instanceof ProfileFormatError ? error : new ProfileFormatError(file, `cannot be read (${describeIoError(error)})`);
}

/** Parses profile JSON given as text or bytes; `name` is only used in error messages. */
export function parseCpuProfile(input: string | Uint8Array, name = '<profile>'): LoadedCpuProfile {
  return parseCpuProfileChunks([typeof input === 'string' ? Buffer.from(input, 'utf8') : input], name);
}

/** Parses profile JSON arriving in pieces (a stream's chunks), split anywhere. */
export function parseCpuProfileChunks(chunks: Iterable<Uint8Array>, name = '<profile>'): LoadedCpuProfile {
  const parser = new StreamingProfileParser(name);
  for (const chunk of chunks) parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return validate(parser.end(), name);
}

/** parseCpuProfileChunks with the nodes as a NodeTable (what readCpuProfileTable does for files). */
export function parseCpuProfileTableChunks(chunks: Iterable<Uint8Array>, name = '<profile>'): LoadedCpuProfileTable {
  const parser = new StreamingProfileParser(name, true);
  for (const chunk of chunks) parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return validate(parser.end(), name, true) as LoadedCpuProfileTable;
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ? code : error instanceof Error ? error.message : String(error);
}

// Byte values used by the parser.
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a, MINUS = 0x2d;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;
const DIGIT_0 = 0x30, DIGIT_9 = 0x39;
/** `nodes` elements are handed to JSON.parse in batches of about this many bytes. */
const NODE_BATCH_BYTES = 2 * 1024 * 1024;
/** Between two nodes in compact JSON; it cannot occur inside a string, where `"` is escaped. */
const NODE_BOUNDARY = Buffer.from('},{"id":');
/** Decoded numbers are kept in blocks this long until the array's length is known. */
const NUMBER_BLOCK = 1 << 20;

/** 1 for the bytes that matter when looking for the end of a value outside strings. */
const STRUCTURAL = new Uint8Array(256);
for (const byte of [QUOTE, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET]) STRUCTURAL[byte] = 1;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

interface ScannedFields {
  nodes?: unknown[];
  /** Instead of `nodes` when reading into a NodeTable. */
  nodeTable?: NodeTableBuilder;
  samples?: Int32Array;
  timeDeltas?: Float64Array;
  /** Set when `nodes` is present but is not an array. */
  nodesNotArray?: boolean;
  rest: Record<string, unknown>;
}

const enum State {
  BeforeObject,
  ObjectStart,
  Key,
  Colon,
  ValueStart,
  Numbers,
  Elements,
  Element,
  Generic,
  AfterValue,
  NextKey,
  Done,
}

/**
 * Push-based parser of a profile's top-level object. `push` takes chunks in order; `end` returns the
 * fields. Errors are ProfileFormatErrors naming the file.
 */
class StreamingProfileParser {
  private state = State.BeforeObject;
  private firstChunk = true;
  private key = '';
  private readonly fields: ScannedFields = { rest: {} };

  // Bytes being collected for JSON.parse (a key, a small value or a batch of nodes): earlier chunks'
  // slices in `pieces`, the current chunk from `pieceStart` (-1 when not collecting).
  private pieces: Buffer[] = [];
  private piecesBytes = 0;
  private pieceStart = -1;

  // Scanning of a JSON value whose end is being looked for.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;

  // `nodes`
  private nodes: unknown[] = [];
  private expectElement = true;
  private fastNodeScan = true;
  /** Whether the batch being collected contains node boundaries found by NODE_BOUNDARY, not scanned. */
  private batchHasGuess = false;
  private boundaryChunk: Buffer | undefined;
  private boundaryIndex = -1;
  private readonly urlOfScript = new Map<string, string>();
  private readonly functionNameAt = new Map<string, Map<number, string>>();

  // `samples` / `timeDeltas`
  private blocks: (Float64Array | Int32Array)[] = [];
  /** Int32 for `samples` (node ids), Float64 for `timeDeltas`. */
  private block: Float64Array | Int32Array = new Float64Array(0);
  private blockLength = 0;
  private numberValue = 0;
  private numberDigits = 0;
  private numberNegative = false;
  private numberEnded = false;
  /** Text of a number with a fraction or exponent (rare); undefined while on the integer fast path. */
  private numberText: string | undefined;

  /** Set when reading into a NodeTable: nodes go there batch by batch and are not kept. */
  private table: NodeTableBuilder | undefined;

  constructor(private readonly name: string, private readonly asTable = false) {}

  push(chunk: Buffer): void {
    let p = 0;
    if (this.firstChunk) {
      this.firstChunk = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) p = 3;
    }
    const length = chunk.length;
    while (p < length) {
      switch (this.state) {
        case State.BeforeObject: {
          const c = chunk[p];
          if (isWhitespace(c)) { p++; break; }
          if (c !== OPEN_BRACE) this.fail(`is not a CPU profile (expected a JSON object, found ${describeByte(c)})`);
          this.state = State.ObjectStart;
          p++;
          break;
        }
        case State.ObjectStart:
        case State.NextKey: {
          const c = chunk[p];
          if (isWhitespace(c)) { p++; break; }
          if (c === CLOSE_BRACE && this.state === State.ObjectStart) { this.state = State.Done; p++; break; }
          if (c !== QUOTE) this.fail(`is not valid JSON (expected a key, found ${describeByte(c)})`);
          this.pieceStart = p;
          this.inString = true;
          this.escaped = false;
          this.state = State.Key;
          p++;
          break;
        }
        case State.Key: {
          const end = this.stringEnd(chunk, p);
          if (end < 0) { p = length; break; }
          this.key = this.parseCollected(chunk, end, 'a key') as string;
          this.state = State.Colon;
          p = end;
          break;
        }
        case State.Colon: {
          const c = chunk[p];
          if (isWhitespace(c)) { p++; break; }
          if (c !== COLON) this.fail(`is not valid JSON (expected ':' after "${this.key}")`);
          this.state = State.ValueStart;
          p++;
          break;
        }
        case State.ValueStart: {
          const c = chunk[p];
          if (isWhitespace(c)) { p++; break; }
          if ((this.key === 'samples' || this.key === 'timeDeltas') && c === OPEN_BRACKET) {
            this.startNumbers();
            this.state = State.Numbers;
            p++;
          } else if (this.key === 'nodes' && c === OPEN_BRACKET) {
            this.nodes = [];
            if (this.asTable) this.table = new NodeTableBuilder(true);
            this.expectElement = true;
            this.state = State.Elements;
            p++;
          } else {
            this.startValue(chunk, p);
            this.state = State.Generic;
          }
          break;
        }
        case State.Generic: {
          const end = this.valueEnd(chunk, p);
          if (end < 0) { p = length; break; }
          this.fields.rest[this.key] = this.parseCollected(chunk, end, `"${this.key}"`);
          if (this.key === 'nodes') this.fields.nodesNotArray = true;
          this.state = State.AfterValue;
          p = end;
          break;
        }
        case State.Numbers:
          p = this.readNumbers(chunk, p);
          break;
        case State.Elements:
          p = this.betweenElements(chunk, p);
          break;
        case State.Element: {
          const end = this.valueEnd(chunk, p);
          if (end < 0) { p = length; break; }
          this.expectElement = false;
          this.state = State.Elements;
          if (this.piecesBytes + (end - this.pieceStart) >= NODE_BATCH_BYTES) this.flushNodes(chunk, end);
          p = end;
          break;
        }
        case State.AfterValue: {
          const c = chunk[p];
          if (isWhitespace(c)) { p++; break; }
          if (c === COMMA) this.state = State.NextKey;
          else if (c === CLOSE_BRACE) this.state = State.Done;
          else this.fail(`is not valid JSON (expected ',' or '}' after "${this.key}", found ${describeByte(c)})`);
          p++;
          break;
        }
        case State.Done: {
          if (!isWhitespace(chunk[p])) this.fail('is not valid JSON (unexpected data after the profile)');
          p++;
          break;
        }
      }
    }
    if (this.pieceStart >= 0) {
      // A copy: readers reuse one chunk buffer, so nothing may point into it after `push` returns.
      this.pieces.push(Buffer.from(chunk.subarray(this.pieceStart)));
      this.piecesBytes += length - this.pieceStart;
      this.pieceStart = 0;
    }
  }

  end(): ScannedFields {
    switch (this.state) {
      case State.Done:
        return this.fields;
      case State.BeforeObject:
        this.fail('is empty');
      case State.ObjectStart:
      case State.NextKey:
      case State.Key:
      case State.Colon:
      case State.AfterValue:
        this.fail('is truncated (unexpected end of file inside the top-level object)');
      default:
        this.fail(`is truncated (unexpected end of file inside "${this.key}")`);
    }
  }

  private fail(problem: string): never {
    throw new ProfileFormatError(this.name, problem);
  }

  /** Parses the collected bytes up to `end` (exclusive) in `chunk`, then stops collecting. */
  private parseCollected(chunk: Buffer, end: number, where: string): unknown {
    const text = this.takeCollected(chunk, end).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      this.fail(`is not valid JSON in ${where} (${(error as Error).message})`);
    }
  }

  /** The collected bytes up to `end` (exclusive) in `chunk`; stops collecting. */
  private takeCollected(chunk: Buffer, end: number): Buffer {
    const tail = chunk.subarray(this.pieceStart, end);
    const bytes = this.pieces.length === 0 ? tail : Buffer.concat([...this.pieces, tail]);
    this.pieces = [];
    this.piecesBytes = 0;
    this.pieceStart = -1;
    return bytes;
  }

  /** Index just past the closing quote of the string being scanned, or -1 if it continues past the chunk. */
  private stringEnd(chunk: Buffer, from: number): number {
    let escaped = this.escaped;
    for (let p = from; p < chunk.length; p++) {
      const c = chunk[p];
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) {
        this.inString = false;
        this.escaped = false;
        return p + 1;
      }
    }
    this.escaped = escaped;
    return -1;
  }

  private startValue(chunk: Buffer, p: number, startCollecting = true): void {
    if (startCollecting) this.pieceStart = p;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = false;
    const c = chunk[p];
    if (c !== QUOTE && c !== OPEN_BRACE && c !== OPEN_BRACKET) this.scalar = true;
  }

  /**
   * Index just past the value being scanned (for scalars: the delimiter after it), or -1 if it continues
   * past the chunk. Only structure is tracked here; JSON.parse checks the syntax afterwards.
   */
  private valueEnd(chunk: Buffer, from: number): number {
    const length = chunk.length;
    if (this.scalar) {
      for (let p = from; p < length; p++) {
        const c = chunk[p];
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)) return p;
      }
      return -1;
    }
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let p = from;
    // Tight inner loops over the bytes that change nothing (most of them) keep this near memchr speed.
    while (p < length) {
      if (inString) {
        if (escaped) {
          escaped = false;
          p++;
          continue;
        }
        let c = chunk[p];
        while (c !== QUOTE && c !== BACKSLASH && ++p < length) c = chunk[p];
        if (p >= length) break;
        p++;
        if (c === BACKSLASH) escaped = true;
        else {
          inString = false;
          if (depth === 0) return p;
        }
        continue;
      }
      let c = chunk[p];
      while (STRUCTURAL[c] === 0 && ++p < length) c = chunk[p];
      if (p >= length) break;
      p++;
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (--depth === 0) {
        this.depth = 0;
        return p;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return -1;
  }

  /** Inside `nodes`, between elements: commas, whitespace, the next element or the closing bracket. */
  private betweenElements(chunk: Buffer, from: number): number {
    for (let p = from; p < chunk.length; p++) {
      const c = chunk[p];
      if (isWhitespace(c)) continue;
      if (c === COMMA && !this.expectElement) { this.expectElement = true; continue; }
      if (c === CLOSE_BRACKET && (!this.expectElement || (this.nodes.length === 0 && (this.table?.count ?? 0) === 0 && this.pieceStart < 0))) {
        if (this.pieceStart >= 0 && this.flushNodes(chunk, p)) return p; // re-read: see flushNodes
        if (this.table) {
          this.fields.nodeTable = this.table;
          this.fields.nodes = undefined;
        } else {
          this.fields.nodes = this.nodes;
          this.fields.nodeTable = undefined;
        }
        this.state = State.AfterValue;
        return p + 1;
      }
      if (c === OPEN_BRACE && this.expectElement && this.fastNodeScan) {
        // Compact JSON (V8, DevTools): every byte up to the last node boundary of this chunk is whole
        // nodes, so they join the batch without a byte-by-byte scan. JSON.parse checks the guess.
        const last = this.lastNodeBoundary(chunk);
        if (last > p) {
          const end = last + 1;
          if (this.pieceStart < 0) this.pieceStart = p;
          this.batchHasGuess = true;
          this.expectElement = false;
          if (this.piecesBytes + (end - this.pieceStart) >= NODE_BATCH_BYTES) this.flushNodes(chunk, end);
          return end;
        }
      }
      if (c === OPEN_BRACE && this.expectElement) {
        // A batch is one contiguous range of bytes: keep collecting if this element joins one.
        this.startValue(chunk, p, this.pieceStart < 0);
        this.state = State.Element;
        return p;
      }
      this.fail(`has an invalid "nodes" array (expected ${this.expectElement ? 'a node object' : "',' or ']'"}, found ${describeByte(c)})`);
    }
    return chunk.length;
  }

  /** Index of the `}` of the last `},{"id":` in the chunk, or -1 (computed once per chunk). */
  private lastNodeBoundary(chunk: Buffer): number {
    if (this.boundaryChunk !== chunk) {
      this.boundaryChunk = chunk;
      this.boundaryIndex = chunk.lastIndexOf(NODE_BOUNDARY);
    }
    return this.boundaryIndex;
  }

  /**
   * Parses the batch of node elements collected up to `end`. JSON.parse gives every node its own copy of
   * its URL and function name; nodes of the same script (and function) share one copy instead, found by
   * scriptId and position, which is much cheaper than hashing the strings.
   *
   * Returns true when the batch relied on a guessed node boundary that turned out wrong (a nested object
   * whose first key is "id"): its bytes have then been read again exactly, fast scanning is off, and the
   * caller must go on at `end` in whatever state that left.
   */
  private flushNodes(chunk: Buffer, end: number): boolean {
    const bytes = this.takeCollected(chunk, end);
    let batch: unknown[];
    try {
      batch = JSON.parse(`[${bytes.toString('utf8')}]`) as unknown[];
    } catch (error) {
      if (!this.batchHasGuess) this.fail(`is not valid JSON in "nodes" (${(error as Error).message})`);
      this.fastNodeScan = false;
      this.batchHasGuess = false;
      this.state = State.Elements;
      this.expectElement = true;
      this.push(bytes);
      if (this.pieceStart >= 0) this.pieceStart = end;
      return true;
    }
    this.batchHasGuess = false;
    if (this.table) {
      // The node objects die young here (cheap for the GC); only distinct call frames are kept.
      for (let i = 0; i < batch.length; i++) this.table.add(batch[i]);
      return false;
    }
    const urls = this.urlOfScript;
    const names = this.functionNameAt;
    for (const node of batch) {
      this.nodes.push(node);
      const frame = (node as Partial<CpuProfileNode> | null)?.callFrame;
      if (!frame || typeof frame !== 'object') continue;
      const script = String(frame.scriptId);
      const url = urls.get(script);
      if (url === undefined) urls.set(script, frame.url);
      else if (url === frame.url) frame.url = url;
      let namesInScript = names.get(script);
      if (!namesInScript) names.set(script, (namesInScript = new Map()));
      // A small-integer hash (unboxed Map key); a collision only means a name is not shared.
      const position = (Math.imul(frame.lineNumber, 0x9e3779b1) ^ frame.columnNumber) & 0x3fffffff;
      const name = namesInScript.get(position);
      if (name === undefined) namesInScript.set(position, frame.functionName);
      else if (name === frame.functionName) frame.functionName = name;
    }
    return false;
  }

  private newBlock(): Float64Array | Int32Array {
    return this.key === 'samples' ? new Int32Array(NUMBER_BLOCK) : new Float64Array(NUMBER_BLOCK);
  }

  private startNumbers(): void {
    this.blocks = [];
    this.block = this.newBlock();
    this.blockLength = 0;
    this.resetNumber();
  }

  private resetNumber(): void {
    this.numberValue = 0;
    this.numberDigits = 0;
    this.numberNegative = false;
    this.numberEnded = false;
    this.numberText = undefined;
  }

  private storeNumber(): void {
    let value: number;
    if (this.numberText !== undefined) {
      value = Number(this.numberText);
      if (!Number.isFinite(value)) this.fail(`has an invalid value in "${this.key}" (${this.numberText})`);
    } else value = this.numberNegative ? -this.numberValue : this.numberValue;
    if (this.key === 'samples' && (!Number.isInteger(value) || value > 0x7fffffff || value < -0x80000000)) {
      this.fail(`has an invalid node id in "samples" (${this.numberText ?? value})`);
    }
    if (this.blockLength === NUMBER_BLOCK) {
      this.blocks.push(this.block);
      this.block = this.newBlock();
      this.blockLength = 0;
    }
    this.block[this.blockLength++] = value;
    this.resetNumber();
  }

  /** Decodes numbers by hand; integers (all V8 writes) stay on a fast path with state in locals. */
  private readNumbers(chunk: Buffer, from: number): number {
    if (this.numberText !== undefined || this.numberEnded) return this.readNumberSlowly(chunk[from], from);
    const length = chunk.length;
    let value = this.numberValue;
    let digits = this.numberDigits;
    let block = this.block;
    let blockLength = this.blockLength;
    let p = from;
    let slowByte = -1;
    for (; p < length; p++) {
      const c = chunk[p];
      if (c >= DIGIT_0 && c <= DIGIT_9) {
        value = value * 10 + (c - DIGIT_0);
        digits++;
      } else if (c === COMMA && digits > 0 && !this.numberNegative && value <= 0x7fffffff) {
        if (blockLength === NUMBER_BLOCK) {
          this.blocks.push(block);
          block = this.newBlock();
          blockLength = 0;
        }
        block[blockLength++] = value;
        value = 0;
        digits = 0;
      } else {
        slowByte = c;
        break;
      }
    }
    this.numberValue = value;
    this.numberDigits = digits;
    this.block = block;
    this.blockLength = blockLength;
    if (slowByte < 0) return length;
    return this.readNumberSlowly(slowByte, p);
  }

  /** Everything but "digits, comma": signs, whitespace, fractions, exponents, the end, errors. */
  private readNumberSlowly(c: number, p: number): number {
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      if (this.numberEnded) this.fail(`has an invalid value in "${this.key}" (two numbers without a comma)`);
      if (this.numberText !== undefined) this.numberText += String.fromCharCode(c);
      else this.numberValue = this.numberValue * 10 + (c - DIGIT_0);
      this.numberDigits++;
    } else if (c === COMMA) {
      if (this.numberDigits === 0) this.fail(`is not valid JSON (empty element in "${this.key}")`);
      this.storeNumber();
    } else if (isWhitespace(c)) {
      if (this.numberDigits > 0) this.numberEnded = true;
    } else if (c === CLOSE_BRACKET) {
      if (this.numberDigits > 0) this.storeNumber();
      else if (this.numberNegative || this.numberText !== undefined || this.blocks.length > 0 || this.blockLength > 0) {
        this.fail(`is not valid JSON (empty element in "${this.key}")`);
      }
      this.finishNumbers();
      this.state = State.AfterValue;
    } else if (c === MINUS && this.numberDigits === 0 && !this.numberNegative && this.numberText === undefined) {
      this.numberNegative = true;
    } else if ((c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS) && this.numberDigits > 0 && !this.numberEnded) {
      // fraction or exponent: continue this number as text
      this.numberText ??= `${this.numberNegative ? '-' : ''}${this.numberValue}`;
      this.numberText += String.fromCharCode(c);
    } else {
      this.fail(`has an invalid value in "${this.key}" (expected numbers, found ${describeByte(c)})`);
    }
    return p + 1;
  }

  private finishNumbers(): void {
    const count = this.blocks.length * NUMBER_BLOCK + this.blockLength;
    const integers = this.key === 'samples';
    const values = integers ? new Int32Array(count) : new Float64Array(count);
    let offset = 0;
    for (const block of [...this.blocks, this.block.subarray(0, this.blockLength)]) {
      values.set(block, offset);
      offset += block.length;
    }
    this.blocks = [];
    this.block = new Float64Array(0);
    if (integers) this.fields.samples = values as Int32Array;
    else this.fields.timeDeltas = values as Float64Array;
  }
}

function describeByte(byte: number | undefined): string {
  if (byte === undefined) return 'nothing';
  if (byte === OPEN_BRACKET) return 'an array';
  if (byte === QUOTE) return 'a string';
  if (byte >= 0x20 && byte < 0x7f) return `'${String.fromCharCode(byte)}'`;
  return `byte 0x${byte.toString(16)}`;
}

function validate(fields: ScannedFields, name: string): LoadedCpuProfile;
function validate(fields: ScannedFields, name: string, asTable: boolean): LoadedCpuProfile | LoadedCpuProfileTable;
function validate(fields: ScannedFields, name: string, asTable = false): LoadedCpuProfile | LoadedCpuProfileTable {
  const fail = (problem: string): never => { throw new ProfileFormatError(name, problem); };
  const { rest } = fields;
  if (fields.nodesNotArray) fail('is not a CPU profile ("nodes" is not an array)');
  if (asTable && fields.nodeTable) return validateTable(fields, fields.nodeTable, fail);
  if (fields.nodes === undefined) {
    if ('traceEvents' in rest) fail('is a Chrome performance trace, not a .cpuprofile (save the profile from the JavaScript Profiler / Performance panel as .cpuprofile)');
    fail('is not a CPU profile (no "nodes" array)');
  }
  if (!Array.isArray(fields.nodes)) fail('is not a CPU profile ("nodes" is not an array)');
  const nodes = fields.nodes as CpuProfileNode[];
  if (nodes.length === 0) fail('has no nodes (empty profile)');
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (typeof node !== 'object' || node === null || typeof node.id !== 'number') fail(`has an invalid node at index ${i} (missing numeric "id")`);
    const frame = node.callFrame;
    if (typeof frame !== 'object' || frame === null || typeof frame.functionName !== 'string') {
      fail(`has an invalid node ${node.id} (missing "callFrame" with "functionName")`);
    }
    if (typeof frame.url !== 'string') frame.url = '';
    if (typeof frame.lineNumber !== 'number') frame.lineNumber = -1;
    if (typeof frame.columnNumber !== 'number') frame.columnNumber = -1;
    if (node.children !== undefined && !Array.isArray(node.children)) fail(`has an invalid node ${node.id} ("children" is not an array)`);
    if (node.positionTicks !== undefined && !Array.isArray(node.positionTicks)) fail(`has an invalid node ${node.id} ("positionTicks" is not an array)`);
  }
  const knownIds = new NodeIdSet(nodes.map(node => node.id));
  for (const node of nodes) {
    for (const child of node.children ?? []) if (!knownIds.has(child)) fail(`node ${node.id} has an unknown child id ${child}`);
  }
  checkSamples(fields, knownIds, fail);
  return { nodes, ...checkRest(fields, fail) };
}

/** validate() for profiles read into a NodeTable: the same checks in the same order. */
function validateTable(fields: ScannedFields, builder: NodeTableBuilder, fail: (problem: string) => never): LoadedCpuProfileTable {
  if (builder.count === 0) fail('has no nodes (empty profile)');
  if (builder.problem !== undefined) fail(builder.problem);
  const nodeTable = builder.finish();
  const { ids, childStart, childIds } = nodeTable;
  const knownIds = new NodeIdSet(ids);
  for (let i = 0; i < nodeTable.count; i++) {
    for (let c = childStart[i]; c < childStart[i + 1]; c++) if (!knownIds.has(childIds[c])) fail(`node ${ids[i]} has an unknown child id ${childIds[c]}`);
  }
  checkSamples(fields, knownIds, fail);
  return { nodeTable, ...checkRest(fields, fail) };
}

/** `samples` and `timeDeltas`: arrays of the same length, every sample a known node id. */
function checkSamples(fields: ScannedFields, knownIds: NodeIdSet, fail: (problem: string) => never): void {
  const { rest } = fields;
  if (rest.samples !== undefined && fields.samples === undefined) fail('has an invalid "samples" field (expected an array of node ids)');
  if (rest.timeDeltas !== undefined && fields.timeDeltas === undefined) fail('has an invalid "timeDeltas" field (expected an array of numbers)');
  const samples = fields.samples ?? new Int32Array(0);
  const timeDeltas = fields.timeDeltas ?? new Float64Array(0);
  if (samples.length !== timeDeltas.length) {
    fail(`has ${samples.length} samples but ${timeDeltas.length} time deltas (the file may be truncated or edited)`);
  }
  checkSampleIds(samples, knownIds, fail);
}

/** startTime, endTime, samples, timeDeltas and $hotspots of an already checked profile. */
function checkRest(fields: ScannedFields, fail: (problem: string) => never): Omit<LoadedCpuProfile, 'nodes'> {
  const { rest } = fields;
  const samples = fields.samples ?? new Int32Array(0);
  const timeDeltas = fields.timeDeltas ?? new Float64Array(0);
  const startTime = rest.startTime ?? 0;
  const endTime = rest.endTime ?? 0;
  if (typeof startTime !== 'number' || typeof endTime !== 'number') fail('has a non-numeric "startTime" or "endTime"');
  const profile: Omit<LoadedCpuProfile, 'nodes'> = { startTime: startTime as number, endTime: endTime as number, samples, timeDeltas };
  const meta = rest.$hotspots;
  if (meta !== undefined) {
    if (typeof meta !== 'object' || meta === null) fail('has an invalid "$hotspots" field (expected an object)');
    profile.$hotspots = meta as HotspotsProfileMeta;
  }
  return profile;
}

/** Membership of node ids; a dense bitmap when ids are small integers (V8 numbers them 1..n). */
class NodeIdSet {
  private readonly dense: Uint8Array | undefined;
  private readonly sparse: Set<number> | undefined;

  constructor(ids: ArrayLike<unknown>) {
    let maxId = 0;
    let integers = true;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) integers = false;
      else if (id > maxId) maxId = id;
    }
    if (integers && maxId <= ids.length * 4 + 1024) {
      this.dense = new Uint8Array(maxId + 1);
      for (let i = 0; i < ids.length; i++) this.dense[ids[i] as number] = 1;
    } else {
      this.sparse = new Set(Array.from(ids as ArrayLike<number>));
    }
  }

  has(id: number): boolean {
    if (this.dense) return id >= 0 && id < this.dense.length && this.dense[id] === 1;
    return this.sparse!.has(id);
  }
}

function checkSampleIds(samples: Int32Array, knownIds: NodeIdSet, fail: (problem: string) => never): void {
  for (let i = 0; i < samples.length; i++) {
    if (!knownIds.has(samples[i])) fail(`sample ${i} refers to unknown node id ${samples[i]}`);
  }
}

/**
 * The nodes of a profile as typed arrays plus a table of distinct call frames: what the report model
 * works on. Reading straight into it (readCpuProfileTable) never keeps hundreds of thousands of node
 * objects alive, which is most of the cost of reading a huge profile (their garbage collection).
 */
export interface NodeTable {
  count: number;
  ids: Float64Array;
  /** Distinct call frames (by script, position, name and url), in order of first use. */
  frames: CpuProfileCallFrame[];
  /** node index → index in `frames` */
  frameOf: Int32Array;
  /** `hitCount ?? 0` */
  hitCounts: Float64Array;
  /** children ids of node i: childIds[childStart[i] .. childStart[i + 1]) */
  childStart: Int32Array;
  childIds: Float64Array;
  /** positionTicks of node i: tickLines/tickCounts[tickStart[i] .. tickStart[i + 1]) */
  tickStart: Int32Array;
  tickLines: Float64Array;
  tickCounts: Float64Array;
  /** node index → `parent` id, for old DevTools profiles that store the parent on the child */
  parentIds: Map<number, number> | undefined;
}

/** A profile as returned by readCpuProfileTable: nodes as a NodeTable. */
export interface LoadedCpuProfileTable extends Omit<LoadedCpuProfile, 'nodes'> {
  nodeTable: NodeTable;
}

/** Like readCpuProfileFile, with the nodes as a NodeTable (same checks, same errors). */
export async function readCpuProfileTable(file: string): Promise<LoadedCpuProfileTable> {
  return (await readCpuProfileFile(file, true)) as unknown as LoadedCpuProfileTable;
}

class GrowableArray {
  data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  take(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Builds a NodeTable node by node; with `check`, also validates and completes nodes like validate(). */
export class NodeTableBuilder {
  count = 0;
  /** The first problem of a node, raised by validate() (after any JSON error, as before). */
  problem: string | undefined;
  private readonly ids = new GrowableArray();
  private readonly frameOf = new GrowableArray();
  private readonly hitCounts = new GrowableArray();
  private readonly childStart = new GrowableArray();
  private readonly childIds = new GrowableArray();
  private readonly tickStart = new GrowableArray();
  private readonly tickLines = new GrowableArray();
  private readonly tickCounts = new GrowableArray();
  private parentIds: Map<number, number> | undefined;
  private readonly frames: CpuProfileCallFrame[] = [];
  private readonly frameByHash = new Map<number, number>();
  /** frame index → next frame index with the same hash, or -1 */
  private readonly nextWithSameHash: number[] = [];

  constructor(private readonly check: boolean) {}

  add(value: unknown): void {
    const node = value as CpuProfileNode;
    const index = this.count++;
    if (this.check) {
      if (this.problem !== undefined) return;
      if (typeof node !== 'object' || node === null || typeof node.id !== 'number') {
        this.problem = `has an invalid node at index ${index} (missing numeric "id")`;
        return;
      }
      const frame = node.callFrame;
      if (typeof frame !== 'object' || frame === null || typeof frame.functionName !== 'string') {
        this.problem = `has an invalid node ${node.id} (missing "callFrame" with "functionName")`;
        return;
      }
      if (typeof frame.url !== 'string') frame.url = '';
      if (typeof frame.lineNumber !== 'number') frame.lineNumber = -1;
      if (typeof frame.columnNumber !== 'number') frame.columnNumber = -1;
      if (node.children !== undefined && !Array.isArray(node.children)) {
        this.problem = `has an invalid node ${node.id} ("children" is not an array)`;
        return;
      }
      if (node.positionTicks !== undefined && !Array.isArray(node.positionTicks)) {
        this.problem = `has an invalid node ${node.id} ("positionTicks" is not an array)`;
        return;
      }
    }
    this.ids.push(node.id);
    this.frameOf.push(this.frameIndex(node.callFrame));
    this.hitCounts.push(node.hitCount ?? 0);
    this.childStart.push(this.childIds.length);
    const children = node.children;
    if (children) for (let c = 0; c < children.length; c++) this.childIds.push(children[c]);
    this.tickStart.push(this.tickLines.length);
    const ticks = node.positionTicks;
    if (ticks) {
      for (let t = 0; t < ticks.length; t++) {
        this.tickLines.push(ticks[t].line);
        this.tickCounts.push(ticks[t].ticks);
      }
    }
    const parentId = (node as { parent?: unknown }).parent;
    if (typeof parentId === 'number') (this.parentIds ??= new Map()).set(index, parentId);
  }

  private frameIndex(callFrame: CpuProfileCallFrame): number {
    const script = Number(callFrame.scriptId) | 0;
    const hash = (Math.imul(callFrame.lineNumber, 0x9e3779b1) ^ Math.imul(callFrame.columnNumber, 0x85ebca6b) ^ Math.imul(script, 0xc2b2ae35)) & 0x3fffffff;
    const first = this.frameByHash.get(hash);
    if (first !== undefined) {
      for (let at = first; at >= 0; at = this.nextWithSameHash[at]) {
        const known = this.frames[at];
        if (
          known.functionName === callFrame.functionName && known.url === callFrame.url && known.lineNumber === callFrame.lineNumber &&
          known.columnNumber === callFrame.columnNumber && known.scriptId === callFrame.scriptId
        ) {
          return at;
        }
      }
    }
    const index = this.frames.length;
    this.frames.push(callFrame);
    this.nextWithSameHash.push(first ?? -1);
    this.frameByHash.set(hash, index);
    return index;
  }

  finish(): NodeTable {
    const childStart = new Int32Array(this.childStart.length + 1);
    childStart.set(this.childStart.data.subarray(0, this.childStart.length));
    childStart[this.childStart.length] = this.childIds.length;
    const tickStart = new Int32Array(this.tickStart.length + 1);
    tickStart.set(this.tickStart.data.subarray(0, this.tickStart.length));
    tickStart[this.tickStart.length] = this.tickLines.length;
    return {
      count: this.ids.length,
      ids: this.ids.take(),
      frames: this.frames,
      frameOf: Int32Array.from(this.frameOf.data.subarray(0, this.frameOf.length)),
      hitCounts: this.hitCounts.take(),
      childStart,
      childIds: this.childIds.take(),
      tickStart,
      tickLines: this.tickLines.take(),
      tickCounts: this.tickCounts.take(),
      parentIds: this.parentIds,
    };
  }
}

/** The NodeTable of node objects (no checks: they are a loaded or hand-made profile's). */
export function nodeTableOf(nodes: readonly CpuProfileNode[]): NodeTable {
  const builder = new NodeTableBuilder(false);
  for (const node of nodes) builder.add(node);
  return builder.finish();
}
