import { randomUUID } from 'node:crypto';
import { createUser, loginAs } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample line, e.g. `http_requests_total{method="GET",...}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    const present = labelText.split(',');
    if (wanted.every((pair) => present.includes(pair)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics (e2e)', () => {
  describe('without METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => t?.close());

    it('answers 404 exactly like a route that does not exist', async () => {
      const res = await t
        .http()
        .get('/metrics')
        .set('Authorization', `Bearer ${TOKEN}`)
        .expect(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'not_found',
        message: 'Cannot GET /metrics',
      });
      const absent = await t.http().get('/metricz').expect(404);
      expect(Object.keys(res.body as object).sort()).toEqual(
        Object.keys(absent.body as object).sort(),
      );
    });
  });

  describe('with METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
    });
    afterAll(async () => t?.close());

    const scrape = async (): Promise<string> => {
      const res = await t
        .http()
        .get('/metrics')
        .set('Authorization', `Bearer ${TOKEN}`)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.text;
    };

    it('needs the token: none, a user JWT or a wrong one get 401', async () => {
      const user = await createUser(t.dataSource, { tier: 'user_pro' });
      const jwt = await loginAs(t, user);
      for (const header of [
        undefined,
        `Bearer ${jwt}`,
        `Bearer ${TOKEN}x`,
        TOKEN,
        `Basic ${TOKEN}`,
      ]) {
        const req = t.http().get('/metrics');
        const res = await (header ? req.set('Authorization', header) : req).expect(401);
        expect(res.body.code).toBe('unauthenticated');
      }
    });

    it('counts requests by route pattern and status, with latency histograms', async () => {
      const user = await createUser(t.dataSource, { tier: 'user_pro' });
      const jwt = await loginAs(t, user);
      await t.http().get('/patients').set('Authorization', `Bearer ${jwt}`).expect(200);
      await t.http().get('/patients').set('Authorization', `Bearer ${jwt}`).expect(200);
      const missing = randomUUID();
      await t.http().get(`/patients/${missing}`).set('Authorization', `Bearer ${jwt}`).expect(404);
      await t.http().get(`/no-such-route/${missing}`).expect(404);

      const text = await scrape();
      expect(
        sample(text, 'http_requests_total', { method: 'GET', route: '/patients', status: '200' }),
      ).toBe(2);
      expect(sample(text, 'http_requests_total', { route: '/patients/:id', status: '404' })).toBe(
        1,
      );
      expect(sample(text, 'http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
      expect(
        sample(text, 'http_requests_total', { route: '/auth/login', status: '200' }),
      ).toBeGreaterThanOrEqual(1);
      // Raw URLs never become labels.
      expect(text).not.toContain(missing);
      expect(
        sample(text, 'http_request_duration_seconds_count', { route: '/patients', status: '200' }),
      ).toBe(2);
      expect(
        sample(text, 'http_request_duration_seconds_bucket', {
          route: '/patients',
          status: '200',
          le: '+Inf',
        }),
      ).toBe(2);
    });

    it('counts authorization denials by code', async () => {
      const free = await createUser(t.dataSource, { tier: 'user_free' });
      const jwt = await loginAs(t, free);
      const before =
        sample(await scrape(), 'authorization_denials_total', { code: 'feature_denied' }) ?? 0;
      const denied = await t
        .http()
        .get('/dashboard')
        .set('Authorization', `Bearer ${jwt}`)
        .expect(403);
      expect(denied.body.code).toBe('feature_denied');
      await t.http().get('/dashboard').set('Authorization', `Bearer ${jwt}`).expect(403);
      const after = sample(await scrape(), 'authorization_denials_total', {
        code: 'feature_denied',
      });
      expect(after).toBe(before + 2);
    });

    it('reports the database pool (total, idle, waiting)', async () => {
      const text = await scrape();
      const total = sample(text, 'db_pool_connections', { state: 'total' });
      const idle = sample(text, 'db_pool_connections', { state: 'idle' });
      const waiting = sample(text, 'db_pool_connections', { state: 'waiting' });
      expect(total).toBeGreaterThanOrEqual(1);
      expect(idle).toBeLessThanOrEqual(total ?? 0);
      expect(waiting).toBe(0);
      expect(text).toContain('process_cpu_user_seconds_total');
    });
  });
});
