import { exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';

/**
 * Bearer tokens are signed with an asymmetric key (EdDSA on Ed25519, or ES256 on P-256) that only
 * the issuer holds; the gateway and the subgraphs verify with the public half (a JWKS, so keys can
 * rotate by `kid`). A process that verifies never holds anything that could mint a token. RS256 is
 * accepted only with an RSA key of at least 2048 bits published by the province's identity provider
 * (AUTH_JWKS_URL): AUTH_PUBLIC_KEYS holds Ed25519 and P-256 keys only, so no RSA key can get there.
 */
export const TOKEN_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;

/**
 * The development key pair. Checked in so that `pnpm start`, `pnpm token` and the tests agree
 * without setup; being public, it is refused in production (see `assertProductionSafe`).
 */
export const DEV_KEY_ID = 'anju-development';
export const DEV_PUBLIC_JWKS = JSON.stringify({
  keys: [
    {
      kty: 'OKP',
      crv: 'Ed25519',
      x: 'XxBSrIUuoDhC1OQRPha6g5S9zJukMxN34sTMfVJAjHE',
      kid: DEV_KEY_ID,
      alg: 'EdDSA',
      use: 'sig',
    },
  ],
});
export const DEV_PRIVATE_JWK = JSON.stringify({
  kty: 'OKP',
  crv: 'Ed25519',
  d: 'SGMAJBUjmWLtdUX9yWPfDdMrvoBneyY0XUF3SywjoUU',
  x: 'XxBSrIUuoDhC1OQRPha6g5S9zJukMxN34sTMfVJAjHE',
  kid: DEV_KEY_ID,
  alg: 'EdDSA',
});

const keyShape = z.union([
  z.object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().min(1),
    alg: z.literal('EdDSA').optional(),
  }),
  z.object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string().min(1),
    y: z.string().min(1),
    alg: z.literal('ES256').optional(),
  }),
]);
const publicKey = z
  .looseObject({ kid: z.string().min(1) })
  .and(keyShape)
  .refine((k) => !('d' in k), 'a verifier is given a private key: publish only the public half');
const privateKey = z.looseObject({ kid: z.string().min(1), d: z.string().min(1) }).and(keyShape);

const json = (raw: string, ctx: z.RefinementCtx): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
};

/** A JWKS (`{"keys":[…]}`) of Ed25519 or P-256 public keys, each with a `kid`. */
export const publicJwksSetting = (doc: string) =>
  z
    .string()
    .default(DEV_PUBLIC_JWKS)
    .transform(json)
    .pipe(z.object({ keys: z.array(publicKey).min(1) }))
    .transform((v) => JSON.stringify(v))
    .describe(doc);

/** One Ed25519 or P-256 private JWK with its `kid`: the issuer's signing key. */
export const privateJwkSetting = (doc: string) =>
  z
    .string()
    .default(DEV_PRIVATE_JWK)
    .transform(json)
    .pipe(privateKey)
    .transform((v) => JSON.stringify(v))
    .describe(doc);

/** Whether a JWKS or JWK setting carries the (public) development key. */
export const isDevelopmentKey = (setting: string | undefined): boolean =>
  setting !== undefined && setting.includes(`"kid":"${DEV_KEY_ID}"`);

/** A fresh key pair as the two settings (`AUTH_PRIVATE_KEY`, `AUTH_PUBLIC_KEYS`): for benches and key rotation. */
export async function generateSigningKeys(
  kid = `anju-${Date.now().toString(36)}`,
): Promise<{ AUTH_PRIVATE_KEY: string; AUTH_PUBLIC_KEYS: string }> {
  const { publicKey: pub, privateKey: priv } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return {
    AUTH_PRIVATE_KEY: JSON.stringify({ ...(await exportJWK(priv)), kid, alg: 'EdDSA' }),
    AUTH_PUBLIC_KEYS: JSON.stringify({ keys: [{ ...(await exportJWK(pub)), kid, alg: 'EdDSA', use: 'sig' }] }),
  };
}
