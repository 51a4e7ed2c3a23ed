import {
  type KeyObject,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
} from 'node:crypto';
import type { Env } from '../../config/env.schema';
import { type JwtAlgorithm, algorithmForKey } from './jwt';

export interface SigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly algorithm: JwtAlgorithm;
  /** True when generated at boot (development without JWT_* keys). */
  readonly ephemeral: boolean;
}

/**
 * Loads the access-token key pair from the environment. Without keys (development and tests
 * only: env.schema refuses production without them) a fresh Ed25519 pair is generated, which
 * means tokens do not survive a restart and two instances would not accept each other's.
 */
export function loadSigningKeys(env: Env, warn: (message: string) => void): SigningKeys {
  if (env.JWT_PRIVATE_KEY === null || env.JWT_PUBLIC_KEY === null) {
    if (env.NODE_ENV === 'production') throw new Error('JWT_PRIVATE_KEY is required in production');
    const pair = generateKeyPairSync('ed25519');
    warn(
      'JWT_PRIVATE_KEY/JWT_PUBLIC_KEY are not set: signing access tokens with an ephemeral ' +
        'Ed25519 key generated at boot (tokens die on restart; never do this in production)',
    );
    return { ...pair, algorithm: 'EdDSA', ephemeral: true };
  }
  const privateKey = createPrivateKey(env.JWT_PRIVATE_KEY);
  const publicKey = createPublicKey(env.JWT_PUBLIC_KEY);
  const algorithm = algorithmForKey(privateKey);
  // A mismatched pair would sign tokens nobody can verify: refuse to boot instead.
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (!derived.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new Error('JWT_PUBLIC_KEY does not match JWT_PRIVATE_KEY');
  }
  return { privateKey, publicKey, algorithm, ephemeral: false };
}
