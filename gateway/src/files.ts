import { Readable } from 'node:stream';
import type { ReadableStream as WebReadable } from 'node:stream/web';
import type { Express, Request, Response } from 'express';
import { SpreadsheetError, sendFileError, type Logger, type Principal } from '@anju/kit';
import { corsMiddleware, requestIdMiddleware } from './http';

/** Response headers of a file answer that travel back to the caller. */
const PASSED_BACK = ['content-type', 'content-disposition', 'cache-control', 'retry-after', 'content-length'];

export interface FileForwarding {
  subgraphs: { name: string; url: string }[];
  corsOrigins: readonly string[];
  maxUploadBytes: number;
  verify(authorization: string): Promise<Principal>;
  rateLimit(subject: string): void;
  logger: Logger;
}

/**
 * Files (exports, imports, reports, templates) go over plain HTTP, not GraphQL: the gateway
 * forwards `/files/<subgraph>/<path>` to that subgraph's `/files/<path>` as a stream both ways,
 * after the same token check and request rate as /graphql. The subgraph checks the token again,
 * the caller's role and scope, and takes from its expensive-operations bucket: the owning
 * service decides, as it does for a field. Why forwarding rather than signed download links:
 * the bearer token already says who asks and in which scope, every service can check it, and
 * nothing new (a signing secret, a table of links) has to be kept or rotated.
 */
export function mountFileForwarding(app: Express, opts: FileForwarding): void {
  const bases = new Map(opts.subgraphs.map((s) => [s.name, new URL('/files', s.url).toString()]));
  app.use('/files', requestIdMiddleware, corsMiddleware(opts.corsOrigins), async (req: Request, res: Response) => {
    try {
      const [, service, ...rest] = req.path.split('/');
      const base = bases.get(service);
      if (!base || !rest.length) {
        res.status(404).json({
          errors: [{ message: 'No such file path: /files/<service>/<path>.', extensions: { code: 'NOT_FOUND' } }],
        });
        return;
      }
      const principal = await opts.verify(req.header('authorization') ?? '');
      opts.rateLimit(principal.subject);
      const length = Number(req.header('content-length') ?? 0);
      if (length > opts.maxUploadBytes) {
        throw new SpreadsheetError('FILE_TOO_LARGE', `The file is larger than ${opts.maxUploadBytes} bytes.`, {
          limit: opts.maxUploadBytes,
          actual: length,
        });
      }
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const upstream = await fetch(`${base}/${rest.map(encodeURIComponent).join('/')}${query}`, {
        method: req.method,
        headers: {
          authorization: req.header('authorization') ?? '',
          'content-type': req.header('content-type') ?? 'application/octet-stream',
          'x-request-id': String(res.getHeader('x-request-id') ?? ''),
          ...(length ? { 'content-length': String(length) } : {}),
        },
        body: req.method === 'POST' ? (Readable.toWeb(req) as unknown as BodyInit) : undefined,
        duplex: 'half',
        signal: abort.signal,
      } as RequestInit);
      res.status(upstream.status);
      for (const h of PASSED_BACK) {
        const v = upstream.headers.get(h);
        if (v) res.setHeader(h, v);
      }
      if (!upstream.body) {
        res.end();
        return;
      }
      Readable.fromWeb(upstream.body as unknown as WebReadable)
        .on('error', (err) => res.destroy(err))
        .pipe(res);
    } catch (err) {
      sendFileError(res, err, opts.logger);
    }
  });
}
