import { createUser, DEFAULT_TEST_PASSWORD, loginPair } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

/** ASVS 6.2.2/6.2.3: users change their password with the current one; every session then ends. */
describe('POST /auth/password (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const change = (token: string | null, body: Record<string, unknown>) => {
    const req = t.http().post('/auth/password').send(body);
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  it('401 without a token', async () => {
    await change(null, {
      currentPassword: 'x',
      newPassword: 'tidal granite orchard lantern',
    }).expect(401);
  });

  it('400 naming the field for a wrong current password, a short, reused or context password', async () => {
    const user = await createUser(t.dataSource, { email: 'marguerite.duras@example.test' });
    const { accessToken } = await loginPair(t, user);
    const wrong = await change(accessToken, {
      currentPassword: 'not-my-password-0',
      newPassword: 'tidal granite orchard lantern',
    }).expect(400);
    expect(wrong.body.details).toEqual([
      { field: 'currentPassword', message: 'does not match the current password' },
    ]);
    const short = await change(accessToken, {
      currentPassword: DEFAULT_TEST_PASSWORD,
      newPassword: 'short',
    }).expect(400);
    expect(short.body.details[0].field).toBe('newPassword');
    const same = await change(accessToken, {
      currentPassword: DEFAULT_TEST_PASSWORD,
      newPassword: DEFAULT_TEST_PASSWORD,
    }).expect(400);
    expect(same.body.details).toContainEqual({
      field: 'newPassword',
      message: 'must differ from the current password',
    });
    const context = await change(accessToken, {
      currentPassword: DEFAULT_TEST_PASSWORD,
      newPassword: 'my-ibogaine-clinic-2026',
    }).expect(400);
    expect(context.body.details[0].message).toMatch(/must not contain the word/);
    const email = await change(accessToken, {
      currentPassword: DEFAULT_TEST_PASSWORD,
      newPassword: 'marguerite.duras-forever',
    }).expect(400);
    expect(email.body.details[0].message).toBe('must not contain your email address');
  });

  it('changes it: old sessions and tokens die, the new pair works, the new password logs in', async () => {
    const user = await createUser(t.dataSource);
    const first = await loginPair(t, user);
    const other = await loginPair(t, user);
    const res = await change(first.accessToken, {
      currentPassword: DEFAULT_TEST_PASSWORD,
      newPassword: 'tidal granite orchard lantern',
    }).expect(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      accessToken: expect.any(String) as string,
    });
    await t.http().get('/me').set('authorization', `Bearer ${first.accessToken}`).expect(401);
    await t.http().get('/me').set('authorization', `Bearer ${other.accessToken}`).expect(401);
    await t.http().post('/auth/refresh').send({ refreshToken: other.refreshToken }).expect(401);
    await t.http().get('/me').set('authorization', `Bearer ${res.body.accessToken}`).expect(200);
    await t
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: DEFAULT_TEST_PASSWORD })
      .expect(401);
    await t
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: 'tidal granite orchard lantern' })
      .expect(200);
  });
});
