import type { Env } from '../config/env.schema';
import {
  ensureDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from './embedded-postgres';

export interface ResolvedDatabase {
  readonly url: string;
  readonly embedded: EmbeddedPostgresHandle | null;
}

const EMBEDDED_DATABASE = 'clinic';

/** DATABASE_URL when set; otherwise an embedded PostgreSQL whose data lives under var/. */
export async function resolveDatabase(
  env: Env,
  log: (line: string) => void,
): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: null };
  log(
    `DATABASE_URL is unset: starting the embedded PostgreSQL in ${env.EMBEDDED_PG_DIR} (port ${env.EMBEDDED_PG_PORT})`,
  );
  const embedded = await startEmbeddedPostgres({
    dataDir: env.EMBEDDED_PG_DIR,
    port: env.EMBEDDED_PG_PORT,
    persistent: true,
  });
  await ensureDatabase(embedded.serverUrl, EMBEDDED_DATABASE);
  return { url: embedded.databaseUrl(EMBEDDED_DATABASE), embedded };
}
