import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  importJWK,
  jwtVerify,
  errors as joseErrors,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { z } from 'zod';
import { ForbiddenError, UnauthenticatedError } from './errors';
import type { IssuerConfig, PlatformConfig } from './config';
import { TOKEN_ALGORITHMS } from './signing-keys';
import { isUuid } from './ids';

/** The roles of DESIGN.md; a token carries exactly one, with the scope it acts in. */
export const ROLES = [
  'province',
  'county',
  'site_officer',
  'grid_worker',
  'ngo_member',
  'unit_member',
  'volunteer',
  'resident',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by the bearer token. */
export interface Principal {
  subject: string;
  role: Role;
  /** GB/T 2260 region codes the caller governs (a prefix: `53` is all of Yunnan). */
  regions: string[];
  /** Resettlement sites (安置点) the caller works in. */
  sites: string[];
  /** Grids (网格) of a grid worker. */
  grids: string[];
  /** The social organization of an NGO member. */
  organizationId?: string;
  /** The regional unit (区域单位) of a unit member. */
  unitId?: string;
  /** The resident a resident token speaks for. */
  residentId?: string;
  /** The volunteer record of a volunteer. */
  volunteerId?: string;
}

const scopeId = z.string().refine(isUuid, 'must be a uuid');
const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  regions: z.array(z.string().regex(/^\d{2,12}$/)).default([]),
  // Ids of the scope are uuids: a malformed one is refused here, not cast (and failed) in SQL.
  sites: z.array(scopeId).default([]),
  grids: z.array(scopeId).default([]),
  org: scopeId.optional(),
  unit: scopeId.optional(),
  resident: scopeId.optional(),
  volunteer: scopeId.optional(),
});
export type TokenClaims = z.input<typeof claimsSchema>;

type AuthConfig = Pick<PlatformConfig, 'AUTH_PUBLIC_KEYS' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'> &
  Partial<Pick<PlatformConfig, 'AUTH_JWKS_URL'>>;

// Parsed (or, for a provider's URL, set up) once per distinct setting value, not per request.
const keySets = new Map<string, JWTVerifyGetKey>();
const keySetOf = (config: AuthConfig): JWTVerifyGetKey => {
  const source = config.AUTH_JWKS_URL ?? config.AUTH_PUBLIC_KEYS;
  let set = keySets.get(source);
  if (!set) {
    // A provider's keys are cached for ten minutes; an unknown kid (a rotation) fetches again, at most every 30 s.
    set = config.AUTH_JWKS_URL
      ? createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
          cacheMaxAge: 600_000,
          cooldownDuration: 30_000,
          timeoutDuration: 5_000,
        })
      : createLocalJWKSet(JSON.parse(config.AUTH_PUBLIC_KEYS));
    keySets.set(source, set);
  }
  return set;
};

/**
 * Verifies `Authorization: Bearer <jwt>` with the configured public keys only — AUTH_PUBLIC_KEYS,
 * or the province's OpenID Connect provider's JWKS (AUTH_JWKS_URL) — picked by `kid` (EdDSA, ES256,
 * or RS256 with a provider's RSA key; HMAC and `none` are refused), then the claims' shape. A pure
 * function of the header and the config (and the provider's published keys), so a cache can wrap it.
 */
export async function verifyBearer(header: string | undefined, config: AuthConfig): Promise<Principal> {
  return principalOf(await verifySignature(header, config));
}

/**
 * The signature, issuer, audience and expiry of `Authorization: Bearer <jwt>`; the claims are the caller's to check.
 */
export async function verifySignature(
  header: string | undefined,
  config: AuthConfig,
): Promise<Record<string, unknown>> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new UnauthenticatedError('A bearer token is required (Authorization: Bearer <token>).');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(match[1], keySetOf(config), {
      algorithms: [...TOKEN_ALGORITHMS],
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (err) {
    const why =
      err instanceof joseErrors.JWTExpired
        ? 'the token has expired'
        : err instanceof joseErrors.JWKSTimeout || (config.AUTH_JWKS_URL && !(err instanceof joseErrors.JOSEError))
          ? "the identity provider's keys could not be fetched; try again shortly"
          : 'the token is not valid';
    throw new UnauthenticatedError(`Authentication failed: ${why}.`);
  }
  return payload as Record<string, unknown>;
}

/** The claims of a verified token as a domain principal; a token of no domain role (an operator's) is refused. */
export function principalOf(payload: unknown): Principal {
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    const claim = claims.error.issues[0].path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    throw new UnauthenticatedError(
      `Authentication failed: the token claim ${claim.slice(1)} is malformed.`,
      `token${claim}`,
    );
  }
  const c = claims.data;
  const principal: Principal = {
    subject: c.sub,
    role: c.role,
    regions: c.regions,
    sites: c.sites,
    grids: c.grids,
    organizationId: c.org,
    unitId: c.unit,
    residentId: c.resident,
    volunteerId: c.volunteer,
  };
  assertScopeShape(principal);
  return principal;
}

/** A token whose role lacks the scope it needs is refused outright, not treated as "sees nothing". */
function assertScopeShape(p: Principal): void {
  const missing =
    ((p.role === 'province' || p.role === 'county') && p.regions.length === 0 && 'regions') ||
    (p.role === 'site_officer' && p.sites.length === 0 && 'sites') ||
    (p.role === 'grid_worker' && p.grids.length === 0 && p.sites.length === 0 && 'grids') ||
    (p.role === 'ngo_member' && !p.organizationId && 'org') ||
    (p.role === 'unit_member' && !p.unitId && 'unit') ||
    (p.role === 'resident' && !p.residentId && 'resident') ||
    (p.role === 'volunteer' && !p.volunteerId && 'volunteer');
  if (missing) throw new UnauthenticatedError(`Authentication failed: a ${p.role} token needs the "${missing}" claim.`);
}

const signingKeys = new Map<string, Promise<{ key: KeyLike | Uint8Array; kid: string; alg: string }>>();
const signingKeyOf = (jwk: string) => {
  let key = signingKeys.get(jwk);
  if (!key) {
    const parsed = JSON.parse(jwk) as JWK & { kid: string };
    const alg = parsed.alg ?? (parsed.kty === 'EC' ? 'ES256' : 'EdDSA');
    signingKeys.set(jwk, (key = importJWK(parsed, alg).then((k) => ({ key: k, kid: parsed.kid, alg }))));
  }
  return key;
};

/** Signs a token with the issuer's private key (`issuerSettings`); only the issuer can call this. */
export async function mintToken(
  claims: TokenClaims,
  config: Pick<IssuerConfig, 'AUTH_PRIVATE_KEY' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>,
  ttl: string | number = '8h',
): Promise<string> {
  const { sub, ...rest } = claimsSchema.parse(claims);
  return sign(rest, sub, config, ttl);
}

async function sign(
  claims: Record<string, unknown>,
  sub: string,
  config: Pick<IssuerConfig, 'AUTH_PRIVATE_KEY' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>,
  ttl: string | number,
) {
  const { key, kid, alg } = await signingKeyOf(config.AUTH_PRIVATE_KEY);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid })
    .setSubject(sub)
    .setIssuer(config.AUTH_ISSUER)
    .setAudience(config.AUTH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key);
}

export function requireRole(p: Principal, ...roles: Role[]): void {
  if (!roles.includes(p.role)) throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}.`);
}

/**
 * The operator (运维): runs the platform, sees its queues, retries and removes jobs — and no
 * domain data. Not one of ROLES: `principalOf` refuses an operator token, so the gateway and every
 * subgraph answer it UNAUTHENTICATED, and no scope rule has to remember it.
 */
export const OPERATOR_ROLE = 'operator';

export interface Operator {
  subject: string;
  role: typeof OPERATOR_ROLE;
}

/** An operator's token, or ForbiddenError for any other valid token (UnauthenticatedError without one). */
export async function verifyOperator(header: string | undefined, config: AuthConfig): Promise<Operator> {
  const payload = await verifySignature(header, config);
  if (payload.role !== OPERATOR_ROLE) throw new ForbiddenError('This needs an operator token (role operator).');
  if (typeof payload.sub !== 'string' || !payload.sub)
    throw new UnauthenticatedError('Authentication failed: the token claim sub is malformed.', 'token.sub');
  return { subject: payload.sub, role: OPERATOR_ROLE };
}

/** Signs an operator's token (`pnpm token --role operator`); only the issuer can call this. */
export async function mintOperatorToken(
  sub: string,
  config: Pick<IssuerConfig, 'AUTH_PRIVATE_KEY' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>,
  ttl: string | number = '8h',
): Promise<string> {
  return sign({ role: OPERATOR_ROLE }, sub, config, ttl);
}
