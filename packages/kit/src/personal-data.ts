import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { PersonalDataConfig } from './config';

/** AES-256-GCM with a random nonce: nonce(12) | tag(16) | ciphertext. */
function seal(key: Buffer, plain: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** The keyed hash of ID numbers (HMAC-SHA256): finds a resident without the number, and cannot open one. */
export class LookupHasher {
  private readonly hashKey: Buffer;

  constructor(hashKeyHex: string) {
    this.hashKey = Buffer.from(hashKeyHex, 'hex');
  }

  /** Deterministic keyed hash: equality search and uniqueness without the plain value. */
  lookupHash(plain: string): Buffer {
    return createHmac('sha256', this.hashKey).update(plain).digest();
  }
}

/**
 * Uploaded sheets and import reports at rest (UPLOAD_SEALING_KEY): they hold ID numbers in
 * clear, so they are sealed like one, under a key of their own that opens no ID number column.
 */
export class UploadSealer {
  private readonly key: Buffer;

  constructor(keyHex: string) {
    this.key = Buffer.from(keyHex, 'hex');
  }

  seal(bytes: Buffer): Buffer {
    return seal(this.key, bytes);
  }

  open(sealed: Buffer): Buffer {
    return open(this.key, sealed);
  }
}

/**
 * Personal data at rest (PIPL): values are sealed with AES-256-GCM (random nonce, so equal
 * values differ on disk) and found again through a keyed HMAC-SHA256, never by decrypting rows.
 * Stored format: nonce(12) | tag(16) | ciphertext.
 */
export class PersonalDataVault extends LookupHasher {
  private readonly key: Buffer;

  constructor(config: PersonalDataConfig) {
    super(config.PII_HASH_KEY);
    this.key = Buffer.from(config.PII_ENCRYPTION_KEY, 'hex');
  }

  seal(plain: string): Buffer {
    return seal(this.key, Buffer.from(plain, 'utf8'));
  }

  open(sealed: Buffer): string {
    return open(this.key, sealed).toString('utf8');
  }
}
