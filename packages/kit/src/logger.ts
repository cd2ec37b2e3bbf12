import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger, DestinationStream } from 'pino';

// PIPL: ID numbers and phones never reach a log line, wherever they hide (a SQL parameter list,
// GraphQL variables, an error message). Keys are removed; free text is scrubbed by pattern.
const SENSITIVE_KEYS = /^(national_?id|id_?number|phone|mobile|authorization|password|token|secret)$/i;
const NATIONAL_ID = /(?<!\d)\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![\dXx])/g;
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

export function scrubText(text: string): string {
  return text.replace(NATIONAL_ID, '[ID-REDACTED]').replace(PHONE, '[PHONE-REDACTED]');
}

export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const err = value as Error & Record<string, unknown>;
    const out: Record<string, unknown> = { type: err.name, message: scrubText(err.message ?? '') };
    if (err.stack) out.stack = scrubText(err.stack);
    for (const key of ['code', 'detail', 'query', 'parameters', 'driverError', 'cause']) {
      if (err[key] !== undefined) out[key] = scrub(err[key], depth + 1);
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (Buffer.isBuffer(value)) return '[bytes]';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEYS.test(k) ? '[REDACTED]' : scrub(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  service: string;
  level: string;
  /** Where lines go; tests pass a stream to read them. */
  destination?: DestinationStream;
}

export function createLogger({ service, level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // Scrub the message string too (the object part goes through formatters.log).
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
