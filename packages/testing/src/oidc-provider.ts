import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import type { TokenClaims } from '@anju/kit';

/** A person the test provider can sign in: Anju's claims as the province's provider is set up to issue them. */
export interface TestOidcUser {
  /** What the provider's own login page shows, to pick by. */
  login: string;
  name: string;
  claims: TokenClaims;
}

export interface TestOidcProvider {
  issuer: string;
  jwksUrl: string;
  clientId: string;
  /** A token as the provider would sign it (`key: 'foreign'` signs with a key it does not publish). */
  sign(
    claims: TokenClaims & Record<string, unknown>,
    opts?: { audience?: string; key?: 'own' | 'foreign'; ttlSeconds?: number },
  ): Promise<string>;
  stop(): Promise<void>;
}

interface Grant {
  user: TestOidcUser;
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
}

/**
 * A local OpenID Connect provider for tests, standing in for the province's 统一身份认证: discovery,
 * JWKS (RS256, as most providers sign), an authorization endpoint whose login page lists the users,
 * and a token endpoint for the authorization code with PKCE (S256 only), one use per code. It is
 * small on purpose and checks what a real provider checks for a public client: client id,
 * redirect URI, PKCE verifier. Never used outside tests.
 */
export async function startTestOidcProvider(opts: {
  users: TestOidcUser[];
  clientId?: string;
  /** `aud` of the access tokens: the API's AUTH_AUDIENCE. */
  audience?: string;
  /** Redirect URIs the client registered (exact match); any http://127.0.0.1 origin when unset. */
  redirectUris?: string[];
}): Promise<TestOidcProvider> {
  const clientId = opts.clientId ?? 'anju-portal';
  const audience = opts.audience ?? 'anju-api';
  const own = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const foreign = await generateKeyPair('RS256', { modulusLength: 2048 });
  const kid = `test-provider-${randomBytes(4).toString('hex')}`;
  const jwks = { keys: [{ ...(await exportJWK(own.publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  const grants = new Map<string, Grant>();
  let issuer = '';

  const sign = async (
    claims: Record<string, unknown>,
    o: { audience?: string; key?: 'own' | 'foreign'; ttlSeconds?: number; nonce?: string } = {},
  ) => {
    const { sub, ...rest } = claims as { sub: string };
    const key: KeyLike = o.key === 'foreign' ? foreign.privateKey : own.privateKey;
    return new SignJWT({ ...rest, ...(o.nonce ? { nonce: o.nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience(o.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(`${o.ttlSeconds ?? 3600}s`)
      .sign(key);
  };

  const allowedRedirect = (uri: string) =>
    opts.redirectUris ? opts.redirectUris.includes(uri) : /^http:\/\/127\.0\.0\.1:\d+\/$/.test(uri);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
    const json = (status: number, body: unknown) => {
      res
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...cors })
        .end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS')
      return void res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST' }).end();
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
        scopes_supported: ['openid', 'profile'],
      });
    }
    if (url.pathname === '/jwks') return json(200, jwks);
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== clientId || !allowedRedirect(redirectUri)) {
        return void res
          .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
          .end('unknown client or redirect_uri');
      }
      const back = (params: Record<string, string>) => {
        const to = new URL(redirectUri);
        for (const [k, v] of Object.entries({ ...params, state: q.get('state') ?? '', iss: issuer }))
          to.searchParams.set(k, v);
        res.writeHead(302, { location: to.toString() }).end();
      };
      if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
      if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return back({ error: 'invalid_request', error_description: 'PKCE S256 required' });
      }
      const login = q.get('login');
      if (q.get('deny')) return back({ error: 'access_denied' });
      if (!login) {
        // The provider's own page: one link per user (what the test clicks), and a refusal.
        const links = opts.users.map((u) => {
          const to = new URL(url);
          to.searchParams.set('login', u.login);
          return `<li><a data-login="${u.login}" href="${to.pathname}${to.search}">${u.name}</a></li>`;
        });
        const deny = new URL(url);
        deny.searchParams.set('deny', '1');
        return void res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            `<!doctype html><title>统一身份认证（测试）</title><ul>${links.join('')}</ul><a ` +
              `data-deny href="${deny.pathname}${deny.search}">拒绝</a>`,
          );
      }
      const user = opts.users.find((u) => u.login === login);
      if (!user) return back({ error: 'access_denied' });
      const code = randomBytes(24).toString('base64url');
      grants.set(code, {
        user,
        clientId,
        redirectUri,
        challenge: q.get('code_challenge')!,
        nonce: q.get('nonce') ?? undefined,
      });
      return back({ code });
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const f = new URLSearchParams(body);
        const grant = grants.get(f.get('code') ?? '');
        grants.delete(f.get('code') ?? ''); // a code is good once
        if (f.get('grant_type') !== 'authorization_code') return json(400, { error: 'unsupported_grant_type' });
        if (!grant || grant.clientId !== f.get('client_id') || grant.redirectUri !== f.get('redirect_uri'))
          return json(400, { error: 'invalid_grant' });
        const verifier = f.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
        const { claims, name } = grant.user;
        Promise.all([
          sign({ ...claims, name }),
          sign({ sub: claims.sub, name }, { audience: clientId, nonce: grant.nonce }),
        ]).then(([accessToken, idToken]) =>
          json(200, { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 3600 }),
        );
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    clientId,
    sign: (claims, o) => sign(claims, o),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
