import { decodeJwt } from 'jose';
import { verifyBearer, type Principal } from './auth';

type VerifyConfig = Parameters<typeof verifyBearer>[1];

interface Verified {
  principal: Promise<Principal>;
  /** When the token stops being valid (its `exp`), in ms since the epoch. */
  expiresAtMs: number;
}

/** Enough for every officer of a province signed in at once; the oldest entry leaves first. */
const MAX_TOKENS = 20_000;
const byConfig = new WeakMap<VerifyConfig, Map<string, Verified>>();

/**
 * `verifyBearer`, once per process per token until the token expires: the gateway and every
 * subgraph see the same token on each call of a request, and a portal sends it for hours. Only
 * tokens that verified are kept (a refused token is checked again each time), keyed by the
 * verifying settings too, so a process with two configurations never mixes them.
 */
export async function verifyBearerCached(
  header: string | undefined,
  config: VerifyConfig,
  nowMs = Date.now(),
): Promise<Principal> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) return verifyBearer(header, config);
  let tokens = byConfig.get(config);
  if (!tokens) byConfig.set(config, (tokens = new Map()));
  const known = tokens.get(token);
  if (known && known.expiresAtMs > nowMs) return known.principal;
  if (known) tokens.delete(token);

  const principal = verifyBearer(header, config);
  // A verified token has an `exp` (required); until it is known good, nothing is kept.
  const verified = await principal;
  const expiresAtMs = (decodeJwt(token).exp ?? 0) * 1000;
  if (expiresAtMs > nowMs) {
    if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value!);
    tokens.set(token, { principal, expiresAtMs });
  }
  return verified;
}
