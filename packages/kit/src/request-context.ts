import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request id born at the gateway (or at a job's origin) travels with the work: through
 * subgraphs as the `x-request-id` header, into outbox rows and job payloads, and into every log
 * line written on its behalf.
 */
export interface RequestContext {
  requestId: string;
  /** SQL statements this process sent on the request's behalf (an operation's log line shows it). */
  sqlStatements: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';

export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return storage.run({ requestId: sanitizeRequestId(requestId) ?? randomUUID(), sqlStatements: 0 }, fn);
}

/** Counts one SQL statement against the current request, if there is one (the data source calls it). */
export function countSqlStatement(): void {
  const store = storage.getStore();
  if (store) store.sqlStatements++;
}

/** Work a request starts for the process, not for itself (a cache's refresh): no request id, not counted against it. */
export function runOutsideRequest<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * `fn`, to be called later in the request context current now: a stream's events (a request body
 * read to its end) arrive in the socket's context. AsyncResource.bind does this for every
 * AsyncLocalStorage at once, at ~10 µs a bind on Node 20; this is one store's `run`.
 */
export function bindToCurrentRequest<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const store = storage.getStore();
  return store ? (...args: A) => storage.run(store, fn, ...args) : fn;
}

export function currentSqlStatements(): number | undefined {
  return storage.getStore()?.sqlStatements;
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Only ids that look like ids travel on: no header injection into logs. */
export function sanitizeRequestId(raw: unknown): string | undefined {
  return typeof raw === 'string' && /^[\w.:-]{1,100}$/.test(raw) ? raw : undefined;
}
