import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { signJwt } from '../../src/auth/jwt/jwt';
import { Kind, uuid } from '../data/layout';

/** The key pair of a benchmark run: the app and the raw baseline verify with the same key. */
export interface BenchKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly privatePem: string;
  readonly publicPem: string;
}

export const BENCH_ISSUER = 'clinic-rbac';
export const BENCH_AUDIENCE = 'clinic-rbac-api';

export function benchKeys(): BenchKeys {
  const pair = generateKeyPairSync('ed25519');
  return {
    ...pair,
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** An access token for dataset user `index` on its open session (bench/data/layout.ts). */
export function accessToken(keys: BenchKeys, userId: string, index: number): string {
  const iat = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      iss: BENCH_ISSUER,
      aud: BENCH_AUDIENCE,
      sub: userId,
      jti: randomUUID(),
      sid: uuid(Kind.Session, index),
      ver: 0,
      iat,
      exp: iat + 3600,
    },
    keys.privateKey,
  );
}
