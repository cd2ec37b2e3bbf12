import express, { type RequestHandler } from 'express';
import { bindToCurrentRequest } from './request-context';
import { bindToActiveSpan } from './tracing';

/** The one body shape portals and the gateway send: JSON in UTF-8 (the charset said or left out). */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** A refusal shaped as body-parser's (status, type), for `bodyErrorHandler`. */
const notJson = (message: string) =>
  Object.assign(new SyntaxError(message), { status: 400, statusCode: 400, type: 'entity.parse.failed' });

/** body-parser's strict JSON: an empty body is `{}`, anything but an object or an array is refused. */
export function parseStrictJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte-order mark, as iconv drops it
  if (body.length === 0) return {};
  const first = /\S/.exec(body)?.[0];
  if (first !== '{' && first !== '[')
    throw notJson(`Unexpected token ${first ?? 'end of input'}: not a JSON object or array`);
  try {
    return JSON.parse(body);
  } catch (err) {
    throw notJson((err as Error).message);
  }
}

/**
 * express.json for /graphql, at the gateway and in every subgraph. The body portals send to the
 * gateway and the gateway to subgraphs — `application/json` in UTF-8, uncompressed, its
 * Content-Length within `maxBytes` — is read and parsed here, without body-parser's machinery per
 * request (content-type, type-is, raw-body, iconv: ~4% of the gateway's CPU under `pnpm bench
 * gateway`, ~3% of governance's under the cache-off dashboard). Every other request (another type or charset, a
 * compressed or chunked body, one over the limit) goes to express.json itself, so what is accepted
 * and refused, and with which status, stays body-parser's.
 */
export function jsonBody(maxBytes: number): RequestHandler {
  const general = express.json({ limit: maxBytes });
  return (req, res, next) => {
    const { 'content-type': type, 'content-length': length } = req.headers;
    const declared = length === undefined ? NaN : Number(length);
    if (
      !type ||
      !PLAIN_JSON.test(type) ||
      req.headers['content-encoding'] ||
      req.headers['transfer-encoding'] ||
      !(declared <= maxBytes)
    ) {
      general(req, res, next);
      return;
    }
    const chunks: Buffer[] = [];
    // Bound to this request's context (its id and its span), as raw-body binds its callback: the
    // stream's events arrive in the socket's, and what runs after this reads them.
    const done = bindToActiveSpan(
      bindToCurrentRequest((err?: Error) => {
        if (err) return next(Object.assign(err, { status: 400, statusCode: 400, type: 'request.aborted' }));
        try {
          req.body = parseStrictJson((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'));
        } catch (parseError) {
          return next(parseError);
        }
        next();
      }),
    );
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', done);
    req.once('end', () => done());
  };
}
