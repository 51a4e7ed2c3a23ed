import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { BenchKeys } from './tokens';
import { BENCH_AUDIENCE, BENCH_ISSUER } from './tokens';

/** A server under test in a process of its own (loopback only). */
export interface RunningServer {
  readonly name: 'app' | 'baseline';
  readonly port: number;
  readonly pid: number;
  readonly base: string;
  /** Milliseconds from spawn to the first answer (start-up, excluded from CPU profiles). */
  readyAfterMs: number;
  /** Resident set size of the process now, bytes (Linux /proc). */
  rss(): number;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');
export const POOL_MAX = 10;

function get(port: number, path: string): Promise<number> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0));
    req.end();
  });
}

async function waitReady(
  child: ChildProcess,
  port: number,
  path: string,
  name: string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode} before listening`);
    const status = await get(port, path);
    if (status > 0 && status < 500) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not answer on port ${port} within 60 s`);
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function track(name: 'app' | 'baseline', child: ChildProcess, port: number): RunningServer {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    if (code && code !== 0 && signal === null)
      console.error(`${name} exited with ${code}: ${stderr}`);
  });
  return {
    name,
    port,
    pid: child.pid ?? -1,
    base: `http://127.0.0.1:${port}`,
    readyAfterMs: 0,
    rss: () => rssOf(child.pid ?? -1),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** A port free on loopback right now (the OS picks it), so no stray server answers for ours. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export interface StartOptions {
  readonly databaseUrl: string;
  readonly keys: BenchKeys;
  /** Defaults to a free port. */
  readonly port?: number;
  /** Directory for `--cpu-prof` output, when profiling. */
  readonly cpuProfDir?: string;
  /** Another checkout of the app (its node_modules may be a symlink to ours). */
  readonly appDir?: string;
}

/**
 * The app as in production: compiled on the fly by SWC (as `npm start`), NODE_ENV=production,
 * LOG_LEVEL=info with its JSON request logs written to /dev/null.
 */
export async function startApp(options: StartOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const args = ['-r', '@swc-node/register'];
  if (options.cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  args.push('src/main.ts');
  const child = spawn(process.execPath, args, {
    cwd: options.appDir ?? ROOT,
    // Request logs go to /dev/null: a pipe drained by this (busy) process would block the
    // app's synchronous log writes and measure the pipe, not the app.
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DOCS_ENABLED: 'false',
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: String(POOL_MAX),
      MIGRATIONS_RUN: 'false',
      DEMO_SEED: 'false',
      JWT_PRIVATE_KEY: options.keys.privatePem,
      JWT_PUBLIC_KEY: options.keys.publicPem,
      JWT_ISSUER: BENCH_ISSUER,
      JWT_AUDIENCE: BENCH_AUDIENCE,
      MAIL_OUTBOX_DIR: 'var/bench-outbox',
    },
  });
  const spawned = Date.now();
  const server = track('app', child, port);
  await waitReady(child, port, '/health', 'app');
  server.readyAfterMs = Date.now() - spawned;
  return server;
}

export async function startBaseline(options: StartOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/baseline/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: String(POOL_MAX),
      JWT_PUBLIC_KEY: options.keys.publicPem,
      JWT_ISSUER: BENCH_ISSUER,
      JWT_AUDIENCE: BENCH_AUDIENCE,
    },
  });
  child.stdout?.resume();
  const server = track('baseline', child, port);
  await waitReady(child, port, '/patients', 'baseline');
  return server;
}
