import { createHmac, sign, generateKeyPairSync } from 'node:crypto';
import { algorithmForKey, signJwt, verifyJwt } from './jwt';

const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const NOW = 1_900_000_000;
const claims = { iss: 'iss', aud: 'aud', sub: 's', iat: NOW, exp: NOW + 60 };
const opts = { algorithms: ['EdDSA'], issuer: 'iss', audience: 'aud', now: NOW };
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('jwt', () => {
  it('signs and verifies EdDSA and ES256 round trips', () => {
    expect(verifyJwt(signJwt(claims, ed.privateKey), ed.publicKey, opts)).toEqual(claims);
    const es = signJwt(claims, ec.privateKey);
    expect(verifyJwt(es, ec.publicKey, { ...opts, algorithms: ['ES256'] })).toEqual(claims);
    // JWS ES256 signatures are 64 raw bytes, not DER.
    expect(Buffer.from(es.split('.')[2] ?? '', 'base64url')).toHaveLength(64);
  });

  it('picks the algorithm from the key and refuses other key types', () => {
    expect(algorithmForKey(ed.publicKey)).toBe('EdDSA');
    expect(algorithmForKey(ec.privateKey)).toBe('ES256');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => algorithmForKey(rsa.publicKey)).toThrow(/Unsupported/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => algorithmForKey(p384.publicKey)).toThrow(/Unsupported/);
  });

  it('refuses an algorithm outside the pinned list even with a matching key', () => {
    const token = signJwt(claims, ec.privateKey);
    expect(() => verifyJwt(token, ec.publicKey, opts)).toThrow('Algorithm not allowed');
    expect(() => verifyJwt(token, ec.publicKey, { ...opts, algorithms: [] })).toThrow();
  });

  it('refuses none, HS256 confusion and crit headers', () => {
    const body = b64(claims);
    expect(() => verifyJwt(`${b64({ alg: 'none' })}.${body}.`, ed.publicKey, opts)).toThrow();
    expect(() => verifyJwt(`${b64({ alg: 'none' })}.${body}.x`, ed.publicKey, opts)).toThrow(
      'Algorithm not allowed',
    );
    const pem = ed.publicKey.export({ type: 'spki', format: 'pem' });
    const input = `${b64({ alg: 'HS256' })}.${body}`;
    const mac = createHmac('sha256', pem).update(input).digest('base64url');
    expect(() =>
      verifyJwt(`${input}.${mac}`, ed.publicKey, { ...opts, algorithms: ['HS256', 'EdDSA'] }),
    ).toThrow('Algorithm not allowed');
    const crit = signJwt(claims, ed.privateKey).split('.');
    expect(() =>
      verifyJwt(`${b64({ alg: 'EdDSA', crit: ['x'] })}.${crit[1]}.${crit[2]}`, ed.publicKey, opts),
    ).toThrow();
  });

  it('accepts only the access-token type (RFC 9068 at+jwt), even correctly signed', () => {
    const [, body] = signJwt(claims, ed.privateKey).split('.');
    const resign = (header: Record<string, unknown>): string => {
      const input = `${b64(header)}.${body}`;
      return `${input}.${sign(null, Buffer.from(input), ed.privateKey).toString('base64url')}`;
    };
    expect(() => verifyJwt(resign({ alg: 'EdDSA', typ: 'JWT' }), ed.publicKey, opts)).toThrow(
      'Not an access token',
    );
    expect(() => verifyJwt(resign({ alg: 'EdDSA' }), ed.publicKey, opts)).toThrow(
      'Not an access token',
    );
    expect(
      verifyJwt(resign({ alg: 'EdDSA', typ: 'application/at+jwt' }), ed.publicKey, opts),
    ).toMatchObject({ sub: claims.sub });
  });

  it('checks exp, nbf, iat, iss and aud, with leeway', () => {
    const v = (c: Record<string, unknown>, extra = {}) =>
      verifyJwt(signJwt(c, ed.privateKey), ed.publicKey, { ...opts, ...extra });
    expect(() => v({ ...claims, exp: NOW })).toThrow('Token expired');
    expect(() => v({ ...claims, exp: NOW - 3 }, { clockToleranceSec: 5 })).not.toThrow();
    expect(() => v({ ...claims, nbf: NOW + 10 })).toThrow('Token not yet valid');
    expect(() => v({ ...claims, iat: NOW + 10 })).toThrow('Token issued in the future');
    expect(() => v({ ...claims, iss: 'x' })).toThrow('Wrong issuer');
    expect(() => v({ ...claims, aud: 'x' })).toThrow('Wrong audience');
    expect(() => v({ ...claims, aud: ['x', 'aud'] })).not.toThrow();
    const { exp: _exp, ...noExp } = claims;
    expect(() => v(noExp)).toThrow('Missing exp');
  });

  it('rejects malformed tokens without throwing anything but JwtError', () => {
    for (const bad of ['', 'a', 'a.b', 'a.b.c.d', '!!.!!.!!', `${b64([1])}.${b64({})}.x`]) {
      expect(() => verifyJwt(bad, ed.publicKey, opts)).toThrow(
        expect.objectContaining({ name: 'JwtError' }),
      );
    }
  });
});
