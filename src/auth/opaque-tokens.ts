import { createHash, randomBytes } from 'node:crypto';

/** Bytes of entropy in refresh and link tokens (API.md: at least 32). */
export const OPAQUE_TOKEN_BYTES = 32;

/** A new random token as sent to the client: 32 bytes, base64url (43 characters). */
export function newOpaqueToken(): string {
  return randomBytes(OPAQUE_TOKEN_BYTES).toString('base64url');
}

/**
 * What the database stores instead of the token. A plain SHA-256 is enough (no salt, no
 * slow hash): the input has 256 bits of entropy, so there is nothing to brute-force.
 */
export function hashOpaqueToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Cheap shape check so obviously malformed input never reaches SQL. */
export function looksLikeOpaqueToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43,128}$/.test(value);
}
