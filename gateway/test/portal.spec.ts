import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger, loadConfig, platformSettings, verifyBearer } from '@anju/kit';
import { mountPortal, portalSettings, safelistMiddleware } from '../src/portal';

const QUERY = 'query Regions { regions { code } }';
const HASH = 'a'.repeat(64);

/** The portal's mount and the safelist on a bare express app: /graphql answers with the body it got. */
async function serve(
  nodeEnv: 'development' | 'production',
  safelist: 'auto' | 'on' | 'off',
  extra: Record<string, string> = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-portal-gw-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>安居</title>');
  fs.writeFileSync(path.join(dir, 'operations.json'), JSON.stringify({ [HASH]: QUERY }));
  const config = {
    ...loadConfig({ ...platformSettings, ...portalSettings }, extra),
    NODE_ENV: nodeEnv,
    PORTAL_DIR: dir,
    PORTAL_SAFELIST: safelist,
  };
  const logger = createLogger({ service: 'gateway', level: 'silent' });
  const app = express();
  mountPortal(app, config, logger);
  app.use('/graphql', express.json(), safelistMiddleware(config, logger), (req, res) => {
    res.json({ received: req.body });
  });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    config,
    close: () => {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the portal on the gateway', () => {
  it('serves the built portal at /', async () => {
    const s = await serve('production', 'auto');
    try {
      const res = await fetch(`${s.base}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('安居');
    } finally {
      s.close();
    }
  });

  it('mints a development token for a role and scope, refusing one without its scope', async () => {
    const s = await serve('development', 'auto');
    try {
      const ok = await post(`${s.base}/portal/dev/token`, { role: 'county', regions: ['530627'] });
      expect(ok.status).toBe(200);
      const { token } = (await ok.json()) as { token: string };
      expect(await verifyBearer(`Bearer ${token}`, s.config)).toMatchObject({ role: 'county', regions: ['530627'] });

      const noScope = await post(`${s.base}/portal/dev/token`, { role: 'county' });
      expect(noScope.status).toBe(400);
      expect(((await noScope.json()) as { error: { message: string } }).error.message).toMatch(/regions/);
      const badRole = await post(`${s.base}/portal/dev/token`, { role: 'admin' });
      expect(await badRole.json()).toEqual({
        error: { field: 'role', message: expect.stringMatching(/role must be one of/) },
      });
    } finally {
      s.close();
    }
  });

  it('tells the sign-in page how to sign in: the provider if set, the dev page never in production', async () => {
    const oidc = { PORTAL_OIDC_ISSUER: 'https://id.yn.gov.example/realms/anju', PORTAL_OIDC_CLIENT_ID: 'anju-portal' };
    for (const [env, extra, expected] of [
      ['development', {}, { signIn: 'development' }],
      ['production', {}, { signIn: 'none' }],
      [
        'production',
        oidc,
        { signIn: 'oidc', oidc: { issuer: oidc.PORTAL_OIDC_ISSUER, clientId: 'anju-portal', scope: 'openid profile' } },
      ],
      [
        'development',
        oidc,
        { signIn: 'oidc', oidc: { issuer: oidc.PORTAL_OIDC_ISSUER, clientId: 'anju-portal', scope: 'openid profile' } },
      ],
    ] as const) {
      const s = await serve(env, 'auto', extra);
      try {
        const res = await fetch(`${s.base}/portal/config.json`);
        expect({ env, body: await res.json(), cache: res.headers.get('cache-control') }).toEqual({
          env,
          body: expected,
          cache: 'no-store',
        });
      } finally {
        s.close();
      }
    }
  });

  it('has no development token endpoint in production', async () => {
    const s = await serve('production', 'auto');
    try {
      const res = await post(`${s.base}/portal/dev/token`, { role: 'province', regions: ['53'] });
      expect(res.status).toBe(404);
    } finally {
      s.close();
    }
  });

  it('in production accepts from a browser only listed operations, running the listed text', async () => {
    const s = await serve('production', 'auto');
    try {
      const browser = { 'sec-fetch-site': 'same-origin' };
      const listed = await post(
        `${s.base}/graphql`,
        { query: '{ anything }', extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } },
        browser,
      );
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { received: { query: string } }).received.query).toBe(QUERY);

      const freeForm = await post(`${s.base}/graphql`, { query: '{ residents { nodes { name } } }' }, browser);
      expect(freeForm.status).toBe(400);
      expect(await freeForm.json()).toMatchObject({
        errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }],
      });
      const unknownId = await post(
        `${s.base}/graphql`,
        { query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } },
        { origin: 'https://elsewhere.example' },
      );
      expect(unknownId.status).toBe(400);

      // Partners' programs (no browser headers) still send their own operations.
      const program = await post(`${s.base}/graphql`, { query: '{ regions { code name } }' });
      expect(program.status).toBe(200);
    } finally {
      s.close();
    }
  });

  it('in development lets a browser send any operation', async () => {
    const s = await serve('development', 'auto');
    try {
      const res = await post(
        `${s.base}/graphql`,
        { query: '{ regions { code name } }' },
        { 'sec-fetch-site': 'same-origin' },
      );
      expect(res.status).toBe(200);
    } finally {
      s.close();
    }
  });
});
