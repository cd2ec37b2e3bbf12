import express, { type Express, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { requireRole, type Principal, type Role } from '../auth';
import { INTERNAL_MESSAGE, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER_SECONDS, isClientError } from '../errors';
import { isDatabaseUnavailable } from '../database';
import { verifyBearerCached } from '../verified-tokens';
import { currentRequestId } from '../request-context';
import type { PlatformConfig } from '../config';
import type { Logger } from '../logger';
import type { Clock } from '../clock';
import { provinceDate } from '../calendar';
import { SpreadsheetError } from './spreadsheet-error';
import { XlsxSheetWriter, type XlsxColumn } from './xlsx-writer';

/** What a file route's handler gets: the verified caller, as a resolver does. */
export interface FileRequest {
  principal: Principal;
  requestId: string;
  logger: Logger;
  clock: Clock;
  /** Query-string parameters (single values). */
  query: Record<string, string | undefined>;
  params: Record<string, string>;
  /** The uploaded file (POST routes). */
  body?: Buffer;
}

/**
 * A file served or received over plain HTTP beside `/graphql` (GraphQL carries no files):
 * `GET /files/<path>` for an export or a report, `POST /files/<path>` with the raw file as the
 * body for an import. The gateway forwards `/files/<service>/<path>` here with the caller's
 * bearer token; partners may call a subgraph's `/files` directly. Each route is checked like a
 * resolver: a verified token, the request rate, the roles, and — for the expensive ones (every
 * export, every import) — the expensive-operations bucket of the kit's rate limits.
 */
export interface FileRoute {
  method: 'get' | 'post';
  /** Express path under /files, e.g. `/exports/residents`. */
  path: string;
  roles: readonly Role[];
  /** Takes from the caller's expensive-operations bucket (EXPENSIVE_RATE_LIMIT_PER_HOUR). */
  expensive: boolean;
  /** Writes the answer: a JSON object (sent as such) or nothing (the handler streamed it). */
  handle(req: FileRequest, res: Response): Promise<object | void>;
}

export interface FileRouteDeps {
  config: PlatformConfig;
  logger: Logger;
  clock: Clock;
  rates: { request(subject: string): void; expensive(subject: string, what: string): void };
}

/** Mounts a subgraph's file routes under `/files`. */
export function mountFileRoutes(app: Express, routes: readonly FileRoute[], deps: FileRouteDeps): void {
  const raw = express.raw({ type: () => true, limit: deps.config.SPREADSHEET_MAX_BYTES });
  for (const route of routes) {
    const handlers = [
      ...(route.method === 'post' ? [raw] : []),
      async (req: Request, res: Response) => {
        try {
          const principal = await verifyBearerCached(req.header('authorization'), deps.config);
          deps.rates.request(principal.subject);
          requireRole(principal, ...route.roles);
          if (route.expensive)
            deps.rates.expensive(principal.subject, `${route.method.toUpperCase()} /files${route.path}`);
          const answer = await route.handle(
            {
              principal,
              requestId: currentRequestId()!,
              logger: deps.logger.child({ role: principal.role, sub: principal.subject, route: route.path }),
              clock: deps.clock,
              query: Object.fromEntries(
                Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
              ),
              params: req.params as Record<string, string>,
              body: Buffer.isBuffer(req.body) ? req.body : undefined,
            },
            res,
          );
          if (answer && !res.headersSent) res.json(answer);
        } catch (err) {
          sendFileError(res, err, deps.logger);
        }
      },
    ];
    app[route.method](`/files${route.path}`, ...handlers);
  }
  // express.raw's own refusals as typed errors, not an HTML page nor the internal error's 500: a body over the
  // limit, and a body the client broke off or sent shorter or longer than it said (4xx: the client's doing).
  app.use('/files', ((err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status ?? 500;
    if (status >= 400 && status < 500 && status !== 413) {
      const message = `The upload was not received whole (${(err as Error).message}): send it again.`;
      return sendFileError(res, new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } }), deps.logger);
    }
    if (status === 413) {
      return sendFileError(
        res,
        new SpreadsheetError('FILE_TOO_LARGE', `The file is larger than ${deps.config.SPREADSHEET_MAX_BYTES} bytes.`, {
          limit: deps.config.SPREADSHEET_MAX_BYTES,
        }),
        deps.logger,
      );
    }
    sendFileError(res, err, deps.logger);
  }) as express.ErrorRequestHandler);
}

const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/**
 * A typed error as the GraphQL endpoint would give it (`errors[0].extensions.code`), with its HTTP
 * status. PostgreSQL unavailable (down, or no pooled connection free in time) or, at the gateway, a
 * subgraph not answering is SERVICE_UNAVAILABLE, 503 with Retry-After; anything else unexpected is
 * INTERNAL_SERVER_ERROR, 500. Both are logged with their cause and the request id the client is shown.
 */
export function sendFileError(res: Response, err: unknown, logger: Logger): void {
  const code = err instanceof GraphQLError ? err.extensions?.code : undefined;
  if (res.headersSent) {
    // A stream already under way: cut it, so the client sees a broken download rather than a short file.
    logger.error({ err }, 'a file stream failed mid-way');
    res.destroy(err as Error);
    return;
  }
  if (err instanceof GraphQLError && isClientError(code)) {
    const { http, ...extensions } = err.extensions as { http?: { status?: number; headers?: Map<string, string> } };
    for (const [k, v] of http?.headers ?? []) res.setHeader(k, v);
    res
      .status(http?.status ?? STATUS[code as string] ?? 400)
      .json({ errors: [{ message: err.message, extensions: { ...extensions, requestId: currentRequestId() } }] });
    return;
  }
  const requestId = currentRequestId();
  if (isDatabaseUnavailable(err)) {
    logger.warn({ err, requestId }, 'a file request found a service it needs unavailable');
    res.setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    res.status(503).json({
      errors: [
        { message: UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId } },
      ],
    });
    return;
  }
  logger.error({ err, requestId }, 'a file request failed');
  res.status(500).json({
    errors: [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
  });
}

/** `attachment` with the Chinese file name (RFC 6266/5987) and a plain ASCII fallback. */
export function attachment(
  res: Response,
  fileName: string,
  contentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
): void {
  res.setHeader('content-type', contentType);
  res.setHeader(
    'content-disposition',
    `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}";` +
      ` filename*=UTF-8''${encodeURIComponent(fileName)}`,
  );
  res.setHeader('cache-control', 'no-store');
}

/**
 * Streams an export: headers, then rows as `rows` yields them (page by page from the database),
 * never the whole list in memory. Returns the number of rows written.
 */
export async function streamXlsx(
  res: Response,
  fileName: string,
  sheetName: string,
  columns: readonly XlsxColumn[],
  rows: AsyncIterable<readonly unknown[]>,
): Promise<number> {
  attachment(res, fileName);
  const writer = new XlsxSheetWriter(res, sheetName, columns);
  let n = 0;
  for await (const row of rows) {
    await writer.add(row);
    n += 1;
  }
  await writer.end();
  return n;
}

/** One column of an export: its Chinese header and how a row gives its cell. */
export interface ExportColumn<T> extends XlsxColumn {
  value: (row: T) => unknown;
}

/**
 * An export (导出) as a file route: `GET /files/exports/<name>`, for the roles given, expensive
 * (the caller's expensive-operations bucket), audited before the first byte leaves (`audit`
 * writes the service's audit row and may refuse, e.g. a site outside the scope), then streamed
 * page by page (`page(after)` returns the rows after the last one, in the caller's scope), so a
 * province export never holds its rows. Cells are formula-neutralized by the sheet writer.
 */
export function exportRoute<T>(def: {
  name: string;
  roles: readonly Role[];
  fileName: string;
  sheet: string;
  columns: readonly ExportColumn<T>[];
  audit: (req: FileRequest) => Promise<void>;
  page: (req: FileRequest, after: T | null) => Promise<T[]>;
}): FileRoute {
  return {
    method: 'get',
    path: `/exports/${def.name}`,
    roles: def.roles,
    expensive: true,
    handle: async (req, res) => {
      await def.audit(req);
      // The first page before any header leaves: a refusal in it is still a typed error, not a broken file.
      const first = await def.page(req, null);
      async function* rows(): AsyncGenerator<readonly unknown[]> {
        let page = first;
        while (page.length) {
          for (const r of page) yield def.columns.map((c) => c.value(r));
          page = await def.page(req, page[page.length - 1]);
        }
      }
      await streamXlsx(res, `${def.fileName}-${provinceDate(req.clock.now())}.xlsx`, def.sheet, def.columns, rows());
    },
  };
}
