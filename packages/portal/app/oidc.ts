/**
 * Sign-in with the province's OpenID Connect provider (统一身份认证): the authorization code flow
 * with PKCE for a public client, through oauth4webapi (discovery, state, nonce, the issuer check
 * of the callback, the token response's checks). The provider's access token is what the gateway
 * and every subgraph verify with the provider's published keys (AUTH_JWKS_URL); the provider puts
 * Anju's role and scope claims in it, so the portal reads them only to find its way (the API
 * decides what the token may do).
 */
import * as oauth from 'oauth4webapi';
import { ApiError, type Session } from './api';
import { ROLES } from './labels';

/** What `GET /portal/config.json` answers (gateway/src/portal.ts `PortalSignIn`). */
export interface PortalSignIn {
  signIn: 'oidc' | 'development' | 'none';
  oidc?: { issuer: string; clientId: string; scope: string };
}

const PENDING_KEY = 'anju.oidc';
interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  /** Where the clerk was going when sign-in began. */
  hash: string;
}

export async function signInConfig(): Promise<PortalSignIn> {
  try {
    const res = await fetch('/portal/config.json', { cache: 'no-store' });
    if (res.ok) return (await res.json()) as PortalSignIn;
  } catch {
    // falls through to the message below
  }
  throw new ApiError('无法连接服务器，请检查网络后重试。');
}

/** The provider's address may be plain http only on this computer (the local test provider). */
const httpOptions = (issuer: URL) =>
  issuer.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(issuer.hostname)
    ? { [oauth.allowInsecureRequests]: true }
    : {};

async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  try {
    return await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, httpOptions(url)));
  } catch {
    throw new ApiError('无法连接统一身份认证，请稍后再试；如果一直这样，请联系系统管理员。');
  }
}

const redirectUri = () => `${location.origin}/`;

/** Leaves for the provider's login page; comes back to `/?code=…&state=…`. */
export async function beginSignIn(cfg: NonNullable<PortalSignIn['oidc']>): Promise<void> {
  const as = await discover(cfg.issuer);
  if (!as.authorization_endpoint) throw new ApiError('统一身份认证的配置不完整，请联系系统管理员。');
  const pending: Pending = {
    verifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    hash: location.hash.startsWith('#/sign-in') ? '' : location.hash,
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const to = new URL(as.authorization_endpoint);
  to.searchParams.set('client_id', cfg.clientId);
  to.searchParams.set('redirect_uri', redirectUri());
  to.searchParams.set('response_type', 'code');
  to.searchParams.set('scope', cfg.scope);
  to.searchParams.set('state', pending.state);
  to.searchParams.set('nonce', pending.nonce);
  to.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier));
  to.searchParams.set('code_challenge_method', 'S256');
  location.assign(to.toString());
}

/** Whether this page load is the provider sending the clerk back. */
export const isCallback = () => {
  const q = new URLSearchParams(location.search);
  return q.has('state') && (q.has('code') || q.has('error'));
};

/**
 * Completes the sign-in on the provider's redirect: checks state and issuer, trades the code (with
 * the PKCE verifier) for tokens, and starts the session. The query string is removed either way.
 */
export async function completeSignIn(cfg: NonNullable<PortalSignIn['oidc']>): Promise<Session> {
  const current = new URL(location.href);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) throw new ApiError('登录已失效（可能在另一个窗口中完成了登录），请重新登录。');
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(cfg.issuer);
  const client: oauth.Client = { client_id: cfg.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, current, pending.state);
  } catch (e) {
    if (e instanceof oauth.AuthorizationResponseError && e.error === 'access_denied')
      throw new ApiError('您在统一身份认证页面取消了登录。');
    throw new ApiError('登录未完成：统一身份认证返回的信息不正确，请重新登录。');
  }
  let tokens: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri(),
      pending.verifier,
      httpOptions(new URL(cfg.issuer)),
    );
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
  } catch {
    throw new ApiError('登录未完成：无法从统一身份认证取得凭证，请重新登录。');
  }
  const session = sessionOf(tokens.access_token);
  if (pending.hash) session.home = pending.hash;
  return session;
}

/** Where each role lands, from the claims the provider issued. */
function sessionOf(token: string): Session {
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
      ),
    );
  } catch {
    throw new ApiError('统一身份认证发来的凭证无法识别，请联系系统管理员。');
  }
  const role = String(claims.role ?? '');
  const list = (k: string) => (Array.isArray(claims[k]) ? (claims[k] as string[]) : undefined);
  const scope = {
    regions: list('regions'),
    sites: list('sites'),
    grids: list('grids'),
    org: claims.org as string | undefined,
    unit: claims.unit as string | undefined,
  };
  const home =
    role === 'province' || role === 'county'
      ? `#/region/${scope.regions?.[0] ?? ''}`
      : role === 'site_officer'
        ? `#/site/${scope.sites?.[0] ?? ''}`
        : role === 'grid_worker'
          ? '#/grid'
          : role === 'ngo_member'
            ? '#/ngo'
            : role === 'unit_member'
              ? '#/unit'
              : '';
  if (!home || !ROLES[role]) throw new ApiError('您的账号在统一身份认证中没有本系统的角色，请联系上级主管部门开通。');
  return { token, role, label: typeof claims.name === 'string' ? claims.name : ROLES[role], home, scope };
}
