import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createUserWithRole, expectAllowed, type KitApp, startKitApp } from '../kit';

/**
 * /docs in a real browser (Debian's `chromium`, driven by playwright-core): the page renders
 * under the app's Content-Security-Policy, lists every feature group, and a bearer token
 * entered in Swagger UI's Authorize dialog makes "Try it out" on GET /me answer 200.
 * Installs nothing: .ci/run installs the package.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
/** Committed (README, docs). Rewritten only on request: tests leave tracked files alone. */
const SCREENSHOT = join(ROOT, 'docs/img/docs-ui.png');
const SCRATCH_SCREENSHOT = join(ROOT, 'var/docs-ui.png');

describe('API docs in headless Chromium (e2e)', () => {
  let t: KitApp;
  let baseUrl: string;
  let userDataDir: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install the Debian package (apt-get install -y chromium; .ci/run does) ` +
          'or set CHROMIUM_PATH. This test installs nothing itself.',
      );
    }
    t = await startKitApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    userDataDir = await mkdtemp(join(tmpdir(), 'docs-chromium-'));
    // launchPersistentContext takes the (new, empty) profile directory and adds --headless itself.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 1000 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await t?.close();
  });

  it('renders the feature groups, authorizes with a bearer token and runs GET /me', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const tags = [
      ...new Set(
        Object.values(doc.paths).flatMap((item) =>
          Object.values(item).flatMap((op) => op.tags ?? []),
        ),
      ),
    ].sort();
    expect(tags).toEqual(expect.arrayContaining(['auth', 'patients', 'tenancy', 'admin']));

    const user = await createUserWithRole(t, { tier: 'user_pro' });
    const login = expectAllowed<{ accessToken: string }>(
      await t.http().post('/auth/login').send({ email: user.email, password: user.password }),
    );

    const page: Page = context?.pages()[0] ?? (await context!.newPage());
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${baseUrl}/docs`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await page.locator('.swagger-ui .opblock-tag').first().waitFor({ timeout: 30_000 });
    const shown = await page
      .locator('.swagger-ui .opblock-tag')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-tag') ?? ''));
    expect([...shown].sort()).toEqual(tags);

    // Authorize dialog: the bearer scheme's value field, Authorize, Close.
    await page.locator('.swagger-ui .auth-wrapper .btn.authorize').click();
    const dialog = page.locator('.swagger-ui .dialog-ux .modal-ux');
    await dialog
      .locator('input[type="text"], input[type="password"]')
      .first()
      .fill(login.accessToken);
    await dialog.locator('.auth-btn-wrapper .btn.modal-btn.auth.authorize').click();
    await dialog
      .locator('.auth-btn-wrapper .btn.modal-btn.auth.btn-done, .auth-btn-wrapper .btn-done')
      .first()
      .click();
    await expect(
      page.locator('.swagger-ui .auth-wrapper .btn.authorize.locked').count(),
    ).resolves.toBe(1);

    // GET /me: expand, Try it out, Execute, and read the live response's status.
    const operation = page.locator('.swagger-ui .opblock.opblock-get', {
      has: page.locator('.opblock-summary-path[data-path="/me"]'),
    });
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('.execute').click();
    const status = operation
      .locator('.live-responses-table .response .response-col_status')
      .first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.innerText()).trim()).toMatch(/^200\b/);
    await expect(
      operation.locator('.live-responses-table .microlight').first().innerText(),
    ).resolves.toContain(user.email);

    await operation.scrollIntoViewIfNeeded();
    const target =
      !existsSync(SCREENSHOT) || process.env.UPDATE_DOCS_SCREENSHOT === '1'
        ? SCREENSHOT
        : SCRATCH_SCREENSHOT;
    await mkdir(dirname(target), { recursive: true });
    await page.screenshot({ path: target });
    expect(existsSync(target)).toBe(true);

    // Swagger UI must work under the app's CSP: no blocked script or style, no script error.
    expect(problems).toEqual([]);
  }, 120_000);
});
