import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { HARNESS_ENV, withDatabase } from './database-urls';

declare global {
  var __embeddedPostgres: EmbeddedPostgresHandle | undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
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

/**
 * Once per `jest` run: find a PostgreSQL (DATABASE_URL's server, or a fresh embedded one),
 * migrate a template database, and hand both to the test files through the environment.
 * Each test file then clones the template (`CREATE DATABASE … TEMPLATE`), which costs
 * milliseconds instead of a migration run.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    const port = await freePort();
    const embedded = await startEmbeddedPostgres({
      dataDir: `var/test-pg-${process.pid}-${randomBytes(3).toString('hex')}`,
      port,
      persistent: false,
    });
    globalThis.__embeddedPostgres = embedded;
    serverUrl = embedded.serverUrl;
  }
  const template = `clinic_test_template_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(withDatabase(serverUrl, template));
  process.env[HARNESS_ENV.serverUrl] = serverUrl;
  process.env[HARNESS_ENV.template] = template;
  process.stdout.write(
    `\n[e2e harness] template ${template} migrated in ${Date.now() - started} ms\n`,
  );
}
