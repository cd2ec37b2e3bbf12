import { issuerSettings, loadConfig, mintOperatorToken, mintToken, type TokenClaims } from '@anju/kit';

const config = loadConfig(issuerSettings, { NODE_ENV: 'test' });

/** A token signed with the development private key; the services under test verify with its public half. */
export function tokenFor(
  claims: Omit<TokenClaims, 'sub'> & { sub?: string },
  ttl: string | number = '1h',
): Promise<string> {
  return mintToken({ sub: `test-${claims.role}`, ...claims }, config, ttl);
}

/** An operator's token (queue boards; refused by the gateway and every subgraph). */
export function operatorToken(sub = 'test-operator', ttl: string | number = '1h'): Promise<string> {
  return mintOperatorToken(sub, config, ttl);
}
