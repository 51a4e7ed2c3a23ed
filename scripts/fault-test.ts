/**
 * npm run test:fault — load with a database fault.
 *
 * Starts the real server (`src/main.ts`, a child process) on a dedicated embedded PostgreSQL
 * (persistent data dir var/fault-pg, so it can be stopped and started again on the same port),
 * drives mixed reads and writes with autocannon (loopback, 64 connections, bounded duration),
 * restarts PostgreSQL mid-run, then checks:
 *   - every request answered 201 is readable afterwards (all in the database, a sample via the API);
 *   - /health answered 503 during the outage;
 *   - the API recovered within 5 s of PostgreSQL being back;
 *   - no 5xx other than 503, and 503 only around the outage;
 *   - no leaked connections (pg_stat_activity back to the pool size or less).
 * Prints the figures and writes them into docs/security-testing.md (between fault markers).
 * Env: FAULT_DURATION_S (default 30), FAULT_CONNECTIONS (64), FAULT_AT_S (10), FAULT_DOWN_MS (2000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { hashPassword } from '../src/auth/passwords';
import {
  ensureDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';

const DURATION_S = Number(process.env.FAULT_DURATION_S ?? 30);
const CONNECTIONS = Number(process.env.FAULT_CONNECTIONS ?? 64);
const FAULT_AT_S = Number(process.env.FAULT_AT_S ?? 10);
const DOWN_MS = Number(process.env.FAULT_DOWN_MS ?? 2000);
const POOL_MAX = 10;
const RECOVERY_LIMIT_MS = 5000;
const ROOT = join(__dirname, '..');
const DATA_DIR = join(ROOT, 'var/fault-pg');
const DOC = join(ROOT, 'docs/security-testing.md');
const PASSWORD = 'fault-test-password-0123';
const SERVER_LOG = join(ROOT, 'var/fault-server.log');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stdout.write(`[fault] ${line}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function http(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  } catch {
    return { status: 0, json: null };
  }
}

async function main(): Promise<void> {
  const pgPort = await freePort();
  const apiPort = await freePort();
  if (existsSync(DATA_DIR)) rmSync(DATA_DIR, { recursive: true, force: true });
  let pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({
    dataDir: DATA_DIR,
    port: pgPort,
    persistent: true,
  });
  const dbUrl = pg.databaseUrl('clinic_fault');
  await ensureDatabase(pg.serverUrl, 'clinic_fault');
  await runMigrations(dbUrl);

  // Users inserted directly (owner role); the load logs them in through the API.
  const owner = new Client({ connectionString: dbUrl });
  await owner.connect();
  const hash = await hashPassword(PASSWORD);
  const users: string[] = [];
  for (let i = 0; i < 8; i++) {
    const email = `fault-${i}-${Date.now()}@example.test`;
    await owner.query(
      `WITH u AS (INSERT INTO users (email, password_hash, activated_at) VALUES ($1, $2, now()) RETURNING id)
       INSERT INTO user_profiles (user_id, role_id) SELECT u.id, (SELECT id FROM ref_user_roles WHERE role_name = 'user_pro') FROM u`,
      [email, hash],
    );
    users.push(email);
  }
  await owner.end();

  const keys = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  const logFd = openSync(SERVER_LOG, 'w');
  const server: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'src/main.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        APP_URL: `http://127.0.0.1:${apiPort}`,
        DATABASE_URL: dbUrl,
        DATABASE_POOL_MAX: String(POOL_MAX),
        DEMO_SEED: 'false',
        LOG_LEVEL: 'error',
        JWT_PRIVATE_KEY: keys.privateKey,
        JWT_PUBLIC_KEY: keys.publicKey,
        RATE_LIMIT_AUTH_PER_IP: '100000',
        MAIL_OUTBOX_DIR: 'var/fault-outbox',
      },
      stdio: ['ignore', logFd, logFd],
    },
  );
  const base = `http://127.0.0.1:${apiPort}`;
  try {
    for (let i = 0; i < 100 && (await http(base, 'GET', '/health')).status !== 200; i++)
      await sleep(200);
    const tokens: string[] = [];
    for (const email of users) {
      const res = await http(base, 'POST', '/auth/login', undefined, { email, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login answered ${res.status}`);
      tokens.push((res.json as { accessToken: string }).accessToken);
    }
    log(
      `server on ${base}, PostgreSQL on ${pgPort}; ${CONNECTIONS} connections for ${DURATION_S} s, restart at ${FAULT_AT_S} s`,
    );

    // Load: writes (check-ins, patients) and reads (lists, /me), each connection with a user.
    const created: { kind: 'check-ins' | 'patients'; id: string; token: string }[] = [];
    const statusAt: { t: number; status: number }[] = [];
    let tokenIndex = 0;
    const started = Date.now();
    // Without a callback autocannon returns its instance, which is also a promise of the result.
    const instance = autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/check-ins',
          setupRequest: (req, ctx: object) => {
            const context = ctx as { token?: string };
            context.token ??= tokens[tokenIndex++ % tokens.length];
            return {
              ...req,
              headers: {
                authorization: `Bearer ${String((ctx as { token?: string }).token)}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({
                mood: 1 + Math.floor(Math.random() * 10),
                isPrivate: Math.random() < 0.5,
              }),
            };
          },
          onResponse: (status, body, ctx: object) => {
            if (status === 201)
              created.push({
                kind: 'check-ins',
                id: (JSON.parse(body) as { id: string }).id,
                token: String((ctx as { token?: string }).token),
              });
          },
        },
        {
          method: 'GET',
          path: '/check-ins?limit=20',
          setupRequest: (req, ctx: object) => ({
            ...req,
            headers: { authorization: `Bearer ${String((ctx as { token?: string }).token)}` },
          }),
        },
        {
          method: 'POST',
          path: '/patients',
          setupRequest: (req, ctx: object) => ({
            ...req,
            headers: {
              authorization: `Bearer ${String((ctx as { token?: string }).token)}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ initials: 'FT', substance: 'ketamine' }),
          }),
          onResponse: (status, body, ctx: object) => {
            if (status === 201)
              created.push({
                kind: 'patients',
                id: (JSON.parse(body) as { id: string }).id,
                token: String((ctx as { token?: string }).token),
              });
          },
        },
        {
          method: 'GET',
          path: '/patients?limit=20',
          setupRequest: (req, ctx: object) => ({
            ...req,
            headers: { authorization: `Bearer ${String((ctx as { token?: string }).token)}` },
          }),
        },
        {
          method: 'GET',
          path: '/me',
          setupRequest: (req, ctx: object) => ({
            ...req,
            headers: { authorization: `Bearer ${String((ctx as { token?: string }).token)}` },
          }),
        },
      ],
    }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
    void instance.on('response', (_client: unknown, statusCode: number) =>
      statusAt.push({ t: Date.now() - started, status: statusCode }),
    );

    // The fault: stop PostgreSQL, wait, start it again on the same data dir and port.
    const health: { t: number; status: number }[] = [];
    const fault = (async () => {
      await sleep(FAULT_AT_S * 1000);
      const downAt = Date.now() - started;
      log(`stopping PostgreSQL at ${downAt} ms`);
      await pg.stop();
      const stoppedAt = Date.now() - started;
      const probe = (async () => {
        const end = Date.now() + DOWN_MS;
        while (Date.now() < end) {
          health.push({
            t: Date.now() - started,
            status: (await http(base, 'GET', '/health')).status,
          });
          await sleep(200);
        }
      })();
      await sleep(DOWN_MS);
      await probe;
      pg = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: pgPort, persistent: true });
      const upAt = Date.now() - started;
      log(`PostgreSQL back at ${upAt} ms`);
      // Recovery: the first moment /health and an authenticated read both answer 200.
      let recoveredAt = -1;
      for (let i = 0; i < 100; i++) {
        const h = await http(base, 'GET', '/health');
        const me = await http(base, 'GET', '/me', tokens[0]);
        health.push({ t: Date.now() - started, status: h.status });
        if (h.status === 200 && me.status === 200) {
          recoveredAt = Date.now() - started;
          break;
        }
        await sleep(100);
      }
      return { downAt, stoppedAt, upAt, recoveredAt };
    })();

    const result = await instance;
    const times = await fault;

    // Every 201 is readable: all ids in the database, a sample through the API.
    const check = new Client({ connectionString: pg.databaseUrl('clinic_fault') });
    await check.connect();
    const ids = (kind: string) => created.filter((c) => c.kind === kind).map((c) => c.id);
    const found = (
      await check.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM check_ins WHERE id = ANY($1::uuid[])) + (SELECT count(*) FROM patients WHERE id = ANY($2::uuid[])) AS n`,
        [ids('check-ins'), ids('patients')],
      )
    ).rows[0]?.n;
    const sample = created.filter(
      (_, i) => i % Math.max(1, Math.floor(created.length / 200)) === 0,
    );
    let sampleOk = 0;
    for (const c of sample)
      if ((await http(base, 'GET', `/${c.kind}/${c.id}`, c.token)).status === 200) sampleOk += 1;
    await sleep(1000);
    const connections =
      (
        await check.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'clinic_fault' AND application_name = 'clinic-rbac'`,
        )
      ).rows[0]?.n ?? -1;
    await check.end();

    const codes: Record<string, number> = {};
    for (const s of statusAt) codes[s.status] = (codes[s.status] ?? 0) + 1;
    const fiveXX = statusAt.filter((s) => s.status >= 500);
    const outageWindow = { from: times.downAt, to: times.recoveredAt + 1000 };
    const other5xx = fiveXX.filter((s) => s.status !== 503).length;
    const stray503 = fiveXX.filter(
      (s) => s.status === 503 && (s.t < outageWindow.from || s.t > outageWindow.to),
    ).length;
    const health503 = health.filter((h) => h.status === 503).length;
    const recoveryMs = times.recoveredAt < 0 ? -1 : times.recoveredAt - times.upAt;
    const figures = {
      date: new Date().toISOString(),
      durationS: DURATION_S,
      connections: CONNECTIONS,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: codes,
      created201: created.length,
      created201FoundInDb: Number(found ?? 0),
      sampleReadViaApi: `${sampleOk}/${sample.length}`,
      outage: {
        stopAtMs: times.downAt,
        stoppedAtMs: times.stoppedAt,
        upAtMs: times.upAt,
        recoveredAtMs: times.recoveredAt,
      },
      health503DuringOutage: health503,
      healthProbes: health.length,
      recoveryMs,
      fiveXXOther503: other5xx,
      fiveXX503OutsideOutage: stray503,
      fiveXX503: fiveXX.length - other5xx,
      appConnectionsAfter: connections,
      poolMax: POOL_MAX,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    };
    log(JSON.stringify(figures, null, 2));
    // The server logs every unexpected error (500) with its cause: show them.
    const unexpected = readFileSync(SERVER_LOG, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"statusCode":500') || line.includes('Unhandled'))
      .slice(0, 5);
    for (const line of unexpected) log(`server: ${line.slice(0, 1500)}`);
    const problems: string[] = [];
    if (figures.created201FoundInDb !== created.length)
      problems.push(`${created.length - figures.created201FoundInDb} answered 201 but are missing`);
    if (sampleOk !== sample.length)
      problems.push(`only ${sampleOk}/${sample.length} sampled 201s readable via the API`);
    if (health503 === 0) problems.push('/health never said 503 during the outage');
    if (recoveryMs < 0 || recoveryMs > RECOVERY_LIMIT_MS)
      problems.push(`recovery took ${recoveryMs} ms (limit ${RECOVERY_LIMIT_MS})`);
    if (other5xx) problems.push(`${other5xx} 5xx answers other than 503`);
    if (stray503) problems.push(`${stray503} 503 answers outside the outage window`);
    if (connections > POOL_MAX)
      problems.push(`${connections} app connections after the run (pool max ${POOL_MAX})`);
    if (result.requests.total < 1000) problems.push(`only ${result.requests.total} requests`);
    writeFigures(figures, problems);
    if (problems.length) {
      log(`FAILED: ${problems.join('; ')}`);
      process.exitCode = 1;
    } else {
      log('PASSED');
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await pg.stop();
    closeSync(logFd);
  }
}

function writeFigures(figures: Record<string, unknown>, problems: readonly string[]): void {
  if (!existsSync(DOC)) return;
  const begin = '<!-- fault-figures:start -->';
  const end = '<!-- fault-figures:end -->';
  const doc = readFileSync(DOC, 'utf8');
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < 0) return;
  const block = [
    begin,
    '```json',
    JSON.stringify({ ...figures, verdict: problems.length ? problems : 'passed' }, null, 2),
    '```',
    end,
  ].join('\n');
  writeFileSync(DOC, doc.slice(0, i) + block + doc.slice(j + end.length));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
