import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../harness/test-app';

const run = promisify(execFile);

// Each command boots the app in a child process (a few seconds each).
jest.setTimeout(120_000);

/** The admin CLI commands, as an operator runs them: `npm run cli -- …` against a database. */
describe('Admin CLI (e2e)', () => {
  let database: TestDatabase;
  let db: Client;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    dir = await mkdtemp(join(tmpdir(), 'admin-cli-'));
  });
  afterAll(async () => {
    await db.end();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(
        'node',
        ['-r', '@swc-node/register', 'src/cli.ts', ...args],
        {
          env: {
            ...process.env,
            DATABASE_URL: database.url,
            LOG_LEVEL: 'silent',
            DEMO_SEED: 'false',
            MAIL_OUTBOX_DIR: join(dir, 'outbox'),
            SMTP_URL: '',
          },
          timeout: 60_000,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0].n);

  it('invite-partners: bad lines reported by number, nothing provisioned; then a good file provisions each', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(
      bad,
      'email,displayName,tier,tierExpiresAt\nok@cli.test,OK,partner_free,\nnope,X,partner_free,\nobs@cli.test,Obs,beta_observer,\n',
    );
    const refused = await cli('invite-partners', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3: "nope" is not an email address`);
    expect(refused.stderr).toContain(`${bad}:4: tierExpiresAt is required for beta_observer`);
    expect(await count(`SELECT count(*)::text AS n FROM users WHERE email LIKE '%@cli.test'`)).toBe(
      0,
    );

    const good = join(dir, 'good.csv');
    await writeFile(
      good,
      `ok@cli.test,"Allen, Jason",partner_free,\nobs@cli.test,Obs,beta_observer,2099-01-01T00:00:00Z\n`,
    );
    const done = await cli('invite-partners', good);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/2 of 2 partner\(s\) provisioned/);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM patients p JOIN users u ON u.id = p.owner_id WHERE u.email LIKE '%@cli.test' AND p.is_test`,
      ),
    ).toBe(6);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM link_tokens t JOIN users u ON u.id = t.user_id WHERE u.email LIKE '%@cli.test' AND t.type = 'invite'`,
      ),
    ).toBe(2);
    const [name] = (
      await db.query<{ display_name: string }>(
        `SELECT display_name FROM users WHERE email = 'ok@cli.test'`,
      )
    ).rows;
    expect(name.display_name).toBe('Allen, Jason');
  });

  it('scrub-test-data --partner-id, then all: counts printed, audited', async () => {
    const [partner] = (
      await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'ok@cli.test'`)
    ).rows;
    const one = await cli('scrub-test-data', '--partner-id', partner.id);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/patients\s+3/);
    expect(await count(`SELECT count(*)::text AS n FROM patients WHERE is_test`)).toBe(3);
    const all = await cli('scrub-test-data');
    expect(all.stdout).toMatch(/patients\s+3/);
    expect(await count(`SELECT count(*)::text AS n FROM patients WHERE is_test`)).toBe(0);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM audit_log WHERE action = 'test_data.scrub' AND actor_id IS NULL AND details->>'via' = 'cli'`,
      ),
    ).toBe(2);
  });

  it('purge-expired-credentials: deletes a long-expired login link, prints the counts', async () => {
    const user = (
      await db.query<{ id: string }>(
        `INSERT INTO users (email) VALUES ('purge-cli@example.test') RETURNING id`,
      )
    ).rows[0].id;
    await db.query(
      `INSERT INTO link_tokens (type, user_id, token_hash, expires_at)
       VALUES ('login', $1, decode(repeat('ef', 32), 'hex'), now() - interval '3 days')`,
      [user],
    );
    const result = await cli('purge-expired-credentials');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Purged expired credentials:[\s\S]*linkTokens\s+1/);
    expect(await count('SELECT count(*) AS n FROM link_tokens WHERE user_id = $1', [user])).toBe(0);
  });

  it('seed-demo: seeds once, prints logins and a password; a second run changes nothing', async () => {
    const first = await cli('seed-demo');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Demo data seeded');
    expect(first.stdout).toContain('platform-admin@demo.test');
    const password = /password \(all demo accounts\): (\S+)/.exec(first.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const users = await count(`SELECT count(*)::text AS n FROM users`);
    expect(
      await count(`SELECT count(*)::text AS n FROM users WHERE email LIKE '%@demo.test'`),
    ).toBe(19);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM clinics c JOIN tenants t ON t.id = c.tenant_id WHERE t.name = 'Demo Clinic Group'`,
      ),
    ).toBe(2);
    expect(
      await count(`SELECT count(*)::text AS n FROM patients WHERE NOT is_test`),
    ).toBeGreaterThanOrEqual(4);
    expect(await count(`SELECT count(*)::text AS n FROM patients WHERE is_test`)).toBe(12);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM users WHERE platform_role = 'PLATFORM_ADMIN' AND email = 'platform-admin@demo.test'`,
      ),
    ).toBe(1);
    const second = await cli('seed-demo');
    expect(second.stdout).toContain('Demo data already present');
    expect(await count(`SELECT count(*)::text AS n FROM users`)).toBe(users);
  });
});
