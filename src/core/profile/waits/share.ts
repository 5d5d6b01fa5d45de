// The sharing rule: idle time (the event loop had no JavaScript to run) is shared among the async
// chains pending at that moment. A chain is a pending await with no pending await below it (a leaf: the
// one really waiting) plus the awaits waiting for it, up to the outermost one (`main`'s
// `await loadOrder()` → loadOrder's `await db.query()`). With k chains pending, each gets 1/k of the idle
// time, and every await site on a chain is charged that share once (like a function's total time), so
// 4 concurrent requests of 100 ms charge 25 ms to each chain and 100 ms to a line they share — never 400.

/** One await that lasted: times in µs on the profile clock. */
export interface TimedAwait {
  site: number;
  startUs: number;
  endUs: number;
  id: number;
  /** Id of the await waiting for the invocation this await suspended (-1: none). */
  parent: number;
}

export interface IdleSpan {
  startUs: number;
  endUs: number;
}

export interface SharedIdle {
  /** Site id → blocked µs. */
  blockedUs: Map<number, number>;
  /** Idle µs during which at least one await was pending. */
  totalBlockedUs: number;
  /** Site → the sites awaiting it on its chains → µs charged to both (the chain shown in hovers). */
  awaitedByUs: Map<number, Map<number, number>>;
}

/** Applies the sharing rule to the awaits and idle spans of one thread (both in any order). */
export function shareIdleTime(awaits: readonly TimedAwait[], idle: readonly IdleSpan[]): SharedIdle {
  const result: SharedIdle = { blockedUs: new Map(), totalBlockedUs: 0, awaitedByUs: new Map() };
  if (awaits.length === 0 || idle.length === 0) return result;
  const spans = [...idle].filter(span => span.endUs > span.startUs).sort((a, b) => a.startUs - b.startUs);
  // Events: +1 start, -1 end; at the same time, ends first (an await ending as another starts never overlaps it).
  const events: { at: number; index: number; starts: boolean }[] = [];
  awaits.forEach((timed, index) => {
    if (timed.endUs <= timed.startUs) return;
    events.push({ at: timed.startUs, index, starts: true }, { at: timed.endUs, index, starts: false });
  });
  events.sort((a, b) => a.at - b.at || Number(a.starts) - Number(b.starts));

  const byId = new Map<number, number>();
  awaits.forEach((timed, index) => byId.set(timed.id, index));
  const childrenOf = new Map<number, number[]>();
  awaits.forEach((timed, index) => {
    if (timed.parent < 0 || !byId.has(timed.parent)) return;
    let list = childrenOf.get(timed.parent);
    if (!list) childrenOf.set(timed.parent, (list = []));
    list.push(index);
  });
  const active = new Set<number>();
  const pendingChildren = new Int32Array(awaits.length);
  const parentIndex = (index: number): number => {
    const parent = awaits[index].parent;
    return parent < 0 ? -1 : byId.get(parent) ?? -1;
  };

  let spanAt = 0;
  /** Idle µs within [from, to): spans are sorted and consumed left to right. */
  const idleBetween = (from: number, to: number): number => {
    while (spanAt < spans.length && spans[spanAt].endUs <= from) spanAt++;
    let total = 0;
    for (let s = spanAt; s < spans.length && spans[s].startUs < to; s++) {
      total += Math.min(to, spans[s].endUs) - Math.max(from, spans[s].startUs);
    }
    return total;
  };

  for (let e = 0; e < events.length; e++) {
    const event = events[e];
    const { index } = event;
    const parent = parentIndex(index);
    if (event.starts) {
      active.add(index);
      let children = 0;
      for (const child of childrenOf.get(awaits[index].id) ?? []) if (active.has(child)) children++;
      pendingChildren[index] = children;
      if (parent >= 0 && active.has(parent)) pendingChildren[parent]++;
    } else {
      active.delete(index);
      if (parent >= 0 && active.has(parent)) pendingChildren[parent]--;
    }
    const next = events[e + 1];
    if (!next || active.size === 0 || next.at <= event.at) continue;
    const idleUs = idleBetween(event.at, next.at);
    if (idleUs <= 0) continue;
    result.totalBlockedUs += idleUs;
    const leaves: number[] = [];
    for (const pending of active) if (pendingChildren[pending] === 0) leaves.push(pending);
    const shareUs = idleUs / leaves.length;
    for (const leaf of leaves) chargeChain(leaf, shareUs);
  }
  return result;

  function chargeChain(leaf: number, shareUs: number): void {
    const charged = new Set<number>();
    let childSite = -1;
    for (let at = leaf, hops = 0; at >= 0 && active.has(at) && hops < awaits.length; at = parentIndex(at), hops++) {
      const site = awaits[at].site;
      if (childSite >= 0 && childSite !== site) {
        let parents = result.awaitedByUs.get(childSite);
        if (!parents) result.awaitedByUs.set(childSite, (parents = new Map()));
        parents.set(site, (parents.get(site) ?? 0) + shareUs);
      }
      childSite = site;
      if (charged.has(site)) continue;
      charged.add(site);
      result.blockedUs.set(site, (result.blockedUs.get(site) ?? 0) + shareUs);
    }
  }
}
