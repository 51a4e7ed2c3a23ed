import { type KeyObject, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';

/**
 * A deliberately small JWS/JWT implementation over node:crypto for the two asymmetric
 * algorithms we sign with. `jsonwebtoken` (behind passport-jwt) has no EdDSA, and owning the
 * verifier lets us pin the algorithm to the key: the header's `alg` must be in the allowed list
 * AND match the key type, so `none`, HS256-with-the-public-key and algorithm confusion cannot
 * pass.
 */
export const JWT_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export const ACCESS_TOKEN_TYPE = 'at+jwt';
const ACCEPTED_TYPES = new Set([ACCESS_TOKEN_TYPE, 'application/at+jwt']);

export class JwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

export type JwtPayload = Readonly<Record<string, unknown>>;

export interface VerifyOptions {
  readonly algorithms: readonly string[];
  readonly issuer: string;
  readonly audience: string;
  /** Seconds of leeway for exp/nbf/iat, for clock skew between instances. */
  readonly clockToleranceSec?: number;
  /** Unix seconds; defaults to the current time. */
  readonly now?: number;
}

/** The algorithm a key signs with, or an error for a key type we do not support. */
export function algorithmForKey(key: KeyObject): JwtAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  throw new JwtError(
    `Unsupported JWT key type ${key.asymmetricKeyType ?? key.type}: use Ed25519 (EdDSA) or EC P-256 (ES256)`,
  );
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

function signatureParams(alg: JwtAlgorithm): {
  digest: string | null;
  dsaEncoding?: 'ieee-p1363';
} {
  // ES256 signatures in JWS are raw r||s (IEEE P1363), not DER.
  return alg === 'EdDSA' ? { digest: null } : { digest: 'sha256', dsaEncoding: 'ieee-p1363' };
}

export function signJwt(payload: JwtPayload, privateKey: KeyObject): string {
  const alg = algorithmForKey(privateKey);
  // RFC 9068 access-token type: a JWT of another kind (an ID token, a token of another system
  // signed with the same key) is never accepted as an access token (ASVS 9.2.2).
  const header = b64url(JSON.stringify({ alg, typ: ACCESS_TOKEN_TYPE }));
  const signingInput = `${header}.${b64url(JSON.stringify(payload))}`;
  const { digest, dsaEncoding } = signatureParams(alg);
  const signature = cryptoSign(digest, Buffer.from(signingInput), {
    key: privateKey,
    dsaEncoding,
  });
  return `${signingInput}.${b64url(signature)}`;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeSegment(segment: string, what: string): unknown {
  if (!BASE64URL.test(segment)) throw new JwtError(`Malformed ${what}`);
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new JwtError(`Malformed ${what}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Verifies signature and registered claims; returns the payload or throws JwtError. */
export function verifyJwt(token: string, publicKey: KeyObject, options: VerifyOptions): JwtPayload {
  if (options.algorithms.length === 0) throw new JwtError('No algorithm allowed');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw new JwtError('Malformed token');
  }
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  const header = decodeSegment(headerB64, 'header');
  if (!isRecord(header) || typeof header.alg !== 'string') throw new JwtError('Malformed header');
  // `crit` names extensions we would have to understand; we understand none.
  if ('crit' in header) throw new JwtError('Unsupported critical header');
  const keyAlg = algorithmForKey(publicKey);
  if (!options.algorithms.includes(header.alg) || header.alg !== keyAlg) {
    throw new JwtError('Algorithm not allowed');
  }
  if (typeof header.typ !== 'string' || !ACCEPTED_TYPES.has(header.typ.toLowerCase())) {
    throw new JwtError('Not an access token');
  }
  if (!BASE64URL.test(signatureB64)) throw new JwtError('Malformed signature');
  const { digest, dsaEncoding } = signatureParams(keyAlg);
  const valid = cryptoVerify(
    digest,
    Buffer.from(`${headerB64}.${payloadB64}`),
    { key: publicKey, dsaEncoding },
    Buffer.from(signatureB64, 'base64url'),
  );
  if (!valid) throw new JwtError('Invalid signature');

  const payload = decodeSegment(payloadB64, 'payload');
  if (!isRecord(payload)) throw new JwtError('Malformed payload');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const leeway = options.clockToleranceSec ?? 0;
  if (typeof payload.exp !== 'number') throw new JwtError('Missing exp');
  if (now - leeway >= payload.exp) throw new JwtError('Token expired');
  if (
    payload.nbf !== undefined &&
    (typeof payload.nbf !== 'number' || payload.nbf > now + leeway)
  ) {
    throw new JwtError('Token not yet valid');
  }
  if (
    payload.iat !== undefined &&
    (typeof payload.iat !== 'number' || payload.iat > now + leeway)
  ) {
    throw new JwtError('Token issued in the future');
  }
  if (payload.iss !== options.issuer) throw new JwtError('Wrong issuer');
  const aud = payload.aud;
  const audOk = Array.isArray(aud) ? aud.includes(options.audience) : aud === options.audience;
  if (!audOk) throw new JwtError('Wrong audience');
  return payload;
}
