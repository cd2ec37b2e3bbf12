import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger, type Principal } from '@anju/kit';
import { mountFileForwarding } from '../src/files';

/**
 * The gateway's file forwarding (`/files/<subgraph>/<path>`) when the subgraph behind it is not
 * there or goes away mid-request: the caller gets the typed, retryable SERVICE_UNAVAILABLE, never
 * an internal error, and what it does forward arrives whole.
 */
const principal = { subject: 'clerk-1', role: 'county', regionCode: '530102' } as unknown as Principal;

async function listening(server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: http.Server | net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A gateway with file forwarding only, to the given subgraphs. */
async function gateway(subgraphs: { name: string; url: string }[]): Promise<{ url: string; server: http.Server }> {
  const app = express();
  mountFileForwarding(app, {
    subgraphs,
    corsOrigins: [],
    maxUploadBytes: 1024 * 1024,
    verify: async () => principal,
    rateLimit: () => undefined,
    logger: createLogger({ service: 'gateway', level: 'silent' }),
  });
  const server = http.createServer(app);
  return { url: `http://127.0.0.1:${await listening(server)}`, server };
}

describe('file forwarding at the gateway', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('forwards an upload whole and streams the answer back with its headers', async () => {
    const received: { path: string; auth?: string; bytes: number }[] = [];
    const subgraph = http.createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ path: req.url!, auth: req.headers.authorization, bytes });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ accepted: bytes }));
      });
    });
    const port = await listening(subgraph);
    cleanups.push(() => close(subgraph));
    const gw = await gateway([{ name: 'governance', url: `http://127.0.0.1:${port}/graphql` }]);
    cleanups.push(() => close(gw.server));

    const body = Buffer.alloc(200_000, 7);
    const res = await fetch(`${gw.url}/files/governance/imports/households?dryRun=true`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/octet-stream' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ accepted: 200_000 });
    expect(received).toEqual([{ path: '/files/imports/households?dryRun=true', auth: 'Bearer t', bytes: 200_000 }]);
  });

  it('answers SERVICE_UNAVAILABLE (503, Retry-After) when the subgraph refuses the connection', async () => {
    // A port that was free a moment ago and has nothing listening now.
    const gone = net.createServer();
    const port = await listening(gone);
    await close(gone);
    const gw = await gateway([{ name: 'governance', url: `http://127.0.0.1:${port}/graphql` }]);
    cleanups.push(() => close(gw.server));

    const res = await fetch(`${gw.url}/files/governance/exports/residents`, { headers: { authorization: 'Bearer t' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const answer = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0].extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      requestId: res.headers.get('x-request-id'),
    });
  });

  it.each(['GET', 'POST'])(
    'answers SERVICE_UNAVAILABLE when the subgraph closes the connection before answering (%s)',
    async (method) => {
      // What a subgraph that stops or crashes mid-request looks like to the gateway: the socket
      // closes with no answer on it (Node's fetch: "other side closed").
      const accepted: net.Socket[] = [];
      const subgraph = net.createServer((socket) => {
        accepted.push(socket);
        socket.once('data', () => socket.destroy());
      });
      const port = await listening(subgraph);
      cleanups.push(() => close(subgraph));
      const gw = await gateway([{ name: 'employment', url: `http://127.0.0.1:${port}/graphql` }]);
      cleanups.push(() => close(gw.server));

      const res = await fetch(`${gw.url}/files/employment/imports/labour-profiles`, {
        method,
        headers: { authorization: 'Bearer t', 'content-type': 'application/octet-stream' },
        body: method === 'POST' ? Buffer.alloc(10_000, 1) : undefined,
      });
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const answer = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(answer.errors.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    },
  );
});
