import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

export interface DatabaseConnectionSettings {
  readonly url: string;
  readonly poolMax?: number;
  readonly statementTimeoutMs?: number;
  readonly applicationName?: string;
}

/**
 * One place that builds TypeORM options, for the app, the migration CLI and the tests.
 * `synchronize` is never on: the schema comes only from migrations.
 */
export function buildDataSourceOptions(
  settings: DatabaseConnectionSettings,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: settings.applicationName ?? 'clinic-rbac',
    extra: {
      max: settings.poolMax ?? 10,
      statement_timeout: settings.statementTimeoutMs ?? 30_000,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // The app's statements are short, or long and streamed (exports): PostgreSQL's JIT only
      // adds compile time to them (≈ 0.5 s on a tenant's vitals export at 1M patients, 12 % of
      // the platform export; docs/benchmarks.md). Sent as a startup parameter of each connection.
      options: '-c jit=off',
    },
  };
}
