import { createUser, loginPair } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

/** ASVS 7.5.2: users see their active sessions and can end any of them. */
describe('GET /auth/sessions, DELETE /auth/sessions/:id (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).set('authorization', `Bearer ${token}`),
    delete: (path: string) => t.http().delete(path).set('authorization', `Bearer ${token}`),
  });

  it('401 without a token', async () => {
    await t.http().get('/auth/sessions').expect(401);
    await t.http().delete('/auth/sessions/5f0c9a52-8d0b-4c4e-9a3e-2b7f1c6d9e10').expect(401);
  });

  it('lists my active sessions, marks the current one, and ends another one', async () => {
    const user = await createUser(t.dataSource);
    const laptop = await loginPair(t, user);
    const phone = await loginPair(t, user);
    const list = await as(laptop.accessToken).get('/auth/sessions').expect(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items).toHaveLength(2);
    const current = list.body.items.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    const other = list.body.items.find((s: { current: boolean }) => !s.current);
    await as(laptop.accessToken).delete(`/auth/sessions/${other.id}`).expect(204);
    await as(phone.accessToken).get('/me').expect(401);
    await t.http().post('/auth/refresh').send({ refreshToken: phone.refreshToken }).expect(401);
    await as(laptop.accessToken).get('/me').expect(200);
    const after = await as(laptop.accessToken).get('/auth/sessions').expect(200);
    expect(after.body.items).toHaveLength(1);
  });

  it('another user’s session is 404, and is not ended', async () => {
    const alice = await createUser(t.dataSource);
    const bob = await createUser(t.dataSource);
    const a = await loginPair(t, alice);
    const b = await loginPair(t, bob);
    const [bobSession] = (await as(b.accessToken).get('/auth/sessions').expect(200)).body.items;
    const res = await as(a.accessToken).delete(`/auth/sessions/${bobSession.id}`).expect(404);
    expect(res.body.code).toBe('not_found');
    await as(b.accessToken).get('/me').expect(200);
    await as(a.accessToken).delete('/auth/sessions/not-a-uuid').expect(400);
  });
});
