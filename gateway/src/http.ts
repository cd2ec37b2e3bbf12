import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import {
  INTERNAL_MESSAGE, REQUEST_ID_HEADER, bindToActiveSpan, bindToCurrentRequest, currentRequestId, runWithRequestId, type Logger,
} from '@anju/kit';

/**
 * The request id: a valid incoming `x-request-id` is kept (a portal may set one), anything else
 * is replaced by a fresh one; either way it is returned in the response header and travels on.
 */
export const requestIdMiddleware: RequestHandler = (req, res, next) =>
  runWithRequestId(req.header(REQUEST_ID_HEADER), () => {
    res.setHeader(REQUEST_ID_HEADER, currentRequestId()!);
    next();
  });

const ALLOWED_HEADERS = 'authorization, content-type, x-request-id, apollo-require-preflight';

/** Pure CORS decision: the response headers for a request from `origin` (none if not allowed). */
export function corsHeaders(origin: string | undefined, preflight: boolean, allowed: readonly string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': REQUEST_ID_HEADER,
  };
  if (preflight) {
    headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
    headers['access-control-allow-headers'] = ALLOWED_HEADERS;
    headers['access-control-max-age'] = '600';
  }
  return headers;
}

/** Browsers from the configured origins only; tokens travel in a header, so no credentials mode. */
export function corsMiddleware(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    res.vary('Origin');
    const preflight = req.method === 'OPTIONS';
    res.set(corsHeaders(req.header('origin'), preflight, allowed));
    if (preflight) {
      res.status(204).end();
      return;
    }
    next();
  };
}

/** What a body the JSON parser refused becomes: a GraphQL error with a code, never an HTML page. */
export function bodyErrorResponse(err: { status?: number; statusCode?: number; type?: string }, maxBytes: number): { status: number; message: string; code: string } {
  const status = err.status ?? err.statusCode ?? 500;
  if (status === 413) return { status, code: 'BAD_REQUEST', message: `The request body is larger than the ${maxBytes} bytes accepted.` };
  if (status === 415) return { status, code: 'BAD_REQUEST', message: 'The request body must be JSON in UTF-8.' };
  if (status >= 400 && status < 500) return { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' };
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_MESSAGE };
}

export function bodyErrorHandler(maxBytes: number, logger: Logger): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, code, message } = bodyErrorResponse(err, maxBytes);
    if (status >= 500) logger.error({ err }, 'request failed before GraphQL');
    res.status(status).json({ errors: [{ message, extensions: { code, requestId: currentRequestId() } }] });
  };
}

/** The one body shape portals send: JSON in UTF-8 (the charset said or left out). */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** A refusal shaped as body-parser's (status, type), for `bodyErrorHandler`. */
const notJson = (message: string) => Object.assign(new SyntaxError(message), { status: 400, statusCode: 400, type: 'entity.parse.failed' });

/** body-parser's strict JSON: an empty body is `{}`, anything but an object or an array is refused. */
export function parseStrictJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte-order mark, as iconv drops it
  if (body.length === 0) return {};
  const first = /\S/.exec(body)?.[0];
  if (first !== '{' && first !== '[') throw notJson(`Unexpected token ${first ?? 'end of input'}: not a JSON object or array`);
  try {
    return JSON.parse(body);
  } catch (err) {
    throw notJson((err as Error).message);
  }
}

/**
 * express.json for /graphql. The body every portal sends — `application/json` in UTF-8,
 * uncompressed, its Content-Length within `maxBytes` — is read and parsed here, without
 * body-parser's machinery per request (content-type, type-is, raw-body, iconv: ~4% of the
 * gateway's CPU under `pnpm bench gateway`). Every other request (another type or charset, a
 * compressed or chunked body, one over the limit) goes to express.json itself, so what is accepted
 * and refused, and with which status, stays body-parser's.
 */
export function jsonBody(maxBytes: number): RequestHandler {
  const general = express.json({ limit: maxBytes });
  return (req, res, next) => {
    const { 'content-type': type, 'content-length': length } = req.headers;
    const declared = length === undefined ? NaN : Number(length);
    if (!type || !PLAIN_JSON.test(type) || req.headers['content-encoding'] || req.headers['transfer-encoding'] || !(declared <= maxBytes)) {
      general(req, res, next);
      return;
    }
    const chunks: Buffer[] = [];
    // Bound to this request's context (its id and its span), as raw-body binds its callback: the
    // stream's events arrive in the socket's, and what runs after this reads them.
    const done = bindToActiveSpan(bindToCurrentRequest((err?: Error) => {
      if (err) return next(Object.assign(err, { status: 400, statusCode: 400, type: 'request.aborted' }));
      try {
        req.body = parseStrictJson((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'));
      } catch (parseError) {
        return next(parseError);
      }
      next();
    }));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', done);
    req.once('end', () => done());
  };
}
