/**
 * The portal (packages/portal) served by the gateway, same origin as /graphql:
 * - its built files (index.html, app.js, app.css) at `/`;
 * - `GET /portal/config.json`: how the sign-in page signs in — the province's OpenID Connect
 *   provider (its issuer and the portal's client id), or, outside production only, the development page;
 * - outside production, `POST /portal/dev/token`, which mints a development token for the
 *   sign-in page (absent in production: a 404 like any unknown path);
 * - the persisted-query safelist: a browser's request to /graphql must name one of the portal's
 *   own operations (dist/operations.json, written at build time), whose listed text is what runs,
 *   so the portal in a browser cannot be used as a free-form query console.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import {
  AppError,
  ROLES,
  currentRequestId,
  issuerSettings,
  loadConfig,
  mintToken,
  setting,
  verifyBearer,
  type ConfigOf,
  type IssuerConfig,
  type Logger,
  type PlatformConfig,
} from '@anju/kit';

const DEFAULT_PORTAL_DIR = path.resolve(__dirname, '..', '..', 'packages', 'portal', 'dist');

export const portalSettings = {
  PORTAL_DIR: setting.string(
    DEFAULT_PORTAL_DIR,
    'folder of the built portal (pnpm --filter @anju/portal build) that the gateway serves at /',
  ),
  PORTAL_SAFELIST: setting.oneOf(
    ['auto', 'on', 'off'] as const,
    'auto',
    "browsers may send only the portal's own operations to /graphql; auto: on in production",
  ),
  PORTAL_OIDC_ISSUER: setting.optionalUrl(
    "the province's OpenID Connect provider (统一身份认证) the portal signs in " +
      'with: its issuer URL (discovery at /.well-known/openid-configuration)',
  ),
  PORTAL_OIDC_CLIENT_ID: setting.optionalString(
    "the portal's client id at that provider (a public client: authorization code with PKCE)",
  ),
  PORTAL_OIDC_SCOPE: setting.string('openid profile', 'scopes the portal asks the provider for'),
};

type PortalConfig = Pick<
  PlatformConfig,
  'NODE_ENV' | 'AUTH_PUBLIC_KEYS' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_JWKS_URL'
> &
  ConfigOf<typeof portalSettings>;

/** What the sign-in page reads first: which way to sign in. The same shape in packages/portal/app/oidc.ts. */
export interface PortalSignIn {
  /**
   * `oidc`: the provider below; `development`: the page that picks a role (never in production); `none`: not set up.
   */
  signIn: 'oidc' | 'development' | 'none';
  oidc?: { issuer: string; clientId: string; scope: string };
}

export function portalSignIn(config: PortalConfig): PortalSignIn {
  if (config.PORTAL_OIDC_ISSUER && config.PORTAL_OIDC_CLIENT_ID) {
    return {
      signIn: 'oidc',
      oidc: {
        issuer: config.PORTAL_OIDC_ISSUER,
        clientId: config.PORTAL_OIDC_CLIENT_ID,
        scope: config.PORTAL_OIDC_SCOPE,
      },
    };
  }
  return { signIn: config.NODE_ENV === 'production' ? 'none' : 'development' };
}

/** The safelist the build wrote: operation id (sha256 of the text) → text; empty if the portal is not built. */
export function readSafelist(dir: string): Map<string, string> {
  const file = path.join(dir, 'operations.json');
  if (!fs.existsSync(file)) return new Map();
  return new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>));
}

/** A request a browser sent (fetch always adds Sec-Fetch-Site; cross-origin ones an Origin). */
const fromBrowser = (req: express.Request) => Boolean(req.header('sec-fetch-site') || req.header('origin'));

/**
 * For /graphql, after the JSON body is read: a listed operation id replaces the sent text by the
 * listed one; with the safelist on, a browser request without a listed id is refused (HTTP 400).
 */
export function safelistMiddleware(config: PortalConfig, logger: Logger): RequestHandler {
  const enforce =
    config.PORTAL_SAFELIST === 'on' || (config.PORTAL_SAFELIST === 'auto' && config.NODE_ENV === 'production');
  const safelist = readSafelist(config.PORTAL_DIR);
  if (enforce && !safelist.size)
    logger.warn(
      { dir: config.PORTAL_DIR },
      'portal safelist is on but empty: build the portal; browsers get no operation',
    );
  return (req, res, next) => {
    const body = req.body as { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } } | undefined;
    const id = body?.extensions?.persistedQuery?.sha256Hash;
    const listed = id ? safelist.get(id) : undefined;
    if (body && listed) {
      body.query = listed;
      delete body.extensions!.persistedQuery;
    } else if (enforce && fromBrowser(req) && req.method !== 'OPTIONS') {
      res.status(400).json({
        errors: [
          {
            message: "Only the portal's own operations are accepted from a browser.",
            extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', requestId: currentRequestId() },
          },
        ],
      });
      return;
    }
    next();
  };
}

/**
 * Mints a development token for the claims the sign-in page chose (never mounted in production),
 * with the issuer's settings (the checked-in development key unless AUTH_PRIVATE_KEY is set):
 * the gateway itself holds no signing key in production.
 */
function devTokenHandler(config: PortalConfig, issuer: IssuerConfig): RequestHandler {
  return async (req, res) => {
    const { role, regions, sites, grids, org, unit, resident, volunteer } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      res.status(400).json({ error: { field: 'role', message: `role must be one of ${ROLES.join(', ')}` } });
      return;
    }
    try {
      const scope = [regions, sites, grids, org, unit].flat().filter(Boolean).join(',').slice(0, 80);
      const token = await mintToken(
        {
          sub: `dev-${role}${scope ? `-${scope}` : ''}`,
          role: role as (typeof ROLES)[number],
          regions,
          sites,
          grids,
          org,
          unit,
          resident,
          volunteer,
        } as never,
        issuer,
        '8h',
      );
      // the same check every subgraph runs: a token lacking its scope is refused here
      await verifyBearer(`Bearer ${token}`, config);
      res.json({ token });
    } catch (err) {
      const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      if (issues?.length) {
        const issue = issues[0];
        res.status(400).json({ error: { field: String(issue.path[0] ?? ''), message: issue.message } });
      } else if (err instanceof AppError) res.status(400).json({ error: { message: err.message } });
      else throw err;
    }
  };
}

/** Mounts the portal on the gateway's app; call before /graphql. */
export function mountPortal(app: Express, config: PortalConfig, logger: Logger): void {
  const signIn = portalSignIn(config);
  if (signIn.signIn === 'none')
    logger.warn('no sign-in for the portal: set PORTAL_OIDC_ISSUER and PORTAL_OIDC_CLIENT_ID');
  if (config.PORTAL_OIDC_ISSUER && !config.PORTAL_OIDC_CLIENT_ID)
    logger.warn('PORTAL_OIDC_ISSUER is set without PORTAL_OIDC_CLIENT_ID');
  app.get('/portal/config.json', (_req, res) => {
    res.set('cache-control', 'no-store').json(signIn);
  });
  if (config.NODE_ENV !== 'production') {
    app.post('/portal/dev/token', express.json({ limit: 4_096 }), devTokenHandler(config, loadConfig(issuerSettings)));
  }
  if (!fs.existsSync(path.join(config.PORTAL_DIR, 'index.html'))) {
    logger.warn(
      { dir: config.PORTAL_DIR },
      'the portal is not built (pnpm --filter @anju/portal build): / serves nothing',
    );
    return;
  }
  app.use(
    express.static(config.PORTAL_DIR, { index: 'index.html', maxAge: config.NODE_ENV === 'production' ? '5m' : 0 }),
  );
}
