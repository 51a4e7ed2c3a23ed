import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApiClient } from '../../clients/typescript';
import { CLIENT_DIR } from '../../scripts/client/files';
import { sortKeysDeep } from '../../scripts/client/openapi-document';
import { createUserWithRole, type KitApp, startKitApp } from '../kit';

/**
 * The generated client (clients/typescript/) against the real server over a real socket:
 * what a clinic group's REST client does. The unit drift test proves the committed client
 * is what the generator writes; this proves the generator's document is the served one.
 */
describe('Generated TypeScript client (e2e)', () => {
  let t: KitApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startKitApp();
    await t.app.listen(0, '127.0.0.1');
    const address = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => t?.close());

  it('was generated from the document GET /docs-json serves', async () => {
    const served = (await t.http().get('/docs-json').expect(200)).body as unknown;
    const committed = JSON.parse(
      await readFile(join(CLIENT_DIR, 'openapi.json'), 'utf8'),
    ) as unknown;
    expect(sortKeysDeep(served)).toEqual(committed);
  });

  it('logs in and lists patients, typed end to end', async () => {
    const user = await createUserWithRole(t, { tier: 'user_pro', clinicRole: 'MEMBER' });

    const anonymous = createApiClient({ baseUrl });
    const login = await anonymous.POST('/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(login.response.status).toBe(200);
    const accessToken = login.data?.accessToken;
    expect(typeof accessToken).toBe('string');

    const api = createApiClient({ baseUrl, token: accessToken });
    const created = await api.POST('/patients', {
      body: { clinicId: user.clinic?.id, substance: 'psilocybin' },
    });
    expect(created.response.status).toBe(201);
    const patient = created.data;
    if (!patient) throw new Error(`POST /patients: ${JSON.stringify(created.error)}`);

    const list = await api.GET('/patients', { params: { query: { limit: 10 } } });
    expect(list.response.status).toBe(200);
    expect(list.error).toBeUndefined();
    const ids = (list.data?.items ?? []).map((item) => item.id);
    expect(ids).toEqual([patient.id]);
    expect(list.data?.items[0]?.subjectId).toBe(patient.subjectId);

    // Errors arrive typed as the API's error body.
    const denied = await anonymous.GET('/patients', { params: { query: {} } });
    expect(denied.response.status).toBe(401);
    expect(denied.error?.code).toBe('unauthenticated');
  });
});
