import { parseArgs } from 'node:util';
import { databaseNameOf, freshDatabase, openServer } from '../lib/database';
import { generateDataset } from './generate';

/**
 * `npm run bench:data -- --patients N [--database NAME]`: a fresh, migrated database filled
 * with the benchmark layout (bench/data/layout.ts). The database is DATABASE_URL's unless it
 * is `postgres` (then `clinic_bench`); it is dropped and recreated.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { patients: { type: 'string', default: '10000' }, database: { type: 'string' } },
  });
  const patients = Number(values.patients);
  if (!Number.isInteger(patients) || patients < 100)
    throw new Error('--patients must be an integer ≥ 100');
  const log = (line: string): void => console.log(line);
  const server = await openServer(log);
  try {
    const fromUrl = process.env.DATABASE_URL
      ? databaseNameOf(process.env.DATABASE_URL)
      : 'postgres';
    const name = values.database ?? (fromUrl === 'postgres' ? 'clinic_bench' : fromUrl);
    log(`bench:data → database ${name}`);
    const url = await freshDatabase(server, name);
    await generateDataset(url, patients, log);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
