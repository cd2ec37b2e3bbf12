import { loadConfig, mintToken, platformSettings, type TokenClaims } from '@anju/kit';

const config = loadConfig(platformSettings, {});

/** A signed token with the development secret the services under test also use by default. */
export function tokenFor(claims: Omit<TokenClaims, 'sub'> & { sub?: string }, ttl: string | number = '1h'): Promise<string> {
  return mintToken({ sub: `test-${claims.role}`, ...claims }, config, ttl);
}
