import { issuerSettings, loadConfig, mintToken, type TokenClaims } from '@anju/kit';

const config = loadConfig(issuerSettings, { NODE_ENV: 'test' });

/** A token signed with the development private key; the services under test verify with its public half. */
export function tokenFor(claims: Omit<TokenClaims, 'sub'> & { sub?: string }, ttl: string | number = '1h'): Promise<string> {
  return mintToken({ sub: `test-${claims.role}`, ...claims }, config, ttl);
}
