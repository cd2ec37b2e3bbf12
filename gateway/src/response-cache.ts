import { hash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { serializedResult, type Principal } from '@anju/kit';

/**
 * Who an answer was made for, as far as the subgraphs' scope rules can tell callers apart: the
 * role and every scope claim. Two officers of one county share answers; officers of two counties,
 * or a county and its province, never do. The subject is left out on purpose: a field whose
 * answer depends on who asks (a resident's own points, "read by me") sets no cache hint, so an
 * answer holding it is never kept; one that names a person is PRIVATE (`privateCacheKey`).
 */
export function scopeKey(p: Principal): string {
  const sorted = (xs: readonly string[]) => [...xs].sort().join(',');
  return [
    p.role,
    sorted(p.regions),
    sorted(p.sites),
    sorted(p.grids),
    p.organizationId ?? '',
    p.unitId ?? '',
    p.residentId ?? '',
    p.volunteerId ?? '',
  ].join('|');
}

/** The operation as sent (text, name, variables) and the caller's scope, hashed: the whole key. */
export function cacheKey(
  p: Principal,
  body: { query?: unknown; operationName?: unknown; variables?: unknown },
): string | null {
  if (typeof body.query !== 'string') return null; // persisted-query hashes and bad bodies go the normal way
  const operationName = typeof body.operationName === 'string' ? body.operationName : '';
  // One-shot: a Hash object per request cost more than hashing these few hundred bytes.
  return hash(
    'sha256',
    `${scopeKey(p)}\0${operationName}\0${body.query}\0${JSON.stringify(body.variables ?? {})}`,
    'base64url',
  );
}

/**
 * The key of an answer a subgraph marked PRIVATE (a resident's name, age, labour profile): the
 * shared key and the token's subject, so that only the caller it was made for is given it again —
 * not another officer of the same scope.
 */
export function privateCacheKey(sharedKey: string, p: Principal): string {
  return hash('sha256', `${sharedKey}\0${p.subject}`, 'base64url');
}

/** The epoch every change moves (a suspension: anything may have changed). */
const ALL = '*';

interface Entry {
  /**
   * The answer exactly as sent the first time (JSON and its newline), in UTF-8 outside the V8
   * heap: what it costs is its length, where a JS string holding one Chinese name takes two bytes a
   * character, and a hit is sent without encoding it again.
   */
  body: Buffer;
  expiresAtMs: number;
  /** The subgraphs the answer came from: what invalidates it. */
  subgraphs: string[];
}

export interface ResponseCacheOptions {
  /** Upper bound on any entry's life, whatever the subgraphs' hints say (seconds). */
  maxAgeSeconds: number;
  /** Upper bound on the bytes of answers held, in UTF-8 (oldest leave first). */
  maxBytes: number;
  now?: () => number;
}

/**
 * Answers of read operations, per process, for as long as the subgraphs' cache hints allow and
 * never longer than `maxAgeSeconds`. An answer is dropped when a mutation passes through this
 * gateway or an event is applied by a subgraph it came from (`invalidate`); an answer computed
 * while such a change happened is not kept (each subgraph has an epoch that every change moves).
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  /** The keys of the answers each subgraph contributed to: an invalidation visits only those. */
  private readonly keysBySubgraph = new Map<string, Set<string>>();
  private readonly epochs = new Map<string, number>();
  private bytes = 0;
  private suspended = false;
  readonly stats = { hits: 0, misses: 0, stored: 0, invalidations: 0 };

  constructor(private readonly opts: ResponseCacheOptions) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The fresh answer under the first of `keys` that holds one (a shared key, then a private one). */
  get(...keys: string[]): Buffer | undefined {
    if (this.suspended) return undefined;
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry && entry.expiresAtMs > this.now()) {
        this.stats.hits++;
        return entry.body;
      }
      if (entry) this.remove(key, entry);
    }
    this.stats.misses++;
    return undefined;
  }

  /** What a request notes before it runs, to tell `set` whether anything changed meanwhile. */
  epochSnapshot(): Map<string, number> {
    return new Map(this.epochs);
  }

  set(
    key: string,
    text: string,
    maxAgeSeconds: number,
    subgraphs: readonly string[],
    before: Map<string, number>,
  ): boolean {
    const ttl = Math.min(maxAgeSeconds, this.opts.maxAgeSeconds);
    if (this.suspended || ttl <= 0 || !subgraphs.length || Buffer.byteLength(text) > this.opts.maxBytes) return false;
    if ([ALL, ...subgraphs].some((s) => (this.epochs.get(s) ?? 0) !== (before.get(s) ?? 0))) return false;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    const body = Buffer.from(text);
    this.entries.set(key, { body, expiresAtMs: this.now() + ttl * 1000, subgraphs: [...subgraphs] });
    for (const s of subgraphs) {
      let keys = this.keysBySubgraph.get(s);
      if (!keys) this.keysBySubgraph.set(s, (keys = new Set()));
      keys.add(key);
    }
    this.bytes += body.length;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.opts.maxBytes) break;
      this.remove(k, e);
    }
    this.stats.stored++;
    return true;
  }

  /**
   * Everything that came from this subgraph is stale now. Called for every event batch a subgraph
   * applies, so it visits only that subgraph's answers, not every answer held.
   */
  invalidate(subgraph: string): void {
    this.epochs.set(subgraph, (this.epochs.get(subgraph) ?? 0) + 1);
    this.stats.invalidations++;
    for (const k of [...(this.keysBySubgraph.get(subgraph) ?? [])]) this.remove(k, this.entries.get(k)!);
  }

  /** Nothing can tell the cache about changes for now: drop everything and keep nothing. */
  suspend(): void {
    if (this.suspended) return;
    this.suspended = true;
    this.epochs.set(ALL, (this.epochs.get(ALL) ?? 0) + 1);
    this.entries.clear();
    this.keysBySubgraph.clear();
    this.bytes = 0;
  }

  resume(): void {
    this.suspended = false;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of the answers held now (UTF-8). */
  get heldBytes(): number {
    return this.bytes;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    for (const s of entry.subgraphs) this.keysBySubgraph.get(s)?.delete(key);
    this.bytes -= entry.body.length;
  }
}

/** What the cache notes on a request's context (the gateway's context carries it). */
export interface CacheNote {
  /** Set when the request may be answered from, or stored into, the cache. */
  key?: string;
  /** Where the answer goes instead when a subgraph marked it PRIVATE (`privateCacheKey`). */
  privateKey?: string;
  epochs?: Map<string, number>;
  /** Subgraphs called for this request, filled in by the data sources. */
  subgraphs: Set<string>;
}

export const CACHE_HEADER = 'x-anju-cache';

/**
 * Express, before Apollo: a POST whose key holds a fresh answer gets it straight away (the token
 * was verified — `verify` — and the same text with the same variables passed validation when the
 * answer was made). Anything else goes on to Apollo with its key noted in `res.locals`.
 */
export function cacheLookup(
  cache: ResponseCache,
  verify: (authorization: string) => Promise<Principal>,
  admit: (principal: Principal) => void,
): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.body || typeof req.body !== 'object' || Array.isArray(req.body)) return next();
    verify(req.header('authorization') ?? '').then(
      (principal) => {
        res.locals.principal = principal;
        const key = cacheKey(principal, req.body);
        if (!key) return next();
        const privateKey = privateCacheKey(key, principal);
        const hit = cache.get(key, privateKey);
        if (hit !== undefined) {
          // A hit counts against the token's rate like any operation; over it, Apollo answers the typed error.
          try {
            admit(principal);
          } catch {
            return next();
          }
          res
            .status(200)
            .set({ 'content-type': 'application/json; charset=utf-8', [CACHE_HEADER]: 'hit' })
            .send(hit);
          return;
        }
        res.locals.cache = { key, privateKey, epochs: cache.epochSnapshot(), subgraphs: new Set() } satisfies CacheNote;
        next();
      },
      // A refused token: Apollo answers it with the usual typed error.
      () => next(),
    );
  };
}

/**
 * Apollo, after execution: a query answered without errors and cacheable by every subgraph's
 * hints is kept, for its caller alone when a hint was PRIVATE; a mutation drops what the subgraphs
 * it called had answered.
 */
export function responseCachePlugin<Ctx extends { cache?: CacheNote }>(
  cache: ResponseCache,
  invalidate: (subgraph: string) => void,
): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, response, overallCachePolicy }) {
          const note = contextValue.cache;
          if (!note) return;
          if (operation?.operation === 'mutation') {
            for (const s of note.subgraphs) invalidate(s);
            return;
          }
          if (operation?.operation !== 'query' || !note.key || !note.epochs || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          const policy = overallCachePolicy.policyIfCacheable();
          const key = policy?.scope === 'PRIVATE' ? note.privateKey : note.key;
          const kept =
            !!policy &&
            !!key &&
            !singleResult.errors &&
            singleResult.data != null &&
            (response.http.status ?? 200) === 200 &&
            cache.set(key, serializedResult(singleResult), policy.maxAge, [...note.subgraphs], note.epochs);
          response.http.headers.set(CACHE_HEADER, kept ? 'stored' : 'miss');
        },
      };
    },
  };
}
