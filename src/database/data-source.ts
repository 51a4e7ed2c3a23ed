/**
 * DataSource for the TypeORM CLI (`npm run migration:run|revert|generate`).
 * It needs DATABASE_URL: the CLI works against a real server, embedded or not.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';

const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error(
    'DATABASE_URL is not set: the migration commands need a PostgreSQL URL (npm start uses an embedded one without it).',
  );
}

export default new DataSource(buildDataSourceOptions({ url, poolMax: 1 }));
