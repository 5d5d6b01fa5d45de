// Reader of V8 sampling heap profiles (`.heapprofile`: what the Hotspots preload writes, and what Chrome
// DevTools / `node --heap-prof` save). Self-contained like an importer: bytes in, a validated profile out.
import * as fs from 'node:fs';
import type { HeapProfileFile, RawHeapProfileNode } from './heapProfileTypes';

export const HEAP_PROFILE_EXTENSION = '.heapprofile';

/** The input is not a usable heap profile; the message names the file and the problem. */
export class HeapProfileFormatError extends Error {
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'HeapProfileFormatError';
  }
}

export async function readHeapProfileFile(file: string): Promise<HeapProfileFile> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new HeapProfileFormatError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseHeapProfile(text, file);
}

export function parseHeapProfile(text: string, name = '<heap profile>'): HeapProfileFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HeapProfileFormatError(name, `is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(value) || !isRecord(value.head)) throw new HeapProfileFormatError(name, 'is not a heap profile (no "head" node)');
  // Iterative walk: allocation trees of deep recursions are deeper than the JS stack allows.
  const pending: unknown[] = [value.head];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isHeapNode(node)) throw new HeapProfileFormatError(name, 'has a malformed node (needs callFrame, selfSize, id, children)');
    for (const child of node.children) pending.push(child);
  }
  return value as unknown as HeapProfileFile;
}

function isHeapNode(node: unknown): node is RawHeapProfileNode {
  if (!isRecord(node) || !isRecord(node.callFrame) || !Array.isArray(node.children)) return false;
  const frame = node.callFrame;
  return typeof node.selfSize === 'number' && typeof node.id === 'number' && typeof frame.functionName === 'string' && typeof frame.url === 'string' && typeof frame.lineNumber === 'number';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
