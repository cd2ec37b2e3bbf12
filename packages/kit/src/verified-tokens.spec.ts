import { mintToken } from './auth';
import { issuerSettings, loadConfig, platformSettings } from './config';
import { generateSigningKeys } from './signing-keys';
import { verifyBearerCached } from './verified-tokens';

const config = loadConfig(platformSettings, { NODE_ENV: 'test' });
const issuer = loadConfig(issuerSettings, { NODE_ENV: 'test' });

describe('verified tokens, once per process per token', () => {
  it('answers the same principal for the same token without verifying it again', async () => {
    const token = await mintToken({ sub: 'officer-1', role: 'county', regions: ['530627'] }, issuer);
    const first = await verifyBearerCached(`Bearer ${token}`, config);
    const second = await verifyBearerCached(`Bearer ${token}`, config);
    expect(second).toBe(first);
    expect(first).toMatchObject({ subject: 'officer-1', role: 'county', regions: ['530627'] });
  });

  it('goes back to verification once the token has expired', async () => {
    const token = await mintToken({ sub: 'officer-2', role: 'county', regions: ['530627'] }, issuer, '1h');
    await verifyBearerCached(`Bearer ${token}`, config);
    const later = Date.now() + 2 * 3_600_000;
    // The cached entry is past its exp: the token goes back to
    // verifyBearer (which reads the real clock and accepts it).
    await expect(verifyBearerCached(`Bearer ${token}`, config, later)).resolves.toMatchObject({ subject: 'officer-2' });
  });

  it('never keeps a refused token, and keeps tokens apart by the settings that verified them', async () => {
    const other = loadConfig(platformSettings, {
      NODE_ENV: 'test',
      AUTH_PUBLIC_KEYS: (await generateSigningKeys('another-issuer')).AUTH_PUBLIC_KEYS,
    });
    const token = await mintToken({ sub: 'officer-3', role: 'county', regions: ['53'] }, issuer);
    await expect(verifyBearerCached(`Bearer ${token}`, other)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await expect(verifyBearerCached(`Bearer ${token}`, config)).resolves.toMatchObject({ subject: 'officer-3' });
    await expect(verifyBearerCached(`Bearer ${token}`, other)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await expect(verifyBearerCached('Bearer garbage', config)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});
