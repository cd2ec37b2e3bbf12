import { SignJWT, importJWK, type JWK } from 'jose';
import { mintToken, verifyBearer, type Principal } from './auth';
import { assertProductionSafe, issuerSettings, loadConfig, platformSettings } from './config';
import { DEV_PRIVATE_JWK, DEV_PUBLIC_JWKS, generateSigningKeys } from './signing-keys';

const config = loadConfig(platformSettings, { NODE_ENV: 'test' });
const issuer = loadConfig(issuerSettings, { NODE_ENV: 'test' });
const SITE = '5e7b3d10-0000-4000-8000-000000000001';

async function rawToken(
  claims: Record<string, unknown>,
  opts: { alg?: string; key?: string; kid?: string; iss?: string; aud?: string; exp?: string | number } = {},
) {
  const jwk = JSON.parse(opts.key ?? DEV_PRIVATE_JWK) as JWK;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'EdDSA', kid: opts.kid ?? jwk.kid })
    .setSubject('someone')
    .setIssuer(opts.iss ?? config.AUTH_ISSUER)
    .setAudience(opts.aud ?? config.AUTH_AUDIENCE)
    .setExpirationTime(opts.exp ?? '1h')
    .sign(await importJWK(jwk, opts.alg ?? 'EdDSA'));
}

describe('bearer tokens', () => {
  it('accepts a minted token and reads role and scope', async () => {
    const t = await mintToken({ sub: 'officer-1', role: 'site_officer', sites: [SITE] }, issuer);
    await expect(verifyBearer(`Bearer ${t}`, config)).resolves.toMatchObject({
      subject: 'officer-1',
      role: 'site_officer',
      sites: [SITE],
    });
  });

  it.each([
    ['no header', undefined],
    ['not bearer', 'Basic abc'],
    ['garbage', 'Bearer abc.def.ghi'],
  ])('rejects %s as UNAUTHENTICATED', async (_l, header) => {
    await expect(verifyBearer(header, config)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('rejects wrong issuer or audience, and expired tokens', async () => {
    const claims = { role: 'province', regions: ['53'] };
    for (const t of [
      await rawToken(claims, { iss: 'someone-else' }),
      await rawToken(claims, { aud: 'other-api' }),
      await rawToken(claims, { exp: Math.floor(Date.now() / 1000) - 60 }),
    ]) {
      await expect(verifyBearer(`Bearer ${t}`, config)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    // An unsigned token ("alg": "none") is never accepted.
    const unsigned = {
      sub: 'x',
      role: 'province',
      regions: ['53'],
      iss: config.AUTH_ISSUER,
      aud: config.AUTH_AUDIENCE,
    };
    const none =
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.` +
      `${Buffer.from(JSON.stringify({ ...unsigned, exp: 9e9 })).toString('base64url')}.`;
    await expect(verifyBearer(`Bearer ${none}`, config)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('attack: a verifier holds only public keys, and nothing it holds can mint a token it accepts', async () => {
    const claims = { role: 'province', regions: ['53'] };
    const publicJwk = JSON.parse(DEV_PUBLIC_JWKS).keys[0];
    // HMAC "signed" with the public key as the secret (the classic key-confusion forgery).
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid })
      .setSubject('x')
      .setIssuer(config.AUTH_ISSUER)
      .setAudience(config.AUTH_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    // A valid EdDSA signature by a key pair the verifier does not trust, with and without the trusted kid.
    const other = await generateSigningKeys('attacker');
    const foreign = await rawToken(claims, { key: other.AUTH_PRIVATE_KEY });
    const foreignAsTrusted = await rawToken(claims, { key: other.AUTH_PRIVATE_KEY, kid: publicJwk.kid });
    for (const t of [confused, foreign, foreignAsTrusted]) {
      await expect(verifyBearer(`Bearer ${t}`, config)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    expect(JSON.stringify(config)).not.toMatch(/"d":/);
    // A verifier given a private key refuses to start.
    expect(() =>
      loadConfig(platformSettings, { AUTH_PUBLIC_KEYS: JSON.stringify({ keys: [JSON.parse(DEV_PRIVATE_JWK)] }) }),
    ).toThrow(/AUTH_PUBLIC_KEYS.*private/);
  });

  it('verifies with any key of the JWKS (rotation by kid); refuses the development keys in production', async () => {
    const next = await generateSigningKeys('next');
    const both = JSON.stringify({
      keys: [...JSON.parse(DEV_PUBLIC_JWKS).keys, ...JSON.parse(next.AUTH_PUBLIC_KEYS).keys],
    });
    const rotated = loadConfig(platformSettings, { NODE_ENV: 'test', AUTH_PUBLIC_KEYS: both });
    const t = await mintToken(
      { sub: 'p', role: 'province', regions: ['53'] },
      loadConfig(issuerSettings, { AUTH_PRIVATE_KEY: next.AUTH_PRIVATE_KEY }),
    );
    await expect(verifyBearer(`Bearer ${t}`, rotated)).resolves.toMatchObject({ role: 'province' });
    await expect(verifyBearer(`Bearer ${t}`, config)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(() => assertProductionSafe(loadConfig(platformSettings, {}))).toThrow(/AUTH_PUBLIC_KEYS/);
    expect(() => assertProductionSafe(loadConfig(issuerSettings, {}))).toThrow(/AUTH_PRIVATE_KEY/);
    expect(() =>
      assertProductionSafe(loadConfig(platformSettings, { AUTH_PUBLIC_KEYS: next.AUTH_PUBLIC_KEYS })),
    ).not.toThrow();
    // The province's provider: its keys come over https only.
    const provider = (url: string) => loadConfig(platformSettings, { AUTH_JWKS_URL: url });
    expect(() => assertProductionSafe(provider('http://id.yn.gov.example/jwks'))).toThrow(/AUTH_JWKS_URL.*https/);
    expect(() => assertProductionSafe(provider('https://id.yn.gov.example/jwks'))).not.toThrow();
    expect(() => provider('not a url')).toThrow(/AUTH_JWKS_URL/);
  });

  it('says the provider could not be reached, not that the token is bad, when its keys cannot be fetched', async () => {
    const unreachable = loadConfig(platformSettings, { NODE_ENV: 'test', AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks' });
    const t = await mintToken({ sub: 'p', role: 'province', regions: ['53'] }, loadConfig(issuerSettings, {}));
    await expect(verifyBearer(`Bearer ${t}`, unreachable)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringMatching(/identity provider's keys could not be fetched/),
    });
  });

  it('refuses a malformed id in the scope claims as UNAUTHENTICATED naming the claim', async () => {
    for (const [claims, field] of [
      [{ role: 'site_officer', sites: [SITE, "x' OR 1=1"] }, 'token.sites[1]'],
      [{ role: 'grid_worker', grids: ['g1'] }, 'token.grids[0]'],
      [{ role: 'ngo_member', org: 'o-1' }, 'token.org'],
      [{ role: 'resident', resident: 'a\u0000b' }, 'token.resident'],
    ] as const) {
      const t = await rawToken(claims);
      await expect(verifyBearer(`Bearer ${t}`, config)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED', field },
      });
    }
  });

  it('refuses a role without the scope it needs', async () => {
    const t = await rawToken({ role: 'ngo_member' });
    await expect(verifyBearer(`Bearer ${t}`, config)).rejects.toThrow(/"org" claim/);
  });
});
