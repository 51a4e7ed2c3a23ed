import { Client } from 'pg';
import {
  ensureDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';

/** The PostgreSQL server the benchmarks run against: DATABASE_URL's, or an embedded one. */
export interface BenchServer {
  /** URL of a database on that server (`postgres` when embedded). */
  readonly url: string;
  readonly embedded: EmbeddedPostgresHandle | null;
  databaseUrl(name: string): string;
  stop(): Promise<void>;
}

const EMBEDDED_DIR = 'var/bench-postgres';
const EMBEDDED_PORT = 54339;

export async function openServer(log: (line: string) => void): Promise<BenchServer> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    return {
      url: fromEnv,
      embedded: null,
      databaseUrl: (name) => {
        const url = new URL(fromEnv);
        url.pathname = `/${encodeURIComponent(name)}`;
        return url.toString();
      },
      stop: async () => undefined,
    };
  }
  log(
    `DATABASE_URL is unset: starting an embedded PostgreSQL in ${EMBEDDED_DIR} (port ${EMBEDDED_PORT})`,
  );
  const embedded = await startEmbeddedPostgres({
    dataDir: EMBEDDED_DIR,
    port: EMBEDDED_PORT,
    persistent: true,
  });
  return {
    url: embedded.serverUrl,
    embedded,
    databaseUrl: (name) => embedded.databaseUrl(name),
    stop: () => embedded.stop(),
  };
}

/** The database name in a URL (`postgres` when none). */
export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name || 'postgres';
}

/** Drops and recreates `name`, then applies every migration (as the URL's owner role). */
export async function freshDatabase(server: BenchServer, name: string): Promise<string> {
  const admin = new Client({ connectionString: server.databaseUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await ensureDatabase(server.databaseUrl('postgres'), name);
  const url = server.databaseUrl(name);
  await runMigrations(url);
  return url;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const r = await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return r.rows[0].v;
  });
}
