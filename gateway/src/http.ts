import type { ErrorRequestHandler, RequestHandler } from 'express';
import { INTERNAL_MESSAGE, REQUEST_ID_HEADER, currentRequestId, runWithRequestId, type Logger } from '@anju/kit';

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
export function corsHeaders(
  origin: string | undefined,
  preflight: boolean,
  allowed: readonly string[],
): Record<string, string> {
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
export function bodyErrorResponse(
  err: { status?: number; statusCode?: number; type?: string },
  maxBytes: number,
): { status: number; message: string; code: string } {
  const status = err.status ?? err.statusCode ?? 500;
  if (status === 413)
    return { status, code: 'BAD_REQUEST', message: `The request body is larger than the ${maxBytes} bytes accepted.` };
  if (status === 415) return { status, code: 'BAD_REQUEST', message: 'The request body must be JSON in UTF-8.' };
  if (status >= 400 && status < 500)
    return { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' };
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
