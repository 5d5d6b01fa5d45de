// The allocation flame graph: each heap profile of a `profile --memory` run as one more speedscope
// profile, weighted in bytes (speedscope shows byte units), next to the CPU profiles in the same file, so
// speedscope's profile switcher goes from time to allocation. Frames are shared with the CPU profiles
// when they are the same function at the same place.
import * as path from 'node:path';
import { SpeedscopeBuilder, type SpeedscopeFile, type SpeedscopeEvent } from './speedscope';
import type { SpeedscopeFrame } from './frames';
import { CpuProfileInput, heapFrameDescriber, HeapProfileInput } from '../profile/memory/allocations';
import type { RawHeapProfileNode } from '../profile/memory/heapProfileTypes';

export function appendAllocationProfiles(speedscope: SpeedscopeFile, heapInputs: HeapProfileInput[], cpuInputs: CpuProfileInput[]): void {
  const frames = speedscope.shared.frames;
  const indexByKey = new Map<string, number>();
  frames.forEach((frame, index) => indexByKey.set(frameKey(frame), index));
  const frameIndex = (frame: SpeedscopeFrame): number => {
    const key = frameKey(frame);
    let index = indexByKey.get(key);
    if (index === undefined) {
      index = frames.length;
      frames.push(frame);
      indexByKey.set(key, index);
    }
    return index;
  };
  for (const input of heapInputs) {
    const describe = heapFrameDescriber(input, cpuInputs);
    const events: SpeedscopeEvent[] = [];
    let at = 0;
    // Explicit stack of [node, entered]: closes are pushed after the children.
    const pending: [RawHeapProfileNode, number | null][] = input.profile.head.children.map(child => [child, null]);
    pending.reverse();
    while (pending.length > 0) {
      const [node, closing] = pending.pop()!;
      if (closing !== null) {
        events.push({ type: 'C', frame: closing, at });
        continue;
      }
      if (subtreeIsEmpty(node)) continue;
      const frame = frameIndex(describe(node.callFrame));
      events.push({ type: 'O', frame, at });
      at += node.selfSize;
      pending.push([node, frame]);
      for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], null]);
    }
    const meta = input.profile.$hotspots;
    const who = meta ? `process ${meta.pid}${meta.threadId ? ` thread ${meta.threadId}` : ''}` : path.basename(input.path);
    const what = meta?.mode === 'retained' ? 'Still held at the end (bytes)' : 'Allocations (bytes)';
    speedscope.profiles.push({ type: 'evented', name: `${what}: ${who}`, unit: 'bytes', startValue: 0, endValue: at, events });
  }
}

function subtreeIsEmpty(node: RawHeapProfileNode): boolean {
  const pending = [node];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.selfSize > 0) return false;
    pending.push(...next.children);
  }
  return true;
}

function frameKey(frame: SpeedscopeFrame): string {
  return `${frame.name}\u0000${frame.file ?? ''}\u0000${frame.line ?? ''}\u0000${frame.col ?? ''}`;
}

/** For the editor's panel switched to bytes: a speedscope file of the allocation profiles alone. */
export async function allocationSpeedscopeFromFiles(cpuProfilePaths: string[], name: string): Promise<SpeedscopeFile> {
  const speedscope = new SpeedscopeBuilder({ name }).build();
  await appendAllocationProfilesFromFiles(speedscope, cpuProfilePaths);
  if (speedscope.profiles.length === 0) throw new Error('this run has no readable heap profile beside its CPU profiles');
  return speedscope;
}

/** For the HTML report: reads the `.heapprofile` beside each `.cpuprofile` that has one. */
export async function appendAllocationProfilesFromFiles(speedscope: SpeedscopeFile, cpuProfilePaths: string[]): Promise<void> {
  const { readCpuProfileFile } = await import('../profile/cpuprofile');
  const { HEAP_PROFILE_EXTENSION, readHeapProfileFile } = await import('../profile/memory/heapProfile');
  const heapInputs: HeapProfileInput[] = [];
  const cpuInputs: CpuProfileInput[] = [];
  for (const cpuPath of cpuProfilePaths) {
    const heapPath = cpuPath.replace(/\.cpuprofile$/, '') + HEAP_PROFILE_EXTENSION;
    try {
      heapInputs.push({ path: heapPath, profile: await readHeapProfileFile(heapPath) });
      cpuInputs.push({ path: cpuPath, profile: await readCpuProfileFile(cpuPath) });
    } catch { /* no heap profile beside this one (or unreadable): time only */ }
  }
  appendAllocationProfiles(speedscope, heapInputs, cpuInputs);
}
