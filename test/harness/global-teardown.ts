import { Client } from 'pg';
import { HARNESS_ENV } from './database-urls';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[HARNESS_ENV.serverUrl];
  const template = process.env[HARNESS_ENV.template];
  if (serverUrl && template && !globalThis.__embeddedPostgres) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  // A non-persistent embedded server deletes its data directory when it stops.
  await globalThis.__embeddedPostgres?.stop();
}
