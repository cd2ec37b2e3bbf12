/**
 * What a test file left open: the kinds of resources keeping the event loop alive (Node's
 * `process.getActiveResourcesInfo()`: 'Timeout', 'TCPSocketWrap', 'ProcessWrap'…) that are there after
 * the file and were not before it. A jest worker exits only when its event loop is empty, so a leak of
 * a file that ends a worker's share prints "A worker process has failed to exit gracefully".
 */
export type ResourceCounts = Map<string, number>;

export function countResources(kinds: readonly string[] = process.getActiveResourcesInfo()): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** The kinds with more resources now than at the baseline, and how many more: e.g. `Timeout ×1`. */
export function leftOpen(baseline: ResourceCounts, now: ResourceCounts): string[] {
  return [...now]
    .filter(([kind, n]) => n > (baseline.get(kind) ?? 0))
    .map(([kind, n]) => `${kind} ×${n - (baseline.get(kind) ?? 0)}`)
    .sort();
}

/**
 * Waits up to `graceMs` for the resources to fall back to the baseline (sockets and child processes
 * take a moment to close after `end()`/`kill()`); returns what is still open then.
 */
export async function openAfter(
  baseline: ResourceCounts,
  graceMs: number,
  current: () => ResourceCounts = countResources,
): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const open = leftOpen(baseline, current());
    if (!open.length || Date.now() >= deadline) return open;
    await new Promise((r) => setTimeout(r, 100).unref());
  }
}

/** The objects behind the active handles (sockets, pipes, child processes, servers); Node's own list. */
export function activeHandles(): Set<object> {
  return new Set((process as unknown as { _getActiveHandles(): object[] })._getActiveHandles());
}

/** A handle, described for a reader looking for its owner: what it is and where it leads. */
export function describeHandle(h: object): string {
  const any = h as Record<string, unknown> & { constructor: { name: string } };
  const name = any.constructor?.name ?? 'handle';
  if (h === process.stdin || h === process.stdout || h === process.stderr) {
    return `${name} (process.${h === process.stdin ? 'stdin' : h === process.stdout ? 'stdout' : 'stderr'})`;
  }
  if (Array.isArray(any.spawnargs)) return `${name} (${(any.spawnargs as string[]).join(' ').slice(0, 120)})`;
  const socket = any as { remoteAddress?: string; remotePort?: number; _pipeName?: string; address?: () => unknown };
  if (socket.remoteAddress) return `${name} (to ${socket.remoteAddress}:${socket.remotePort})`;
  if (socket._pipeName) return `${name} (pipe ${socket._pipeName})`;
  if (typeof socket.address === 'function') {
    try {
      return `${name} (listening on ${JSON.stringify(socket.address())})`;
    } catch {
      return name;
    }
  }
  return name;
}
