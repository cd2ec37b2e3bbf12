import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { PersonalDataConfig } from './config';

/**
 * Personal data at rest (PIPL): values are sealed with AES-256-GCM (random nonce, so equal
 * values differ on disk) and found again through a keyed HMAC-SHA256, never by decrypting rows.
 * Stored format: nonce(12) | tag(16) | ciphertext.
 */
export class PersonalDataVault {
  private readonly key: Buffer;
  private readonly hashKey: Buffer;

  constructor(config: PersonalDataConfig) {
    this.key = Buffer.from(config.PII_ENCRYPTION_KEY, 'hex');
    this.hashKey = Buffer.from(config.PII_HASH_KEY, 'hex');
  }

  seal(plain: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash: equality search and uniqueness without the plain value. */
  lookupHash(plain: string): Buffer {
    return createHmac('sha256', this.hashKey).update(plain).digest();
  }
}
