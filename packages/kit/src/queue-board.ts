import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { DataSource } from 'typeorm';
import { verifyOperator, type Operator } from './auth';
import type { PlatformConfig } from './config';
import { AppError } from './errors';
import type { Logger } from './logger';

/** Where the board lives on a worker's health port. */
export const QUEUE_BOARD_PATH = '/queues';
const COOKIE = 'anju_operator';

/**
 * The actions an operator may take from the board, by Bull Board's API route: retrying and
 * removing jobs (one, or all of a state), promoting a delayed one. Everything else that writes —
 * adding jobs, editing a job's data (an event's payload: it would bypass the contract), emptying
 * or obliterating a queue, changing schedulers, concurrency or rate limits — is refused (403).
 */
const ACTIONS: { pattern: RegExp; action: string; job: boolean }[] = [
  { pattern: /^\/api\/queues\/([^/]+)\/retry\/([^/]+)$/, action: 'queue.retry_all', job: false },
  { pattern: /^\/api\/queues\/([^/]+)\/clean\/([^/]+)$/, action: 'queue.clean', job: false },
  { pattern: /^\/api\/queues\/([^/]+)\/promote$/, action: 'queue.promote_all', job: false },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/, action: 'job.retry', job: true },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/clean$/, action: 'job.remove', job: true },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/promote$/, action: 'job.promote', job: true },
];

/**
 * Bull Board (@bull-board/express) over a worker's queues at /queues on its health port, for
 * operators only: `Authorization: Bearer <operator token>`, or the cookie the sign-in form at
 * /queues/login sets (HttpOnly, SameSite=Strict, path /queues). Domain tokens get 403, none 401.
 * Every action is written to the service's audit log first, and refused if that fails.
 */
export function mountQueueBoard(
  app: Express,
  opts: {
    queues: Queue[];
    db: DataSource;
    config: PlatformConfig;
    logger: Logger;
  },
): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: opts.queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });

  const login = express.Router();
  login.get('/login', (_req, res) => {
    res.type('html').send(`<!doctype html><meta charset="utf-8"><title>Anju queues</title>
<form method="post" action="${QUEUE_BOARD_PATH}/login"><label>Operator token
<input name="token" type="password" autofocus></label>
<button>Sign in</button></form>`);
  });
  login.post('/login', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    try {
      await verifyOperator(`Bearer ${token}`, opts.config);
    } catch (err) {
      refuse(res, err);
      return;
    }
    const secure = opts.config.NODE_ENV === 'production' ? '; Secure' : '';
    res.setHeader('set-cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=${QUEUE_BOARD_PATH}${secure}`);
    res.redirect(303, `${QUEUE_BOARD_PATH}/`);
  });

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const fromCookie = cookie(req.header('cookie'), COOKIE);
    try {
      res.locals.operator = await verifyOperator(
        req.header('authorization') ?? (fromCookie ? `Bearer ${fromCookie}` : undefined),
        opts.config,
      );
      next();
    } catch (err) {
      refuse(res, err);
    }
  };

  const audited = async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      next();
      return;
    }
    const match = ACTIONS.map((a) => ({ a, m: a.pattern.exec(req.path) })).find((x) => x.m);
    if (!match) {
      res
        .status(403)
        .json({ error: 'FORBIDDEN', message: 'Operators may retry, remove and promote jobs here; nothing else.' });
      return;
    }
    const operator = res.locals.operator as Operator;
    const queue = decodeURIComponent(match.m![1]);
    const second = decodeURIComponent(match.m![2] ?? '');
    const detail = match.a.job ? { queue, jobId: second } : { queue, ...(second ? { state: second } : {}) };
    const requestId = `queue-board-${randomUUID()}`;
    try {
      await opts.db.query(
        `INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, request_id, detail)
          VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          operator.subject,
          operator.role,
          match.a.action,
          match.a.job ? 'job' : 'queue',
          match.a.job ? `${queue}/${second}` : queue,
          requestId,
          JSON.stringify(detail),
        ],
      );
    } catch (err) {
      opts.logger.error(
        { err, action: match.a.action, ...detail },
        'queue board: the audit row could not be written; the action is refused',
      );
      res.status(503).json({
        error: 'AUDIT_UNAVAILABLE',
        message: 'The action could not be audited, so it was not taken; try again.',
      });
      return;
    }
    opts.logger.info(
      { operator: operator.subject, action: match.a.action, requestId, ...detail },
      'queue board action',
    );
    next();
  };

  app.use(QUEUE_BOARD_PATH, login, authenticate, audited, adapter.getRouter());
}

function refuse(res: Response, err: unknown): void {
  const code = err instanceof AppError ? String(err.extensions.code) : 'UNAUTHENTICATED';
  res
    .status(code === 'FORBIDDEN' ? 403 : 401)
    .json({ error: code, message: err instanceof Error ? err.message : 'Authentication failed.' });
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
