import { startTestApp, type TestApp } from '../harness/test-app';

describe('Foundation (e2e)', () => {
  let t: TestApp;
  let bootMs: number;

  beforeAll(async () => {
    const started = performance.now();
    t = await startTestApp();
    bootMs = performance.now() - started;
    // The figure goes to the log so runs can be compared; no timing assertion here.
    process.stdout.write(
      `[foundation] app booted on a template clone in ${bootMs.toFixed(0)} ms\n`,
    );
  });
  afterAll(() => t.close());

  it('GET /health answers 200 with status ok', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
  });

  it('GET /docs-json is an OpenAPI 3 document', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/health']).toBeDefined();
    expect(res.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('answers an unknown route with 404 not_found in the error shape', async () => {
    const res = await t.http().get('/no-such-route').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.any(String) as string,
      code: 'not_found',
    });
  });

  it('answers malformed JSON with 400 validation_failed and no internals', async () => {
    const res = await t
      .http()
      .post('/health')
      .set('content-type', 'application/json')
      .send('{"broken":');
    expect([400, 404]).toContain(res.status);
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|\/work\//);
  });

  it('sets helmet headers and echoes a well-formed request id', async () => {
    const res = await t.http().get('/health').set('x-request-id', 'req-12345678').expect(200);
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    const bad = await t.http().get('/health').set('x-request-id', '<script>').expect(200);
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 503 on /health when the database is gone', async () => {
    const other = await startTestApp();
    try {
      await other.database.drop();
      const res = await other.http().get('/health').expect(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        code: 'service_unavailable',
        status: 'error',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|clinic_test/);
    } finally {
      await other.app.close();
    }
  });
});
