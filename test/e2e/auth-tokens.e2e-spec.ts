import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { signJwt, type JwtPayload } from '../../src/auth/jwt/jwt';
import { createUser, loginAs } from '../factories/users';
import { startTestApp, testJwtKeys, type TestApp } from '../harness/test-app';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Access-token attacks: every forged or out-of-date token answers 401 unauthenticated. */
describe('Access token verification (e2e)', () => {
  let t: TestApp;
  let valid: string;
  let claims: Record<string, unknown>;
  const privateKey = createPrivateKey(testJwtKeys().privateKey);

  beforeAll(async () => {
    t = await startTestApp();
    const user = await createUser(t.dataSource);
    valid = await loginAs(t, user);
    claims = JSON.parse(Buffer.from(valid.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
  });
  afterAll(() => t.close());

  const now = (): number => Math.floor(Date.now() / 1000);
  const withClaims = (patch: Record<string, unknown>): JwtPayload => ({ ...claims, ...patch });
  const call = (token: string) => t.http().get('/me').set('authorization', `Bearer ${token}`);
  const expect401 = async (token: string): Promise<void> => {
    const res = await call(token).expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'unauthenticated' });
  };

  it('control: the real token and one re-signed with the real key both work', async () => {
    expect(JSON.parse(Buffer.from(valid.split('.')[0] ?? '', 'base64url').toString())).toEqual({
      alg: 'EdDSA',
      typ: 'at+jwt',
    });
    expect(claims).toMatchObject({ iss: 'clinic-rbac', aud: 'clinic-rbac-api', ver: 0 });
    expect(Object.keys(claims).sort()).toEqual([
      'aud',
      'exp',
      'iat',
      'iss',
      'jti',
      'sid',
      'sub',
      'ver',
    ]);
    await call(valid).expect(200);
    await call(signJwt(withClaims({ jti: 'forged-but-valid' }), privateKey)).expect(200);
  });

  it('alg none (with and without a signature segment)', async () => {
    const header = b64({ alg: 'none', typ: 'JWT' });
    await expect401(`${header}.${b64(claims)}.`);
    await expect401(`${header}.${b64(claims)}`);
    await expect401(`${header}.${b64(claims)}.${valid.split('.')[2] ?? ''}`);
  });

  it('HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const signature = createHmac('sha256', testJwtKeys().publicKey)
      .update(input)
      .digest('base64url');
    await expect401(`${input}.${signature}`);
  });

  it('signed with another Ed25519 key, and with an ES256 key', async () => {
    await expect401(signJwt(claims, generateKeyPairSync('ed25519').privateKey));
    await expect401(signJwt(claims, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
  });

  it('tampered payload (signature of the original)', async () => {
    const [header, , signature] = valid.split('.');
    await expect401(`${header}.${b64(withClaims({ ver: 1 }))}.${signature}`);
    await expect401(
      `${header}.${b64(withClaims({ sub: '00000000-0000-4000-8000-000000000000' }))}.${signature}`,
    );
  });

  it('expired', async () => {
    await expect401(signJwt(withClaims({ iat: now() - 3600, exp: now() - 60 }), privateKey));
  });

  it('nbf in the future', async () => {
    await expect401(signJwt(withClaims({ nbf: now() + 600 }), privateKey));
  });

  it('wrong issuer, wrong audience, missing exp', async () => {
    await expect401(signJwt(withClaims({ iss: 'someone-else' }), privateKey));
    await expect401(signJwt(withClaims({ aud: 'another-api' }), privateKey));
    const { exp: _exp, ...noExp } = claims;
    await expect401(signJwt(noExp, privateKey));
  });

  it('well signed but naming an unknown session, a stale version or a malformed subject', async () => {
    await expect401(
      signJwt(withClaims({ sid: '00000000-0000-4000-8000-000000000000' }), privateKey),
    );
    await expect401(signJwt(withClaims({ ver: 7 }), privateKey));
    await expect401(signJwt(withClaims({ sub: 'not-a-uuid' }), privateKey));
  });

  it('an EC P-256 key signs ES256 tokens, and the strategy pins ES256', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = await startTestApp({
      env: {
        JWT_PRIVATE_KEY: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        JWT_PUBLIC_KEY: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    try {
      const token = await loginAs(other, await createUser(other.dataSource));
      const header: unknown = JSON.parse(
        Buffer.from(token.split('.')[0] ?? '', 'base64url').toString(),
      );
      expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt' });
      await other.http().get('/me').set('authorization', `Bearer ${token}`).expect(200);
      // An EdDSA token (our test key) is refused by the ES256 app.
      const ed = signJwt({ ...claims, exp: now() + 60 }, privateKey);
      await other.http().get('/me').set('authorization', `Bearer ${ed}`).expect(401);
    } finally {
      await other.close();
    }
  });

  it('without JWT keys (not production) boots with an ephemeral key that works', async () => {
    const other = await startTestApp({ env: { JWT_PRIVATE_KEY: '', JWT_PUBLIC_KEY: '' } });
    try {
      const token = await loginAs(other, await createUser(other.dataSource));
      await other.http().get('/me').set('authorization', `Bearer ${token}`).expect(200);
      // Tokens signed with the configured test key mean nothing to it.
      await other.http().get('/me').set('authorization', `Bearer ${valid}`).expect(401);
    } finally {
      await other.close();
    }
  });
});
