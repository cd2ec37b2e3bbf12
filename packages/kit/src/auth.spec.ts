import { SignJWT } from 'jose';
import { coversPlace, mintToken, placeFilter, verifyBearer, type Principal } from './auth';
import { loadConfig, platformSettings } from './config';

const config = loadConfig(platformSettings, {});
const secret = new TextEncoder().encode(config.AUTH_JWT_SECRET);

async function rawToken(claims: Record<string, unknown>, opts: { alg?: string; iss?: string; aud?: string; exp?: string | number } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .setSubject('someone')
    .setIssuer(opts.iss ?? config.AUTH_ISSUER)
    .setAudience(opts.aud ?? config.AUTH_AUDIENCE)
    .setExpirationTime(opts.exp ?? '1h')
    .sign(secret);
}

describe('bearer tokens', () => {
  it('accepts a minted token and reads role and scope', async () => {
    const t = await mintToken({ sub: 'officer-1', role: 'site_officer', sites: ['s1'] }, config);
    await expect(verifyBearer(`Bearer ${t}`, config)).resolves.toMatchObject({ subject: 'officer-1', role: 'site_officer', sites: ['s1'] });
  });

  it.each([
    ['no header', undefined],
    ['not bearer', 'Basic abc'],
    ['garbage', 'Bearer abc.def.ghi'],
  ])('rejects %s as UNAUTHENTICATED', async (_l, header) => {
    await expect(verifyBearer(header, config)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('rejects algorithms outside the allow-list, wrong issuer or audience, and expired tokens', async () => {
    const claims = { role: 'province', regions: ['53'] };
    for (const t of [
      await rawToken(claims, { alg: 'HS512' }),
      await rawToken(claims, { iss: 'someone-else' }),
      await rawToken(claims, { aud: 'other-api' }),
      await rawToken(claims, { exp: Math.floor(Date.now() / 1000) - 60 }),
    ]) {
      await expect(verifyBearer(`Bearer ${t}`, config)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    }
    // An unsigned token ("alg": "none") is never accepted.
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'province', regions: ['53'], iss: config.AUTH_ISSUER, aud: config.AUTH_AUDIENCE, exp: 9e9 })).toString('base64url')}.`;
    await expect(verifyBearer(`Bearer ${none}`, config)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a role without the scope it needs', async () => {
    const t = await rawToken({ role: 'ngo_member' });
    await expect(verifyBearer(`Bearer ${t}`, config)).rejects.toThrow(/"org" claim/);
  });
});

describe('place scope', () => {
  const county: Principal = { subject: 'c', role: 'county', regions: ['530102'], sites: [], grids: [] };
  const officer: Principal = { subject: 'o', role: 'site_officer', regions: [], sites: ['A'], grids: [] };

  it('covers by region prefix for officers and by site for site officers', () => {
    expect(coversPlace(county, { siteId: 'X', regionCode: '530102' })).toBe(true);
    expect(coversPlace(county, { siteId: 'X', regionCode: '530103' })).toBe(false);
    expect(coversPlace(officer, { siteId: 'A', regionCode: '530102' })).toBe(true);
    expect(coversPlace(officer, { siteId: 'B', regionCode: '530102' })).toBe(false);
  });

  it('produces the same rule as SQL', () => {
    expect(placeFilter(county, { site: 's.id', region: 's.region_code' }, 3)).toEqual({ sql: 's.region_code LIKE ANY($3::text[])', params: [['530102%']] });
    expect(placeFilter({ ...officer, role: 'volunteer' }, { site: 's.id', region: 's.region_code' })).toEqual({ sql: 'false', params: [] });
  });
});
